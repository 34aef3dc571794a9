/**
 * Migration 20261203163000_document_source on a database holding documents from before it: each document is bound to
 * the Source of its first applied (merged, withdrawn) version, else to the Source of its stored header (DT_CURRENT
 * keeps no versions), and the column ends NOT NULL.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { applyMigrations } from '@podium/platform';
import { createTestDatabase, type TestDatabase } from '@podium/testing';
import { Client } from 'pg';

const MIGRATIONS = join(__dirname, '..', '..', 'prisma', 'migrations');
const MIGRATION = '20261203163000_document_source';

describe(`migration ${MIGRATION}`, () => {
  let before: string;
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    // The migrations before this one, in a folder of their own.
    before = await mkdtemp(join(tmpdir(), 'results-ingest-migrations-'));
    for (const name of await readdir(MIGRATIONS)) {
      if (name < MIGRATION) await cp(join(MIGRATIONS, name), join(before, name), { recursive: true });
    }
    db = await createTestDatabase({ migrationsDir: before });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await db?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('binds existing documents to the Source of their first applied version, else of their header', async () => {
    const doc = (key: string, type: string, source: string) =>
      pg.query(
        `INSERT INTO document (key, competition_code, document_code, document_type, feed_flag, version, withdrawn, header,
           received_at, updated_at)
         VALUES ($1, 'OG2024', 'ATHM100M--------------FNL-000100--', $2, 'P', 3, false, $3::jsonb, now(), now())`,
        [key, type, JSON.stringify({ version: 3, source })],
      );
    const version = (key: string, v: number, disposition: string, source: string) =>
      pg.query(
        `INSERT INTO document_version (document_key, version, disposition, source, format, raw, header, received_at)
         VALUES ($1, $2, $3, $4, 'xml', '<OdfBody/>', '{}'::jsonb, now())`,
        [key, v, disposition, source],
      );
    const result = 'OG2024|ATHM100M--------------FNL-000100--||DT_RESULT|||P';
    const current = 'OG2024|ATHM100M--------------FNL-000100--||DT_CURRENT|||P';
    // A stale message from another Source came first; the first applied one is SRCA's; the header holds the latest.
    await doc(result, 'DT_RESULT', 'SRCB');
    await version(result, 2, 'stale', 'SRCZ');
    await version(result, 1, 'applied', 'SRCA');
    await version(result, 3, 'applied', 'SRCB');
    await doc(current, 'DT_CURRENT', 'CLOCK1');

    const { applied } = await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS });
    expect(applied).toContain(MIGRATION);

    const { rows } = await pg.query<{ key: string; source: string }>('SELECT key, source FROM document ORDER BY key');
    expect(rows).toEqual([
      { key: current, source: 'CLOCK1' },
      { key: result, source: 'SRCA' },
    ]);
    const column = await pg.query<{ is_nullable: string }>(
      "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'document' AND column_name = 'source'",
    );
    expect(column.rows).toEqual([{ is_nullable: 'NO' }]);
  });
});
