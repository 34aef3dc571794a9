import type { HealthRegistry } from '../health/health.registry';

/** The part of a generated PrismaClient these helpers use (any generated client satisfies it). */
export interface PrismaClientLike {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown>;
}

export interface ConnectWithRetryOptions {
  /** Tries before giving up. Default 10. */
  attempts?: number;
  /** Pause between tries. Default 1 s. */
  delayMs?: number;
  /** Names the database in the error (use `redactDatabaseUrl`). */
  target?: string;
  /** Called after each failed try but the last. */
  onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Connects and proves the connection with `SELECT 1` (with a driver adapter `$connect()` alone opens nothing), retrying
 * a bounded number of times; then fails with an error naming the database, so boot fails instead of reporting healthy.
 */
export async function connectWithRetry(
  client: PrismaClientLike,
  options: ConnectWithRetryOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 10;
  const delayMs = options.delayMs ?? 1_000;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await client.$connect();
      await client.$queryRawUnsafe('SELECT 1');
      return;
    } catch (err) {
      lastError = err;
      if (attempt < attempts) {
        options.onRetry?.(attempt, err);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
  const where = options.target ? ` at ${options.target}` : '';
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`Database unreachable${where} after ${attempts} attempts: ${reason}`, { cause: lastError });
}

export interface DatabaseHealthOptions {
  /** Check name. Default 'db'. */
  name?: string;
  /** The check fails when SELECT 1 takes longer. Default 2 s. */
  timeoutMs?: number;
}

/** Registers the readiness check 'db': `SELECT 1` within the timeout. */
export function registerDatabaseHealth(
  registry: Pick<HealthRegistry, 'register'>,
  client: Pick<PrismaClientLike, '$queryRawUnsafe'>,
  options: DatabaseHealthOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 2_000;
  registry.register(options.name ?? 'db', async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.$queryRawUnsafe('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * The lifecycle of a service's Prisma client, as `DatabaseModule` runs it (database.module.ts): connect with retries at
 * module init, register the `db` readiness check, disconnect at application shutdown. A service does not call it: it
 * registers its generated client (which lives in the app, so the lib cannot extend it) with
 *
 * ```ts
 * DatabaseModule.forClient(PrismaService) // class PrismaService extends PrismaClient {}
 * ```
 */
export const PrismaLifecycle = {
  connect: connectWithRetry,
  registerHealth: registerDatabaseHealth,
  disconnect: (client: Pick<PrismaClientLike, '$disconnect'>): Promise<void> => client.$disconnect(),
} as const;
