/** Reconnection delays: exponential with full jitter, capped. */
export interface BackoffOptions {
  /** First delay (default 250 ms). */
  initialDelayMs?: number;
  /** Largest delay (default 30 s). */
  maxDelayMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

/**
 * The delay before reconnection attempt `attempt` (0-based): a random value between half and all of
 * min(max, initial * factor^attempt), so that thousands of clients cut at once do not come back at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
