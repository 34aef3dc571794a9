/**
 * Parity with Prisma: for each scenario the offline generator (migrations applied to a shadow database,
 * introspected, diffed against schema.prisma) must write the same SQL as Prisma's own schema engine
 * (`prisma migrate diff` between the two schemas, run by test/prisma-oracle.mjs through the wasm build of
 * the engine that ships with @prisma/internals). Needs PostgreSQL: postgresServer() of @podium/test-servers.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresServer } from '@podium/test-servers';
import { planMigration } from './planner';
import { WORKSPACE_ROOT } from './services';

/** The PostgreSQL server of the integration tests (Testcontainers, or the local one): @podium/test-servers decides. */
let server: string;
beforeAll(async () => {
  server = (await postgresServer()).url;
});
const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n\n';

function prisma(from: string, to: string): string {
  return execFileSync(process.execPath, [join(WORKSPACE_ROOT, 'tools/db/test/prisma-oracle.mjs')], {
    input: JSON.stringify({ from: from && DATASOURCE + from, to: DATASOURCE + to }),
    encoding: 'utf8',
  });
}

/** Without Prisma's data-loss warnings header (migrate dev adds it, migrate diff does not) and the CREATE SCHEMA of diffs from empty. */
function normalize(sql: string): string {
  return sql
    .replace(/^\/\*\n {2}Warnings:[\s\S]*?\*\/\n/, '')
    .replace('-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n', '')
    .trim();
}

async function offline(from: string, to: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-parity-'));
  try {
    const migrationsDir = join(dir, 'migrations');
    await mkdir(migrationsDir);
    if (from) {
      await mkdir(join(migrationsDir, '20250101000000_from'));
      await writeFile(join(migrationsDir, '20250101000000_from', 'migration.sql'), normalize(prisma('', from)));
    }
    const schemaPath = join(dir, 'schema.prisma');
    await writeFile(schemaPath, DATASOURCE + to);
    const plan = await planMigration({ schemaPath, migrationsDir, serverUrl: server, label: 'parity', verify: true });
    expect(plan.diff.unsupported).toEqual([]);
    return plan.sql;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const RICH = `
enum Role {
  ADMIN
  MEMBER @map("member")
  @@map("role")
}

/// Every supported type, default and constraint.
model Account {
  id        Int       @id @default(autoincrement())
  email     String    @unique @db.VarChar(320)
  name      String?   @map("full_name")
  code      String    @db.Char(3)
  role      Role      @default(MEMBER)
  roles     Role[]
  tags      String[]  @default(["a", "b'c"])
  nums      Int[]     @default([])
  balance   Decimal   @default(0) @db.Decimal(12, 2)
  amount    Decimal
  ratio     Float     @default(0.5)
  real      Float     @db.DoublePrecision
  big       BigInt    @default(10)
  small     Int       @default(1) @db.SmallInt
  int       Int       @db.Integer
  active    Boolean   @default(true)
  profile   Json      @default("{}")
  raw       Json      @db.JsonB
  note      String    @default("it's \\"quoted\\"") @db.Text
  uid       String    @default(uuid()) @db.Uuid
  dbUid     String    @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  born      DateTime  @db.Date
  at        DateTime  @default("2024-07-26T19:30:00.250Z")
  localAt   DateTime  @default(now()) @db.Timestamp(6)
  createdAt DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  updatedAt DateTime  @updatedAt @map("updated_at")
  posts     Post[]
  groups    Group[]

  @@unique([code, small])
  @@index([createdAt(sort: Desc), role])
  @@index([name], type: Hash)
  @@map("account")
}

model Post {
  id        BigInt   @id @default(autoincrement())
  authorId  Int      @map("author_id")
  author    Account  @relation(fields: [authorId], references: [id], onDelete: Cascade)
  editorId  Int?
  editor    Editor?  @relation(fields: [editorId], references: [id], map: "post_editor_custom_fk")
  slug      String
  seq       Int      @default(autoincrement()) @db.SmallInt

  @@unique([authorId, slug], map: "post_author_slug")
  @@index([authorId])
}

model Editor {
  id    Int    @id
  posts Post[]
}

model Group {
  name     String    @id
  accounts Account[]
}

model Pair {
  a Int
  b String

  @@id([a, b], map: "pair_pk")
}
`;

const BEFORE = `
enum Role {
  A
  B
}

enum Old {
  X
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String?
  old   String
  role  Role   @default(A)
  score Int    @default(1)
  o     Old?
  posts Post[]
}

model Post {
  id       String @id
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
  title    String
  body     String @default("x")

  @@index([title])
  @@index([body], map: "post_body_old")
}

model Gone {
  id Int @id
}

model Keyed {
  a Int
  b Int

  @@id([a])
}
`;

const AFTER = `
enum Role {
  A
  B
  C
}

enum Kind {
  X
  Y
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String
  role  Role   @default(B)
  score Int?
  nick  String @default("n")
  req   Int
  kind  Kind   @default(X)
  posts Post[]
  notes Note[]
}

model Post {
  id       String @id
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  title    String @db.VarChar(100)
  body     String

  @@index([title, authorId])
  @@unique([authorId, title])
  @@index([body], map: "post_body_new")
}

model Note {
  id     Int    @id
  userId Int
  user   User   @relation(fields: [userId], references: [id])
  text   String

  @@index([userId])
}

model Keyed {
  a Int
  b Int

  @@id([a, b])
}
`;


const SCENARIOS: ReadonlyArray<[string, string, string]> = [
  [
    'column order: drops and adds by name, alterations in column order; indexes of new tables first',
    `model T {
  id Int @id
  z Int
  a Int
  m Int
  k Int
}
model U {
  id Int @id
  x Int
}
`,
    `model T {
  us U[]
  as A[]
  id Int @id
  q Int?
  c Int?
  k Int?
  z Int?
}
model U {
  id Int @id
  x Int @unique
  t Int
  tt T @relation(fields: [t], references: [id])
  @@index([t])
}
model A {
  id Int @id
  y Int @unique
  t Int
  tt T @relation(fields: [t], references: [id])
}
model Z {
  id Int @id
  w Int @unique
}
`,
  ],
  [
    'foreign keys in table order, new and altered tables mixed',
    `model T {
  id Int @id
}
model U {
  id Int @id
}
`,
    `model A {
  id Int @id
  t Int
  tt T @relation(fields: [t], references: [id])
}
model T {
  id Int @id
  us U[]
  as A[]
}
model U {
  id Int @id
  t Int
  tt T @relation(fields: [t], references: [id])
}
`,
  ],
  [
    'new indexes of altered tables in their current order',
    `model T {
  id Int @id
  x Int
}
model U {
  id Int @id
  x Int
}
`,
    `model U {
  id Int @id
  x Int @unique
  @@index([x], map: "ux")
}
model T {
  id Int @id
  x Int @unique
}
`,
  ],
  [
    'nullability, default and type changes of one column',
    `model T {
  id Int @id
  score Int @default(1)
  s2 Int?
  s3 Int @default(3)
}
`,
    `model T {
  id Int @id
  score BigInt? @default(2)
  s2 BigInt @default(5)
  s3 BigInt
}
`,
  ],
  [
    'type changes with defaults, varchar, list defaults',
    `model T {
  id Int @id
  score Int @default(1)
  label String @default("a")
  n Int?
  tags String[] @default(["a"])
}
`,
    `model T {
  id Int @id
  score BigInt @default(2)
  label String @default("b") @db.VarChar(20)
  n BigInt?
  tags String[] @default(["a", "b"])
}
`,
  ],
  [
    'primary key change, dropped enum, renamed index, lists, timestamps, BRIN and DESC',
    `enum Old {
  P
}
model T {
  a Int
  b Int
  c String
  o Old
  @@id([a])
  @@index([c], map: "c_custom")
}
`,
    `model T {
  a Int
  b Int
  c String
  tags String[]
  tags2 String[] @default(["x", "y'z"])
  tags3 Int[] @default([])
  dt DateTime @default("2020-01-02T03:04:05.678Z")
  dtz DateTime @default("2020-01-02T03:04:05Z") @db.Timestamptz(6)
  dd DateTime @default("2020-01-02T00:00:00Z") @db.Date
  j Json @default("{\\"a\\": 1}")
  f Float @default(-1.5)
  dec Decimal @default(1.5)
  bi BigInt @default(9007199254740993)
  ok Boolean @default(false)
  s String @default("it's \\"q\\"")
  vc String @default("x") @db.VarChar
  bid BigInt @id @default(autoincrement())
  small Int @default(autoincrement()) @db.SmallInt
  d2 String @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  @@unique([a, b])
  @@index([c], map: "c_renamed")
  @@index([b, a], type: Brin)
  @@index([a(sort: Desc), c])
}
`,
  ],
  [
    'an implicit many-to-many relation added',
    `model T {
  id Int @id
}
model U {
  id Int @id
}
`,
    `model T {
  id Int @id
  us U[]
}
model U {
  id Int @id
  ts T[]
}
`,
  ],
  [
    'an implicit many-to-many relation removed',
    `model T {
  id Int @id
  us U[]
}
model U {
  id Int @id
  ts T[]
}
`,
    `model T {
  id Int @id
}
model U {
  id Int @id
}
`,
  ],
];

describe('offline migration generator vs Prisma schema engine', () => {
  it('writes the same init migration for a schema using every supported feature', async () => {
    expect(normalize(await offline('', RICH))).toBe(normalize(prisma('', RICH)));
  });

  it("writes the same init migration for the schedules service's schema", async () => {
    const schedules = (await readFile(join(WORKSPACE_ROOT, 'apps/schedules/prisma/schema.prisma'), 'utf8')).replace(/datasource db \{[^}]*\}/, '');
    expect(normalize(await offline('', schedules))).toBe(normalize(prisma('', schedules)));
  });

  it('writes the same migration for a change of columns, nullability, defaults, enums, keys, indexes and tables', async () => {
    expect(normalize(await offline(BEFORE, AFTER))).toBe(normalize(prisma(BEFORE, AFTER)));
  });

  it.each(SCENARIOS)('writes the same migration for: %s', async (_name, before, after) => {
    expect(normalize(await offline(before, after))).toBe(normalize(prisma(before, after)));
  });

  it('finds nothing to do when the migrations already match', async () => {
    expect(await offline(RICH, RICH)).toBe('');
  });
});
