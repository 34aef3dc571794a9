/**
 * The developer workflow of tools/db on a temporary copy of a small service, against a real PostgreSQL:
 * new (init) -> deploy -> drift clean -> schema change -> drift fails -> new (ALTER) -> deploy -> drift clean.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, withDatabase } from '@podium/platform';
import { postgresServer } from '@podium/test-servers';
import { Client } from 'pg';
import { type CommandContext, deployCommand, driftCommand, MIGRATION_LOCK, newMigrationCommand, statusCommand } from './commands';

/** The PostgreSQL server of the integration tests (Testcontainers, or the local one): @podium/test-servers decides. */
let server: string;
beforeAll(async () => {
  server = (await postgresServer()).url;
});

const SCHEMA = `generator client {
  provider     = "prisma-client"
  output       = "../src/generated/prisma"
  moduleFormat = "cjs"
}

datasource db {
  provider = "postgresql"
}

enum Gender {
  M
  W
  X
}

model Noc {
  code     String    @id @db.Char(3)
  name     String
  athletes Athlete[]

  @@map("noc")
}

model Athlete {
  id        Int      @id @default(autoincrement())
  noc       String   @db.Char(3)
  team      Noc      @relation(fields: [noc], references: [code])
  name      String
  gender    Gender
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)

  @@index([noc])
  @@map("athlete")
}
`;

describe('tools/db commands (PostgreSQL)', () => {
  let root: string;
  let prismaDir: string;
  let databaseUrl: string;
  let out: string[];
  let err: string[];
  let clock: number;
  let ctx: CommandContext;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-db-tools-'));
    prismaDir = join(root, 'apps', 'demo', 'prisma');
    await mkdir(prismaDir, { recursive: true });
    await writeFile(join(prismaDir, 'schema.prisma'), SCHEMA);
    databaseUrl = withDatabase(server, `podium_t_dbtools_${randomBytes(4).toString('hex')}`);
    out = [];
    err = [];
    clock = Date.parse('2025-03-01T10:00:00Z');
    ctx = {
      root,
      env: { DATABASE_URL: server },
      output: { out: (line) => out.push(line), err: (line) => err.push(line) },
      now: () => new Date((clock += 60_000)),
    };
  });

  afterEach(async () => {
    await dropDatabase(databaseUrl);
    await rm(root, { recursive: true, force: true });
  });

  const migrations = async (): Promise<string[]> => (await readdir(join(prismaDir, 'migrations'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const sqlOf = (name: string): Promise<string> => readFile(join(prismaDir, 'migrations', name, 'migration.sql'), 'utf8');
  const editSchema = async (edit: (schema: string) => string): Promise<void> => {
    await writeFile(join(prismaDir, 'schema.prisma'), edit(await readFile(join(prismaDir, 'schema.prisma'), 'utf8')));
  };
  async function columns(table: string): Promise<string[]> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const result = await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table]);
      return result.rows.map((r) => r.column_name);
    } finally {
      await client.end();
    }
  }

  it('creates the init migration, keeps drift clean, and turns a new field into ALTER TABLE ADD COLUMN', async () => {
    expect(await newMigrationCommand('demo', 'init', ctx)).toBe(0);
    expect(await migrations()).toEqual(['20250301100100_init']);
    expect(await readFile(join(prismaDir, 'migrations', 'migration_lock.toml'), 'utf8')).toBe(MIGRATION_LOCK);
    const init = await sqlOf('20250301100100_init');
    expect(init).toContain('CREATE TYPE "Gender" AS ENUM (\'M\', \'W\', \'X\');');
    expect(init).toContain('CREATE TABLE "athlete" (\n    "id" SERIAL NOT NULL,');
    expect(init).toContain('ALTER TABLE "athlete" ADD CONSTRAINT "athlete_noc_fkey" FOREIGN KEY ("noc") REFERENCES "noc"("code") ON DELETE RESTRICT ON UPDATE CASCADE;');
    expect(out.join('\n')).toContain('Created apps/demo/prisma/migrations/20250301100100_init/migration.sql');

    expect(await deployCommand(['demo'], ctx, { databaseUrl })).toBe(0);
    expect(out.at(-1)).toMatch(/demo: applied 1 migration\(s\) to .*podium_t_dbtools_\w+, created:\n {2}20250301100100_init/);
    expect(await columns('athlete')).toEqual(['id', 'noc', 'name', 'gender', 'created_at']);

    expect(await driftCommand(['demo'], ctx)).toBe(0);
    expect(out.at(-1)).toBe('demo: schema.prisma and migrations agree');

    await editSchema((s) => s.replace('  name      String\n  gender', '  name      String\n  nickname  String?\n  gender'));
    err = [];
    expect(await driftCommand(['demo'], ctx)).toBe(1);
    expect(err.join('\n')).toBe(
      'schema.prisma and migrations drifted apart for demo:\n  + column "athlete"."nickname" text\nRun: npm run db:migration -- demo <name>',
    );

    expect(await newMigrationCommand('demo', 'add nickname', ctx)).toBe(0);
    expect(await migrations()).toEqual(['20250301100100_init', '20250301100200_add_nickname']);
    expect(await sqlOf('20250301100200_add_nickname')).toBe('-- AlterTable\nALTER TABLE "athlete" ADD COLUMN     "nickname" TEXT;\n');

    expect(await deployCommand(['demo'], ctx, { databaseUrl })).toBe(0);
    expect(await columns('athlete')).toContain('nickname');
    expect(await driftCommand(['demo'], ctx)).toBe(0);

    out = [];
    expect(await newMigrationCommand('demo', 'nothing', ctx)).toBe(0);
    expect(out).toEqual(['No schema changes for demo: schema.prisma and the migrations agree; nothing created.']);
    expect(await migrations()).toHaveLength(2);

    out = [];
    expect(await statusCommand('demo', ctx, { databaseUrl })).toBe(0);
    expect(out[0]).toMatch(/applied {3}20250301100100_init\n {2}applied {3}20250301100200_add_nickname\n2 applied, 0 pending$/);
  });

  it('writes warnings for destructive changes and the SQL applies to the migrated database', async () => {
    expect(await newMigrationCommand('demo', 'init', ctx)).toBe(0);
    expect(await deployCommand(['demo'], ctx, { databaseUrl })).toBe(0);
    await editSchema((s) =>
      s
        .replace('  name      String\n  gender    Gender\n', '  gender    Gender\n  bib       Int\n')
        .replace('  @@index([noc])\n', '  @@index([noc])\n  @@unique([noc, bib])\n')
        .replace('  team      Noc      @relation(fields: [noc], references: [code])', '  team      Noc      @relation(fields: [noc], references: [code], onDelete: Cascade)'),
    );
    expect(await newMigrationCommand('demo', 'bibs', ctx)).toBe(0);
    const sql = await sqlOf((await migrations())[1] ?? '');
    expect(sql).toContain('  - You are about to drop the column `name` on the `athlete` table. All the data in the column will be lost.');
    expect(sql).toContain('  - Added the required column `bib` to the `athlete` table without a default value. This is not possible if the table is not empty.');
    expect(sql).toContain('-- DropForeignKey\nALTER TABLE "athlete" DROP CONSTRAINT "athlete_noc_fkey";');
    expect(sql).toContain('ALTER TABLE "athlete" DROP COLUMN "name",\nADD COLUMN     "bib" INTEGER NOT NULL;');
    expect(sql).toContain('CREATE UNIQUE INDEX "athlete_noc_bib_key" ON "athlete"("noc", "bib");');
    expect(sql).toContain('ON DELETE CASCADE ON UPDATE CASCADE;');
    expect(await deployCommand(['demo'], ctx, { databaseUrl })).toBe(0);
    expect(await columns('athlete')).toEqual(['id', 'noc', 'gender', 'created_at', 'bib']);
    expect(await driftCommand(['demo'], ctx)).toBe(0);
  });

  it('refuses what it cannot generate, naming it, and writes nothing', async () => {
    expect(await newMigrationCommand('demo', 'init', ctx)).toBe(0);
    await editSchema((s) => s.replace('  W\n  X\n', '  W\n'));
    expect(await newMigrationCommand('demo', 'drop_x', ctx)).toBe(1);
    expect(err.join('\n')).toContain('removing value(s) X from enum "Gender"');
    expect(err.join('\n')).toContain('npm run db:migration -- demo drop_x --empty');
    expect(await migrations()).toHaveLength(1);

    expect(await driftCommand(['demo'], ctx)).toBe(1);
    expect(err.join('\n')).toContain('~ enum "Gender": value(s) removed X');

    await editSchema((s) => s.replace('  name      String\n', '  name      String\n  ts        Unsupported("tsvector")?\n'));
    await expect(newMigrationCommand('demo', 'fts', ctx)).rejects.toThrow(/does not support:\n {2}- Unsupported\("\.\.\."\) fields/);
    expect(await migrations()).toHaveLength(1);
  });

  it('creates an empty migration for hand-written SQL, applied like any other, and leaves unmanaged objects alone', async () => {
    expect(await newMigrationCommand('demo', 'init', ctx)).toBe(0);
    expect(await newMigrationCommand('demo', 'partial index', ctx, { empty: true })).toBe(0);
    const [, manual] = await migrations();
    expect(manual).toBe('20250301100200_partial_index');
    await writeFile(
      join(prismaDir, 'migrations', manual ?? '', 'migration.sql'),
      'CREATE INDEX "athlete_unnamed_idx" ON "athlete"("noc") WHERE "name" = \'\';\nALTER TABLE "noc" ADD CONSTRAINT "noc_code_upper" CHECK ("code" = upper("code"));\n',
    );
    err = [];
    expect(await driftCommand(['demo'], ctx)).toBe(0);
    expect(err).toEqual([
      'demo: note: left alone (schema.prisma cannot express it): CHECK constraint "noc_code_upper" on "noc"',
      'demo: note: left alone (schema.prisma cannot express it): partial index "athlete_unnamed_idx" on "athlete"',
    ]);
    expect(await deployCommand(['demo'], ctx, { databaseUrl })).toBe(0);
    expect(existsSync(join(prismaDir, 'migrations', 'migration_lock.toml'))).toBe(true);
  });

  it('adds enum values, and explains why a new value cannot be used in the same migration', async () => {
    expect(await newMigrationCommand('demo', 'init', ctx)).toBe(0);
    await editSchema((s) => s.replace('  W\n  X\n', '  W\n  X\n  O\n'));
    expect(await newMigrationCommand('demo', 'gender_o', ctx)).toBe(0);
    expect(await sqlOf((await migrations())[1] ?? '')).toBe('-- AlterEnum\nALTER TYPE "Gender" ADD VALUE \'O\';\n');
    await editSchema((s) => s.replace('  W\n  X\n  O\n', '  W\n  X\n  O\n  U\n').replace('  gender    Gender\n', '  gender    Gender   @default(U)\n'));
    await expect(newMigrationCommand('demo', 'gender_u', ctx)).rejects.toThrow(/unsafe use of new value "U"[\s\S]*in two steps/);
    expect(await migrations()).toHaveLength(2);
  });

  it('reports migrations that do not apply', async () => {
    await mkdir(join(prismaDir, 'migrations', '20250101000000_broken'), { recursive: true });
    await writeFile(join(prismaDir, 'migrations', '20250101000000_broken', 'migration.sql'), 'CREATE TABLE "x" (;\n');
    await expect(driftCommand(['demo'], ctx)).rejects.toThrow(/do not apply to an empty database:\nMigration 20250101000000_broken failed/);
  });
});
