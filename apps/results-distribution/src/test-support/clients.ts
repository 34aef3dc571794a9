/**
 * Starts the real app (AppModule) against real PostgreSQL and NATS for integration tests, on a random port,
 * plus small WebSocket and SSE clients that record what they receive.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { LOCAL_DEV_SECRET } from '@podium/auth';
import { configureApp, PLATFORM_APP_OPTIONS } from '@podium/platform';
import { waitFor } from '@podium/testing';
import { SignJWT } from 'jose';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { AppModule } from '../app/app.module';
import { configureDistributionApp } from '../app/configure';
import { DistributionLifecycle } from '../feed/distribution.lifecycle';
import { ResultsState } from '../state/results-state';

export interface DistributionApp {
  app: NestExpressApplication;
  url: string;
  wsUrl: string;
  state: ResultsState;
  lifecycle: DistributionLifecycle;
  close(): Promise<void>;
}

export interface StartOptions {
  databaseUrl: string;
  natsUrl: string;
  prefix: string;
  instanceId?: string;
  env?: Record<string, string>;
}

/** Boots the app and waits until it has replayed the streams (ready). */
export async function startDistribution(options: StartOptions): Promise<DistributionApp> {
  Object.assign(process.env, {
    SERVICE_NAME: 'results-distribution',
    PORT: '3007',
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    NATS_PREFIX: options.prefix,
    INSTANCE_ID: options.instanceId ?? 'it',
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    SNAPSHOT_INTERVAL_MS: '200',
    ...options.env,
  });
  const module = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = module.createNestApplication<NestExpressApplication>(PLATFORM_APP_OPTIONS);
  configureApp(app, { openApi: { title: 'results-distribution', description: 'test', version: '1.0.0' } });
  configureDistributionApp(app);
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const lifecycle = app.get(DistributionLifecycle);
  await lifecycle.whenCaughtUp();
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/cis`,
    state: app.get(ResultsState),
    lifecycle,
    close: () => (closing ??= app.close()),
  };
}

/** A dev-mode bearer token. */
export async function devToken(roles: string[], sub = 'partner-1'): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(LOCAL_DEV_SECRET));
}

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

  static async connect(url: string): Promise<CisClient> {
    const ws = new WebSocket(url);
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
  ended = false;
  private buffer = '';
  private constructor(private readonly res: IncomingMessage) {
    this.status = res.statusCode ?? 0;
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
