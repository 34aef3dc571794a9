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
 * Rows handled together: `submit(row)` resolves with the row's result once a run that holds the row has finished (so a
 * check answers after its own work is done, as with a query of its own); the rows queued while a run is on go in the
 * next one, at most `maxRows` at a time. Runs never overlap. A failed run fails every row of it.
 */
export class Batch<T, R> {
  private queue: { row: T; resolve(result: R): void; reject(error: unknown): void }[] = [];
  private running = false;

  /** `runRows` answers one result per row, in the rows' order. */
  constructor(
    private readonly runRows: (rows: T[]) => Promise<R[]>,
    private readonly maxRows = 500,
  ) {}

  submit(row: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.running) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxRows);
        try {
          const results = await this.runRows(batch.map((b) => b.row));
          batch.forEach((b, i) => b.resolve(results[i] as R));
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Rows written together ({@link Batch}): `write(row)` resolves once a write that holds the row has committed. */
export class BatchWriter<T> {
  private readonly batch: Batch<T, void>;

  constructor(writeRows: (rows: T[]) => Promise<void>, maxRows = 500) {
    this.batch = new Batch<T, void>(async (rows) => {
      await writeRows(rows);
      return rows.map(() => undefined);
    }, maxRows);
  }

  write(row: T): Promise<void> {
    return this.batch.submit(row);
  }
}
