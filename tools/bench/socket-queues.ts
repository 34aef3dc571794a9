/**
 * Where delivery time goes after the fan-out: the bytes waiting in the kernel's TCP queues between
 * results-distribution and its clients, sampled with `ss` (iproute2) on loopback.
 *
 * - Send-Q on the server's side of a connection: bytes results-distribution wrote that the client's kernel has not
 *   taken yet (its receive window is full: the client does not read fast enough).
 * - Recv-Q on the client's side: bytes the client's kernel holds that the client process has not read yet.
 *
 * Bytes queued here were already fanned out: they can no longer be conflated, and a reader drains them at the rate it
 * reads, so queued bytes / read rate is how long an update waits there. What results-distribution holds in user space
 * (its outlets and the sockets' writable buffers) is not seen here.
 */
import { execFile } from 'node:child_process';

export interface QueueSample {
  at: number;
  /** Per results-distribution port: Send-Q summed over its accepted connections. */
  serverSendQ: Record<number, number>;
  /** Per results-distribution port: Recv-Q summed over the clients' connections to it. */
  clientRecvQ: Record<number, number>;
}

export interface QueueSummary {
  samples: number;
  /** Over the samples: the mean and the largest total (all ports), in bytes. */
  serverSendQ: { meanBytes: number; maxBytes: number };
  clientRecvQ: { meanBytes: number; maxBytes: number };
}

function sample(ports: readonly number[]): Promise<QueueSample> {
  return new Promise((resolveSample, reject) => {
    execFile('ss', ['-tnH', 'state', 'established'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const serverSendQ: Record<number, number> = {};
      const clientRecvQ: Record<number, number> = {};
      for (const port of ports) {
        serverSendQ[port] = 0;
        clientRecvQ[port] = 0;
      }
      for (const line of stdout.split('\n')) {
        // Recv-Q Send-Q Local:Port Peer:Port
        const fields = line.trim().split(/\s+/);
        if (fields.length < 4) continue;
        const recvQ = Number(fields[0]);
        const sendQ = Number(fields[1]);
        const local = Number(fields[2]?.slice(fields[2].lastIndexOf(':') + 1));
        const peer = Number(fields[3]?.slice(fields[3].lastIndexOf(':') + 1));
        if (local in serverSendQ) serverSendQ[local] = (serverSendQ[local] ?? 0) + sendQ;
        else if (peer in clientRecvQ) clientRecvQ[peer] = (clientRecvQ[peer] ?? 0) + recvQ;
      }
      resolveSample({ at: Date.now(), serverSendQ, clientRecvQ });
    });
  });
}

/** Samples every `everyMs` until stopped. */
export class SocketQueueSampler {
  private readonly samples: QueueSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ports: readonly number[],
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.pending = sample(this.ports).then(
        (s) => void this.samples.push(s),
        () => undefined,
      );
    }, this.everyMs);
  }

  async stop(): Promise<QueueSummary> {
    clearInterval(this.timer);
    await this.pending;
    const total = (s: Record<number, number>): number => Object.values(s).reduce((t, v) => t + v, 0);
    const of = (pick: (s: QueueSample) => Record<number, number>): { meanBytes: number; maxBytes: number } => {
      const totals = this.samples.map((s) => total(pick(s)));
      return {
        meanBytes: totals.length === 0 ? 0 : Math.round(totals.reduce((t, v) => t + v, 0) / totals.length),
        maxBytes: totals.length === 0 ? 0 : Math.max(...totals),
      };
    };
    return { samples: this.samples.length, serverSendQ: of((s) => s.serverSendQ), clientRecvQ: of((s) => s.clientRecvQ) };
  }
}
