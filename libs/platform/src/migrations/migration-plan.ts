import { z } from 'zod';
import { checksumMatches } from './checksum';
import type { MigrationFile } from './migration-files';

/** A row of Prisma's `_prisma_migrations` table. */
export const migrationRowSchema = z.object({
  id: z.string(),
  checksum: z.string(),
  finished_at: z.date().nullable(),
  migration_name: z.string(),
  logs: z.string().nullable(),
  rolled_back_at: z.date().nullable(),
  started_at: z.date(),
  applied_steps_count: z.number().int(),
});
export type MigrationRow = z.infer<typeof migrationRowSchema>;

export interface MigrationPlan {
  /** Local migrations not applied yet, in the order to apply them. */
  pending: MigrationFile[];
  /** Names of local migrations already applied (finished, not rolled back). */
  applied: string[];
  /** Rows of migrations that started and neither finished nor were marked rolled back: Prisma refuses to go on. */
  failed: MigrationRow[];
  /** Applied migrations whose migration.sql changed since (checksum differs). */
  modified: string[];
  /** Applied migrations the migrations directory does not have (e.g. an older image deploying). */
  missingLocally: string[];
}

/**
 * Compares the migrations directory with `_prisma_migrations` the way `prisma migrate deploy` does:
 * a migration counts as applied when a row with its name finished and was not rolled back; rows marked
 * rolled back are history only.
 */
export function planMigrations(files: readonly MigrationFile[], rows: readonly MigrationRow[]): MigrationPlan {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const finished = new Map<string, MigrationRow>();
  for (const row of live) {
    if (row.finished_at !== null) finished.set(row.migration_name, row);
  }
  const failed = live.filter((row) => row.finished_at === null && !finished.has(row.migration_name));
  const local = new Set(files.map((file) => file.name));
  return {
    pending: files.filter((file) => !finished.has(file.name)),
    applied: files.filter((file) => finished.has(file.name)).map((file) => file.name),
    failed,
    modified: files
      .filter((file) => {
        const row = finished.get(file.name);
        return row !== undefined && !checksumMatches(file.script, row.checksum);
      })
      .map((file) => file.name),
    missingLocally: [...finished.keys()].filter((name) => !local.has(name)),
  };
}
