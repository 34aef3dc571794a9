import { ProblemException } from '../http/problem';
import { isSerializationFailure, withSerializableRetry } from './prisma.errors';

/**
 * The one retry policy of SERIALIZABLE transactions. A transaction that loses a serialization conflict (or a deadlock)
 * is run again as a whole after a jittered, doubling pause (20, 40, 80... ms, at most 8 runs, about 2.5 s of pauses in
 * the worst case); the interactive transaction may wait `maxWait` for a pooled connection and run for `timeout`.
 */
export const SERIALIZABLE_TRANSACTION_DEFAULTS = Object.freeze({
  attempts: 8,
  baseDelayMs: 20,
  timeoutMs: 30_000,
  maxWaitMs: 10_000,
});

/** Slug of the 409 problem answered when a transaction still conflicts after its last attempt. */
export const SERIALIZATION_CONFLICT_SLUG = 'serialization-conflict';

export interface SerializableTransactionOptions {
  /**
   * Prisma's interactive-transaction timeout. Override only for work that is long by nature (a data pack or CSV
   * import), never to hide a slow query.
   */
  timeoutMs?: number;
  /** Runs in total before answering 409; tests force 1 to see the conflict. */
  attempts?: number;
  /** Called before each retry (for logs). */
  onRetry?: (attempt: number, err: unknown) => void;
}

/** What the helper needs of a generated Prisma client: its interactive `$transaction` (any generated client fits). */
export interface InteractiveTransactionClient<Tx> {
  $transaction<R>(
    fn: (tx: Tx) => Promise<R>,
    options?: { isolationLevel?: 'Serializable'; maxWait?: number; timeout?: number },
  ): Promise<R>;
}

/** Seconds a client is told to wait before sending again a request that lost to concurrent ones on every attempt. */
export const SERIALIZATION_CONFLICT_RETRY_AFTER_SECONDS = 1;

/**
 * The 409 problem of a transaction that conflicted with concurrent ones on every attempt: nothing was applied, and the
 * same request may succeed when sent again (Retry-After says when), unlike a 409 of the domain (a stale version).
 */
export function serializationConflictProblem(attempts: number, cause?: unknown): ProblemException {
  return new ProblemException({
    status: 409,
    slug: SERIALIZATION_CONFLICT_SLUG,
    headers: { 'Retry-After': String(SERIALIZATION_CONFLICT_RETRY_AFTER_SECONDS) },
    title: 'Concurrent update conflict',
    detail:
      `The request conflicted with concurrent changes to the same data ${attempts} time(s) and was not applied; ` +
      'retry the request.',
    cause,
  });
}

/**
 * Runs `work` in one SERIALIZABLE interactive transaction of `prisma`, with the platform's retry policy
 * (SERIALIZABLE_TRANSACTION_DEFAULTS); `work` must be safe to run again (no side effects outside `tx`).
 * Other errors pass through unchanged; a serialization failure on the last attempt answers 409 `serialization-conflict`.
 *
 *   return serializableTransaction(this.prisma, async (tx) => { ... });
 */
export async function serializableTransaction<Tx, R>(
  prisma: InteractiveTransactionClient<Tx>,
  work: (tx: Tx) => Promise<R>,
  options: SerializableTransactionOptions = {},
): Promise<R> {
  const attempts = options.attempts ?? SERIALIZABLE_TRANSACTION_DEFAULTS.attempts;
  const transactionOptions = {
    isolationLevel: 'Serializable' as const,
    maxWait: SERIALIZABLE_TRANSACTION_DEFAULTS.maxWaitMs,
    timeout: options.timeoutMs ?? SERIALIZABLE_TRANSACTION_DEFAULTS.timeoutMs,
  };
  try {
    return await withSerializableRetry(() => prisma.$transaction(work, transactionOptions), attempts, {
      baseDelayMs: SERIALIZABLE_TRANSACTION_DEFAULTS.baseDelayMs,
      onRetry: options.onRetry,
    });
  } catch (err) {
    if (isSerializationFailure(err)) throw serializationConflictProblem(attempts, err);
    throw err;
  }
}
