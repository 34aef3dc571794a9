/**
 * Classifies database errors from a Prisma client (model queries: P2002/P2034; raw queries: P2010 with the driver's
 * SQLSTATE) or straight from `pg` (SQLSTATE in `code`), without importing a generated client.
 */

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  clientVersion?: unknown;
  meta?: unknown;
  cause?: unknown;
}

function asErrorLike(err: unknown): ErrorLike | undefined {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : undefined;
}

function isPrismaError(e: ErrorLike): boolean {
  return (
    typeof e.clientVersion === 'string' || (typeof e.name === 'string' && e.name.startsWith('PrismaClient'))
  );
}

/** The Prisma error code (e.g. 'P2002'), if `err` is a Prisma known request error. */
export function prismaErrorCode(err: unknown): string | undefined {
  const e = asErrorLike(err);
  return e && isPrismaError(e) && typeof e.code === 'string' ? e.code : undefined;
}

/** The PostgreSQL SQLSTATE (e.g. '23505') behind `err`, from a driver adapter error, a pg error or their cause. */
export function sqlState(err: unknown, depth = 0): string | undefined {
  const e = asErrorLike(err);
  if (!e || depth > 3) return undefined;
  const meta = asErrorLike(e.meta) as
    { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const original = meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === 'string') return original;
  // A DriverAdapterError's cause is `{ kind, originalCode, originalMessage }`.
  const own = (e as { originalCode?: unknown }).originalCode;
  if (typeof own === 'string') return own;
  if (!isPrismaError(e) && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return sqlState(e.cause, depth + 1);
}

/** A unique constraint was violated (Prisma P2002, SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return prismaErrorCode(err) === 'P2002' || sqlState(err) === '23505';
}

/**
 * A transaction lost a serialization conflict or a deadlock and should be retried as a whole
 * (Prisma P2034, SQLSTATE 40001 serialization_failure or 40P01 deadlock_detected).
 */
export function isSerializationFailure(err: unknown): boolean {
  const state = sqlState(err);
  return prismaErrorCode(err) === 'P2034' || state === '40001' || state === '40P01';
}

export interface SerializableRetryOptions {
  /** First backoff; doubles per attempt, with jitter. Default 20 ms. */
  baseDelayMs?: number;
  /** Called before each retry (for logs/metrics). */
  onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Runs `fn` (a whole transaction, e.g. `() => prisma.$transaction(work, { isolationLevel: 'Serializable' })`) and runs
 * it again when it fails with a serialization failure, up to `attempts` runs in total; other errors pass through.
 * Services use `serializableTransaction`, which applies the platform's policy and answers 409 when it runs out.
 */
export async function withSerializableRetry<T>(
  fn: (attempt: number) => Promise<T>,
  attempts = 3,
  options: SerializableRetryOptions = {},
): Promise<T> {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError('attempts must be a positive integer');
  const base = options.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isSerializationFailure(err)) throw err;
      options.onRetry?.(attempt, err);
      const delay = base * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}
