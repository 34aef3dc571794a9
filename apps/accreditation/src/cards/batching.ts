/**
 * Sharing database round trips between concurrent gate checks (the hot path: thousands a second), without weakening
 * what each check gets. Pure (no NestJS, no database): the work is a function given to each.
 */

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A read shared by the callers that arrive while none is running: `fresh()` resolves after a read that *started
 * after* the call (so a check sees everything committed before it arrived, as with a read of its own), and one read
 * serves every caller queued before it started. Reads never overlap.
 */
export class SharedRead {
  private waiters: Waiter[] = [];
  private reading = false;

  constructor(private readonly read: () => Promise<void>) {}

  fresh(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.reading) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.reading = true;
    try {
      while (this.waiters.length > 0) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          await this.read();
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }
}

/**
 * Rows written together: `write(row)` resolves once a write that holds the row has committed (so a check answers
 * after its record is stored, as with an INSERT of its own); the rows queued while a write runs go in the next one,
 * at most `maxRows` at a time. Writes never overlap. A failed write fails every row of it.
 */
export class BatchWriter<T> {
  private queue: { row: T; waiter: Waiter }[] = [];
  private writing = false;

  constructor(
    private readonly writeRows: (rows: T[]) => Promise<void>,
    private readonly maxRows = 500,
  ) {}

  write(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, waiter: { resolve, reject } });
      if (!this.writing) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxRows);
        try {
          await this.writeRows(batch.map((b) => b.row));
          for (const b of batch) b.waiter.resolve();
        } catch (error) {
          for (const b of batch) b.waiter.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
