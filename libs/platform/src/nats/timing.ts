/** Exponential backoff with an upper bound: `min(maxMs, baseMs * 2^(attempt-1))`, attempt counted from 1. */
export function exponentialBackoff(attempt: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^31 ms is far beyond any sane cap; clamp the exponent so the product never overflows to Infinity.
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 31));
}

/**
 * The delay before retry number `attempt` (1 = first retry) taken from an explicit schedule:
 * the last entry repeats once the schedule is exhausted.
 */
export function scheduledBackoff(attempt: number, scheduleMs: readonly number[]): number {
  if (scheduleMs.length === 0) return 0;
  const index = Math.min(Math.max(0, Math.floor(attempt) - 1), scheduleMs.length - 1);
  return scheduleMs[index] ?? 0;
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A readable message for anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
