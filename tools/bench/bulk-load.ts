/**
 * The loaders' bulk path, shared by the benchmarks that load a service through its API (volunteers-load.ts,
 * workforce-members.ts; accreditation-load.ts's per-cell queues keep their own order and use BulkProgress): rows sent in requests of
 * `batch` rows, `concurrency` in flight, with a progress bar and rows/s; what each request refused is kept (the first 5).
 */
import { SingleBar } from 'cli-progress';

/** A progress bar with rows/s (`{rate}`, given at each increment) and the ETA; a line every 5 s when not a TTY. */
export function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | {duration_formatted} | ETA {eta_formatted}`,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
    etaBuffer: 50,
  });
}

/** Connection failures (refused, reset) the loaders' requests are sent again after: as many times as before. */
export const NETWORK_RETRIES = 2;

/** What one bulk request answered: the rows taken and refused, and each row's status (a refused one with why). */
export interface BulkReport {
  accepted: number;
  refused: number;
  rows: readonly { status: string; reason?: string; errors?: unknown }[];
}

export interface BulkLoadResult {
  accepted: number;
  refused: number;
  seconds: number;
  requests: number;
  /** `reason: errors` of the first 5 rows refused. */
  firstRefusals: string[];
}

/**
 * The bookkeeping of a bulk load, whatever order its batches go in: the rows accepted and refused, the requests, the
 * first 5 refusals, and the 'bulk load' progress bar with rows/s. `stop()` (in a finally) ends the bar.
 */
export class BulkProgress {
  private accepted = 0;
  private refused = 0;
  private requests = 0;
  private readonly firstRefusals: string[] = [];
  private readonly bar = progressBar('bulk load');
  private readonly started: bigint;

  constructor(total: number) {
    this.bar.start(total, 0, { rate: 0 });
    this.started = process.hrtime.bigint();
  }

  /** One request's answer for `size` rows: how many were accepted and refused, and why each refused one was. */
  record(size: number, accepted: number, refused: number, refusals: readonly string[]): void {
    this.requests++;
    this.accepted += accepted;
    this.refused += refused;
    for (const refusal of refusals) if (this.firstRefusals.length < 5) this.firstRefusals.push(refusal);
    this.bar.increment(size, { rate: Math.round((this.accepted + this.refused) / this.seconds()) });
  }

  stop(): void {
    this.bar.stop();
  }

  result(): BulkLoadResult {
    return { accepted: this.accepted, refused: this.refused, seconds: this.seconds(), requests: this.requests, firstRefusals: this.firstRefusals };
  }

  private seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }
}

/**
 * Sends `rows` through `post` in batches of `batch`, `concurrency` at a time, in order, with a 'bulk load' progress
 * bar (rows/s); a row whose status is not `created` is counted as refused by the report and its reason kept.
 */
export async function postInBatches<Row>(
  rows: readonly Row[],
  options: { batch: number; concurrency: number },
  post: (batch: Row[]) => Promise<BulkReport>,
): Promise<BulkLoadResult> {
  const progress = new BulkProgress(rows.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const batch = rows.slice(next, next + options.batch);
      next += batch.length;
      const report = await post(batch);
      const refusals = report.rows.filter((row) => row.status !== 'created').map((row) => `${row.reason}: ${JSON.stringify(row.errors ?? [])}`);
      progress.record(batch.length, report.accepted, report.refused, refusals);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    progress.stop();
  }
  return progress.result();
}
