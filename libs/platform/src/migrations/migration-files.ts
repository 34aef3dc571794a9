import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationChecksum } from './checksum';

/** One folder of a Prisma migrations directory: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  /** The folder name, e.g. `20250101120000_init`: also `_prisma_migrations.migration_name`. */
  name: string;
  /** Absolute path of migration.sql. */
  path: string;
  script: string;
  checksum: string;
}

/**
 * Reads a Prisma migrations directory: every sub-folder is a migration and must hold a migration.sql;
 * files next to them (migration_lock.toml) are ignored. Sorted by folder name, the order Prisma applies them in.
 */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const info = await stat(migrationsDir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`Migrations directory not found: ${migrationsDir}`);
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const migrations: MigrationFile[] = [];
  for (const name of folders) {
    const path = join(migrationsDir, name, 'migration.sql');
    const script = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new Error(`Migration folder ${name} has no migration.sql (${path})`);
      throw error;
    });
    migrations.push({ name, path, script, checksum: migrationChecksum(script) });
  }
  return migrations;
}
