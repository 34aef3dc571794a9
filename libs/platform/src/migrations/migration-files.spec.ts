import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationChecksum } from './checksum';
import { readMigrations } from './migration-files';

describe('readMigrations', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podium-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function migration(name: string, script: string): Promise<void> {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), script);
  }

  it('returns the folders sorted by name with their script and checksum, ignoring files', async () => {
    await migration('20250102000000_b', 'SELECT 2;\n');
    await migration('20250101000000_a', 'SELECT 1;\n');
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    const migrations = await readMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(['20250101000000_a', '20250102000000_b']);
    expect(migrations[0]).toMatchObject({ script: 'SELECT 1;\n', checksum: migrationChecksum('SELECT 1;\n') });
    expect(migrations[0]?.path).toBe(join(dir, '20250101000000_a', 'migration.sql'));
  });

  it('fails on a folder without migration.sql, naming it', async () => {
    await mkdir(join(dir, '20250101000000_empty'));
    await expect(readMigrations(dir)).rejects.toThrow(/20250101000000_empty has no migration.sql/);
  });

  it('fails when the directory does not exist', async () => {
    await expect(readMigrations(join(dir, 'nope'))).rejects.toThrow(/Migrations directory not found/);
  });
});
