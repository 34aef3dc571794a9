/**
 * Small clients for the integration tests that record what they receive: CIS (WebSocket), SSE (a minimal
 * EventSource), a plain HTTP GET that keeps the headers, and raw sockets that misbehave (never read, send headers
 * byte by byte).
 */
import { waitFor } from '@podium/testing';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

export type CisMessage = Record<string, unknown> & { type: string };

/** A CIS client that records every message. */
export class CisClient {
  readonly messages: CisMessage[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as CisMessage));
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<CisClient> {
    const ws = new WebSocket(url, { headers });
    const client = new CisClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await client.next((m) => m.type === 'welcome');
    return client;
  }

  send(command: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(command));
  }

  /** Waits for a message satisfying `predicate` (already received or to come). */
  async next(predicate: (m: CisMessage) => boolean, timeoutMs = 10_000): Promise<CisMessage> {
    const found = await waitFor(() => this.messages.find(predicate), { timeoutMs, description: 'a CIS message' });
    if (!found) throw new Error('unreachable: waitFor resolves with a truthy value');
    return found;
  }

  /** The highest `seq` of the updates received. */
  lastSeq(): number {
    return Math.max(0, ...this.updates().map((m) => Number(m['seq'])));
  }

  updates(): CisMessage[] {
    return this.messages.filter((m) => m.type === 'update');
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/** A minimal EventSource: records the events of one GET /v1/stream. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  readonly headers: IncomingMessage['headers'];
  ended = false;
  private buffer = '';
  private constructor(private readonly res: IncomingMessage) {
    this.status = res.statusCode ?? 0;
    this.headers = res.headers;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('end', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => resolve(new SseClient(res)));
      req.on('error', reject);
      req.end();
    });
  }

  /** Stops reading (a slow reader). */
  pause(): void {
    this.res.pause();
  }

  resume(): void {
    this.res.resume();
  }

  close(): void {
    this.res.destroy();
  }

  async next(predicate: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const found = await waitFor(() => this.events.find(predicate), { timeoutMs, description: 'an SSE event' });
    if (!found) throw new Error('unreachable: waitFor resolves with a truthy value');
    return found;
  }

  /** The id of the last event that had one (what EventSource sends as Last-Event-ID). */
  lastEventId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const id = this.events[i]?.id;
      if (id !== null && id !== undefined) return id;
    }
    return null;
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', id: null, data: '' };
      const data: string[] = [];
      let hasField = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        hasField = true;
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') data.push(value);
      }
      event.data = data.join('\n');
      if (hasField && (data.length > 0 || event.id !== null)) this.events.push(event);
      end = this.buffer.indexOf('\n\n');
    }
  }
}

/** GET with optional headers; resolves status, headers and body. */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Where a raw client connects: host and port of a service URL. */
function hostPort(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

/**
 * A raw TCP client of the service that records what it gets and when the server closes it. `paused()` makes one that
 * never reads: Node stops reading once its own small buffer is full, then the kernel's receive window closes, and
 * what the server writes piles up in the server's socket.
 */
export class RawClient {
  received = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(url: string): Promise<RawClient> {
    const socket = connect(hostPort(url));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** GET `path` (HTTP/1.1, keep-alive) with `headers`, then stop reading. */
  static async paused(url: string, path: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const client = await RawClient.open(url);
    client.write(`GET ${path} HTTP/1.1\r\nHost: ${new URL(url).host}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    client.socket.pause();
    return client;
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Sends `text` one byte every `intervalMs` until it is sent or the server closed the connection. */
  async trickle(text: string, intervalMs: number): Promise<void> {
    for (const byte of text) {
      if (this.closed || this.socket.destroyed) return;
      this.socket.write(byte);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
