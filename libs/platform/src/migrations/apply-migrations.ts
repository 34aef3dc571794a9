import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import { z } from 'zod';
import { connectClient, messageOf, sqlStateOf } from './connect';
import { describeDatabaseUrl, quoteIdent, schemaOf } from './database-url';
import { MigrationError } from './migration-error';
import { type MigrationFile, readMigrations } from './migration-files';
import { type MigrationPlan, type MigrationRow, migrationRowSchema, planMigrations } from './migration-plan';

/**
 * The advisory lock `prisma migrate deploy` takes (72707369): holding the same one makes this runner and
 * Prisma's exclude each other, so two replicas, two Helm hook Jobs or a developer's `prisma migrate deploy`
 * never apply migrations at the same time.
 */
export const PRISMA_MIGRATE_ADVISORY_LOCK = 72707369;

/** `_prisma_migrations` exactly as Prisma's schema engine creates it (PostgreSQL flavour). */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** What the runner reports on; a pino logger fits. */
export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

const silentLogger: MigrationLogger = { info: () => undefined, warn: () => undefined };

const applyOptionsSchema = z.object({
  databaseUrl: z.string().min(1, 'databaseUrl is required'),
  migrationsDir: z.string().min(1, 'migrationsDir is required'),
  lockTimeoutMs: z.number().int().positive().default(300_000),
});

export interface ApplyMigrationsOptions {
  /** postgres://user:password@host:port/database[?schema=name]: the database must exist (see ensureDatabase). */
  databaseUrl: string;
  /** A Prisma migrations directory: `<timestamp>_<name>/migration.sql` folders. */
  migrationsDir: string;
  logger?: MigrationLogger;
  /** How long to wait for another migrator's lock before giving up (default 5 minutes). */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** The migrations applied by this call, in order. */
  applied: string[];
  /** How many local migrations were applied before this call. */
  alreadyApplied: number;
}

/**
 * Applies the pending migrations of a Prisma migrations directory, the way `prisma migrate deploy` does and
 * into the same `_prisma_migrations` table with the same checksums, without Prisma's native schema engine:
 *
 * - takes Prisma's advisory lock, so concurrent runs apply each migration once;
 * - refuses to go on when an earlier migration failed and was not marked rolled back (like Prisma's P3009);
 * - refuses when an applied migration.sql was edited afterwards (checksum mismatch), naming it;
 * - applies each pending migration in its own transaction together with its `_prisma_migrations` row: a
 *   failing migration leaves nothing behind, neither its half-run statements nor a row.
 *
 * Idempotent: a second call applies nothing.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { databaseUrl, migrationsDir, lockTimeoutMs } = applyOptionsSchema.parse(options);
  const logger = options.logger ?? silentLogger;
  const files = await readMigrations(migrationsDir);
  const target = describeDatabaseUrl(databaseUrl);

  const client = await connectClient(databaseUrl);
  try {
    await acquireLock(client, lockTimeoutMs, logger);
    try {
      await useSchema(client, schemaOf(databaseUrl));
      await client.query(PRISMA_MIGRATIONS_TABLE_DDL);
      const plan = planMigrations(files, await readMigrationRows(client));
      assertDeployable(plan);
      for (const name of plan.missingLocally) {
        logger.warn(`Migration ${name} is applied in ${target} but missing from ${migrationsDir}`);
      }
      if (plan.pending.length === 0) {
        logger.info(`${target}: ${plan.applied.length} migration(s) applied, none pending`);
        return { applied: [], alreadyApplied: plan.applied.length };
      }
      const applied: string[] = [];
      for (const migration of plan.pending) {
        const started = Date.now();
        await applyOne(client, migration);
        applied.push(migration.name);
        logger.info(`${target}: applied migration ${migration.name} in ${Date.now() - started} ms`);
      }
      return { applied, alreadyApplied: plan.applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

export interface MigrationStatus extends Omit<MigrationPlan, 'pending' | 'failed'> {
  /** Names of local migrations not applied yet, in order. */
  pending: string[];
  /** Names of migrations that failed and were not marked rolled back. */
  failed: string[];
  /** False when the database itself does not exist yet (everything is pending). */
  databaseExists: boolean;
}

/** Applied vs pending migrations of a database, read-only (no lock, creates nothing). */
export async function getMigrationStatus(options: { databaseUrl: string; migrationsDir: string }): Promise<MigrationStatus> {
  const files = await readMigrations(options.migrationsDir);
  let client: Client;
  try {
    client = await connectClient(options.databaseUrl);
  } catch (error) {
    // 3D000 invalid_catalog_name: the database does not exist yet.
    if (sqlStateOf(error instanceof MigrationError ? error.cause : error) === '3D000') {
      return { ...statusOf(planMigrations(files, [])), databaseExists: false };
    }
    throw error;
  }
  try {
    const schema = schemaOf(options.databaseUrl);
    const exists = await client.query('SELECT to_regclass($1) AS table', [`${quoteIdent(schema)}."_prisma_migrations"`]);
    const rows = exists.rows[0]?.table ? await readMigrationRows(client, schema) : [];
    return { ...statusOf(planMigrations(files, rows)), databaseExists: true };
  } finally {
    await client.end();
  }
}

function statusOf(plan: MigrationPlan): Omit<MigrationStatus, 'databaseExists'> {
  return {
    ...plan,
    pending: plan.pending.map((file) => file.name),
    failed: plan.failed.map((row) => row.migration_name),
  };
}

async function useSchema(client: Client, schema: string): Promise<void> {
  if (schema === 'public') return;
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(`SET search_path TO ${quoteIdent(schema)}`);
}

async function acquireLock(client: Client, timeoutMs: number, logger: MigrationLogger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = false;
  for (;;) {
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PRISMA_MIGRATE_ADVISORY_LOCK,
    ]);
    if (result.rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        'LOCK_TIMEOUT',
        `Timed out after ${timeoutMs} ms waiting for the migration lock (pg_advisory_lock ${PRISMA_MIGRATE_ADVISORY_LOCK}): ` +
          'another migrator is still running against this database.',
      );
    }
    if (!waiting) {
      logger.info('Another migrator holds the migration lock; waiting for it');
      waiting = true;
    }
    await sleep(100);
  }
}

async function readMigrationRows(client: Client, schema?: string): Promise<MigrationRow[]> {
  const table = schema ? `${quoteIdent(schema)}."_prisma_migrations"` : '"_prisma_migrations"';
  const result = await client.query(`SELECT * FROM ${table} ORDER BY started_at, migration_name`);
  return z.array(migrationRowSchema).parse(result.rows);
}

function assertDeployable(plan: MigrationPlan): void {
  if (plan.failed.length > 0) {
    const names = plan.failed.map((row) => row.migration_name);
    const details = plan.failed
      .map((row) => `  - ${row.migration_name} (started ${row.started_at.toISOString()})${row.logs ? `: ${row.logs.trim()}` : ''}`)
      .join('\n');
    throw new MigrationError(
      'PREVIOUS_MIGRATION_FAILED',
      `Found failed migrations in the target database; new migrations will not be applied:\n${details}\n` +
        'Repair the database by hand, then mark each one rolled back (`prisma migrate resolve --rolled-back <name>`, ' +
        `or: UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '<name>' AND finished_at IS NULL) ` +
        'so that it is applied again, or applied (`prisma migrate resolve --applied <name>`).',
      names,
    );
  }
  if (plan.modified.length > 0) {
    throw new MigrationError(
      'CHECKSUM_MISMATCH',
      `Applied migration(s) were modified after they were applied: ${plan.modified.join(', ')}. ` +
        'A migration is immutable once applied: restore its migration.sql and put the change in a new migration ' +
        '(npm run db:migration -- <service> <name>).',
      plan.modified,
    );
  }
}

async function applyOne(client: Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const started = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    await client.query(migration.script);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name, started.rows[0]?.now ?? new Date()],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(
      'MIGRATION_FAILED',
      `Migration ${migration.name} failed and was rolled back; nothing of it was applied.\n` +
        `  ${describeSqlError(error, migration.script)}\n` +
        `  File: ${migration.path}\n` +
        '  Fix the migration (it was never applied, so it may still be edited) and deploy again.',
      [migration.name],
      { cause: error },
    );
  }
}

/** `ERROR 42601: syntax error at or near "TABL" (line 3)`, from a `pg` error and the script it ran. */
export function describeSqlError(error: unknown, script: string): string {
  const state = sqlStateOf(error);
  let text = `${state ? `ERROR ${state}: ` : ''}${messageOf(error)}`;
  const position = typeof error === 'object' && error !== null && 'position' in error ? Number(error.position) : NaN;
  if (Number.isInteger(position) && position > 0) {
    const line = script.slice(0, position - 1).split('\n').length;
    text += ` (line ${line}: ${script.split('\n')[line - 1]?.trim() ?? ''})`;
  }
  const detail = typeof error === 'object' && error !== null && 'detail' in error ? error.detail : undefined;
  if (typeof detail === 'string' && detail) text += ` - ${detail}`;
  return text;
}
