import { z } from 'zod';

export interface OutboxModuleOptions {
  /** The service's DATABASE_URL (the relay opens its own connections; Prisma's `?schema=` is honoured). */
  databaseUrl: string;
  /** Outbox table, optionally schema-qualified. Default 'outbox_event'. */
  table?: string;
  /** LISTEN/NOTIFY channel the writer notifies on commit. Default 'podium_outbox'. */
  channel?: string;
  /** Run the relay in this process (default true); false = only write (scripts, tests of the writer). */
  relay?: boolean;
  /** Polling fallback when no notification arrives. Default 1 s. */
  pollIntervalMs?: number;
  /** Rows read per batch. Default 100. */
  batchSize?: number;
  /** How often a standby replica tries to become the active relay. Default 5 s. */
  lockRetryMs?: number;
  /** Backoff while NATS or the database is failing: from min, doubling, up to max. Default 500 ms .. 30 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Published rows are deleted after this long (the last published row is always kept). Default 7 days; 0 = never. */
  retentionMs?: number;
}

export type ResolvedOutboxOptions = Required<OutboxModuleOptions>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const outboxOptionsSchema = z.object({
  databaseUrl: z.string().min(1, 'databaseUrl is required'),
  table: z
    .string()
    .refine(
      (t) => t.split('.').length <= 2 && t.split('.').every((p) => IDENTIFIER.test(p)),
      'table must be name or schema.name',
    )
    .optional(),
  channel: z.string().regex(IDENTIFIER, 'channel must be a plain identifier').optional(),
  relay: z.boolean().optional(),
  pollIntervalMs: z.number().int().min(10).optional(),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  lockRetryMs: z.number().int().min(10).optional(),
  minBackoffMs: z.number().int().min(1).optional(),
  maxBackoffMs: z.number().int().min(1).optional(),
  retentionMs: z.number().int().min(0).optional(),
});

export function resolveOutboxOptions(options: OutboxModuleOptions): ResolvedOutboxOptions {
  const result = outboxOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new Error(
      `Invalid outbox options: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    databaseUrl: options.databaseUrl,
    table: options.table ?? 'outbox_event',
    channel: options.channel ?? 'podium_outbox',
    relay: options.relay ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    batchSize: options.batchSize ?? 100,
    lockRetryMs: options.lockRetryMs ?? 5_000,
    minBackoffMs: options.minBackoffMs ?? 500,
    maxBackoffMs: Math.max(options.maxBackoffMs ?? 30_000, options.minBackoffMs ?? 500),
    retentionMs: options.retentionMs ?? 7 * 24 * 60 * 60 * 1000,
  };
}

/** Injection token of the {@link ResolvedOutboxOptions}. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
