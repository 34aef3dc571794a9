import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Watches a service's readiness (`ready()`, e.g. GET /health/ready, every 100 ms) from `start()` on: when it was first
 * not ready, and when it was ready again after that (undefined while it is not).
 */
export class ReadinessWatch {
  private running = false;
  private loop?: Promise<void>;
  firstUnready?: number;
  readyAgain?: number;

  /** `ready` is called anew each time (a service process replaced meanwhile is read through it). */
  constructor(private readonly ready: () => Promise<boolean>) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const ready = await this.ready();
        const now = Date.now();
        if (!ready) {
          this.firstUnready ??= now;
          this.readyAgain = undefined;
        } else if (this.firstUnready !== undefined) {
          this.readyAgain ??= now;
        }
        await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** What it saw, in ms after `since` (the fault's start), for a report line. */
  describe(since: number, fault = 'the kill'): string {
    if (this.firstUnready === undefined) return 'ready throughout';
    const back = this.readyAgain === undefined ? 'not ready again yet' : `ready again ${this.readyAgain - since} ms after ${fault}`;
    return `not ready from ${this.firstUnready - since} ms after ${fault}, ${back}`;
  }
}
