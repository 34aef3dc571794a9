import WebSocket from 'ws';

/** One `update` frame of results-distribution's CIS channel: `{"type":"update","seq":N,"document":{…}}`. */
export interface CisUpdate {
  /** The RESULTS stream sequence. */
  seq: number;
  documentKey: string;
  version: number;
  /** When it was received (Date.now()). */
  at: number;
}

/**
 * A CIS client (WebSocket /v1/cis of results-distribution, docs/results-distribution.md#cis-channel-websocket-v1cis)
 * that subscribes once and records what it is sent: the updates, and any `reset` or `error` frame (a gap the client
 * would have to repair with a new snapshot).
 */
export class CisRecorder {
  readonly updates: CisUpdate[] = [];
  /** `reset` and `error` frames, as received. */
  readonly problems: string[] = [];
  closeCode: number | null = null;
  /** The `subscribed` answer: `resumed` and, when resumed, `missed` (the updates the replay buffer sends). */
  subscribed?: { resumed: boolean; missed: number };
  private readonly types: string[] = [];
  /** The connection's close and error events, in order. */
  private readonly events: string[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.record(String(data)));
    ws.on('close', (code) => {
      this.events.push(`close ${code}`);
      this.closeCode = code;
    });
    ws.on('error', (error) => this.events.push(`error ${error.message}`));
  }

  /**
   * Connects to `url` (ws://…/v1/cis), sends `subscribe` and resolves once it is answered `subscribed` (with `after`, a
   * resume: the updates after that sequence follow from the server's replay buffer; without it, a snapshot follows).
   */
  static async open(url: string, subscribe: Record<string, unknown>, timeoutMs = 10_000): Promise<CisRecorder> {
    const ws = new WebSocket(url);
    const recorder = new CisRecorder(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ action: 'subscribe', ...subscribe }));
    const deadline = Date.now() + timeoutMs;
    while (recorder.subscribed === undefined) {
      if (Date.now() > deadline) throw new Error(`No CIS 'subscribed' within ${timeoutMs} ms (frames: ${recorder.types.join(', ') || 'none'})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return recorder;
  }

  close(): void {
    this.ws.close();
  }

  /** The connection's WebSocket readyState (0 connecting, 1 open, 2 closing, 3 closed) and ms since the last frame. */
  state(): string {
    const last = this.updates.at(-1)?.at;
    const socket = (this.ws as unknown as { _socket?: { isPaused?: () => boolean; readableLength?: number; destroyed?: boolean } })._socket;
    const transport = socket ? `, socket paused ${String(socket.isPaused?.())}, ${socket.readableLength ?? '?'} bytes unread, destroyed ${String(socket.destroyed)}` : '';
    return `readyState ${this.ws.readyState} (${this.events.join('; ') || 'no close or error event'}), closeCode ${String(this.closeCode)}, last update ${last === undefined ? 'never' : `${Date.now() - last} ms ago`}${transport}`;
  }

  private record(text: string): void {
    const frame = JSON.parse(text) as {
      type?: unknown;
      seq?: unknown;
      resumed?: unknown;
      missed?: unknown;
      document?: { documentKey?: unknown; version?: unknown };
    };
    const type = String(frame.type);
    this.types.push(type);
    if (type === 'update') {
      this.updates.push({ seq: Number(frame.seq), documentKey: String(frame.document?.documentKey), version: Number(frame.document?.version), at: Date.now() });
    } else if (type === 'subscribed') {
      this.subscribed = { resumed: frame.resumed === true, missed: Number(frame.missed ?? 0) };
    } else if (type === 'reset' || type === 'error') {
      this.problems.push(text);
    }
  }
}
