import { getDMMF } from '@prisma/internals';
import { desiredSchemaFromDatamodel, prismaTimestamp, relationConstraintNames, stripComments, UnsupportedSchemaError } from './desired-schema';
import type { DbSchema, DbTable } from './model';

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';

async function desired(models: string): Promise<DbSchema> {
  const source = DATASOURCE + models;
  return desiredSchemaFromDatamodel((await getDMMF({ datamodel: source })).datamodel, source);
}

function table(schema: DbSchema, name: string): DbTable {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

describe('desiredSchemaFromDatamodel', () => {
  it('maps Prisma types and @db native types to PostgreSQL types as Prisma does', async () => {
    const schema = await desired(`
model T {
  id    Int      @id @default(autoincrement())
  s     String
  i     Int
  b     BigInt
  dt    DateTime
  bo    Boolean
  j     Json
  f     Float
  d     Decimal
  by    Bytes
  t     String   @db.Text
  vc    String   @db.VarChar(40)
  c     String   @db.Char(3)
  tz    DateTime @db.Timestamptz(6)
  ts    DateTime @db.Timestamp(0)
  da    DateTime @db.Date
  u     String   @db.Uuid
  nb    BigInt   @db.BigInt
  ni    Int      @db.Integer
  si    Int      @db.SmallInt
  nbo   Boolean  @db.Boolean
  jb    Json     @db.JsonB
  jj    Json     @db.Json
  dp    Float    @db.DoublePrecision
  nd    Decimal  @db.Decimal(10, 2)
  list  String[]
  opt   String?
}`);
    const types = Object.fromEntries(table(schema, 'T').columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      id: 'SERIAL', s: 'TEXT', i: 'INTEGER', b: 'BIGINT', dt: 'TIMESTAMP(3)', bo: 'BOOLEAN', j: 'JSONB', f: 'DOUBLE PRECISION',
      d: 'DECIMAL(65,30)', by: 'BYTEA', t: 'TEXT', vc: 'VARCHAR(40)', c: 'CHAR(3)', tz: 'TIMESTAMPTZ(6)', ts: 'TIMESTAMP(0)', da: 'DATE',
      u: 'UUID', nb: 'BIGINT', ni: 'INTEGER', si: 'SMALLINT', nbo: 'BOOLEAN', jb: 'JSONB', jj: 'JSON', dp: 'DOUBLE PRECISION',
      nd: 'DECIMAL(10,2)', list: 'TEXT[]', opt: 'TEXT',
    });
    const byName = Object.fromEntries(table(schema, 'T').columns.map((c) => [c.name, c]));
    expect(byName['s']?.notNull).toBe(true);
    expect(byName['opt']?.notNull).toBe(false);
    expect(byName['list']?.notNull).toBe(false); // Prisma's scalar lists are nullable arrays
  });

  it('uses SERIAL, BIGSERIAL and SMALLSERIAL for autoincrement', async () => {
    const schema = await desired(`
model A {
  id  BigInt @id @default(autoincrement())
  n   Int    @default(autoincrement()) @db.SmallInt
}`);
    expect(table(schema, 'A').columns.map((c) => [c.type, c.autoincrement, c.default])).toEqual([
      ['BIGSERIAL', true, null],
      ['SMALLSERIAL', true, null],
    ]);
  });

  it('renders defaults the way Prisma does, and none for client-side ones and @updatedAt', async () => {
    const schema = await desired(`
enum Status {
  OPEN
  CLOSED @map("closed")
}
model D {
  id      String   @id @default(uuid())
  cuid    String   @default(cuid())
  now     DateTime @default(now())
  upd     DateTime @updatedAt
  gen     String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  str     String   @default("it's")
  int     Int      @default(-3)
  big     BigInt   @default(9007199254740993)
  flt     Float    @default(1.5)
  bool    Boolean  @default(false)
  json    Json     @default("{\\"a\\": 1}")
  at      DateTime @default("2024-07-26T19:30:00Z")
  ms      DateTime @default("2024-07-26T19:30:00.125Z")
  status  Status   @default(CLOSED)
  tags    String[] @default(["a", "b"])
  none    Int[]    @default([])
}`);
    expect(Object.fromEntries(table(schema, 'D').columns.map((c) => [c.name, c.default]))).toEqual({
      id: null, cuid: null, now: 'CURRENT_TIMESTAMP', upd: null, gen: 'gen_random_uuid()', str: "'it''s'", int: '-3',
      big: '9007199254740993', flt: '1.5', bool: 'false', json: '\'{"a": 1}\'', at: "'2024-07-26 19:30:00 +00:00'",
      ms: "'2024-07-26 19:30:00.125 +00:00'", status: "'closed'", tags: "ARRAY['a', 'b']::TEXT[]", none: 'ARRAY[]::INTEGER[]',
    });
  });

  it('applies @map/@@map and names keys and indexes like Prisma, honouring map:', async () => {
    const schema = await desired(`
model Unit {
  edition String
  rsc     String
  start   DateTime? @map("start_utc")
  code    String    @unique
  other   String    @unique(map: "unit_other_uq")

  @@id([edition, rsc])
  @@unique([edition, code])
  @@index([edition, start(sort: Desc)])
  @@index([rsc], type: Hash, map: "unit_rsc_hash")
  @@map("unit")
}
model Single {
  id Int @id(map: "single_pk")
}`);
    const unit = table(schema, 'unit');
    expect(unit.primaryKey).toEqual({ name: 'unit_pkey', columns: ['edition', 'rsc'] });
    expect(unit.columns.map((c) => c.name)).toEqual(['edition', 'rsc', 'start_utc', 'code', 'other']);
    expect(unit.indexes).toEqual([
      { name: 'unit_code_key', unique: true, columns: [{ name: 'code', desc: false }], method: 'btree' },
      { name: 'unit_other_uq', unique: true, columns: [{ name: 'other', desc: false }], method: 'btree' },
      { name: 'unit_edition_start_utc_idx', unique: false, columns: [{ name: 'edition', desc: false }, { name: 'start_utc', desc: true }], method: 'btree' },
      { name: 'unit_rsc_hash', unique: false, columns: [{ name: 'rsc', desc: false }], method: 'hash' },
      { name: 'unit_edition_code_key', unique: true, columns: [{ name: 'edition', desc: false }, { name: 'code', desc: false }], method: 'btree' },
    ]);
    expect(table(schema, 'Single').primaryKey).toEqual({ name: 'single_pk', columns: ['id'] });
  });

  it('turns relations into foreign keys with Prisma default actions, and enums into types', async () => {
    const schema = await desired(`
enum Kind {
  A
  B
  @@map("kind")
}
model Noc {
  code     String    @id
  athletes Athlete[]
  coaches  Coach[]
}
model Athlete {
  id    Int    @id
  noc   String @map("noc_code")
  team  Noc    @relation(fields: [noc], references: [code])
  kind  Kind
}
model Coach {
  id    Int     @id
  noc   String?
  team  Noc?    @relation(fields: [noc], references: [code], onUpdate: NoAction, map: "coach_team")
}`);
    expect(schema.enums).toEqual([{ name: 'kind', values: ['A', 'B'] }]);
    expect(table(schema, 'Athlete').columns.find((c) => c.name === 'kind')?.type).toBe('"kind"');
    expect(table(schema, 'Athlete').foreignKeys).toEqual([
      { name: 'Athlete_noc_code_fkey', columns: ['noc_code'], referencedTable: 'Noc', referencedColumns: ['code'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ]);
    expect(table(schema, 'Coach').foreignKeys).toEqual([
      { name: 'coach_team', columns: ['noc'], referencedTable: 'Noc', referencedColumns: ['code'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
    ]);
  });

  it("creates Prisma's join table for an implicit many-to-many relation", async () => {
    const schema = await desired(`
model Post {
  id   Int   @id @default(autoincrement())
  tags Tag[]
}
model Tag {
  name  String @id
  posts Post[]
}`);
    expect(table(schema, '_PostToTag')).toEqual({
      name: '_PostToTag',
      columns: [
        { name: 'A', type: 'INTEGER', notNull: true, default: null, autoincrement: false },
        { name: 'B', type: 'TEXT', notNull: true, default: null, autoincrement: false },
      ],
      primaryKey: { name: '_PostToTag_AB_pkey', columns: ['A', 'B'] },
      indexes: [{ name: '_PostToTag_B_index', unique: false, columns: [{ name: 'B', desc: false }], method: 'btree' }],
      foreignKeys: [
        { name: '_PostToTag_A_fkey', columns: ['A'], referencedTable: 'Post', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
        { name: '_PostToTag_B_fkey', columns: ['B'], referencedTable: 'Tag', referencedColumns: ['name'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      ],
    });
  });

  it('refuses what it does not support, listing every problem', async () => {
    const error = await desired(`
model X {
  id   Int    @id
  ts   Unsupported("tsvector")?
  e    String @default(dbgenerated())
  c    String
  @@index([c(ops: raw("text_pattern_ops"))])
}
model Y {
  id Int @id
  @@ignore
}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedSchemaError);
    expect((error as UnsupportedSchemaError).problems).toEqual([
      'Unsupported("...") fields',
      '@ignore / @@ignore',
      '@default(dbgenerated()) without an expression (X.e)',
      'index operator class text_pattern_ops (X.c)',
    ]);
  });

  it('ignores constructs that are only mentioned in comments', async () => {
    const schema = await desired(`
// ts Unsupported("tsvector") was removed; @@ignore is not used either
model Z {
  id Int @id // see https://example.org//x
}`);
    expect(schema.tables).toHaveLength(1);
  });
});

describe('schema text helpers', () => {
  it('strips comments but not // inside strings', () => {
    expect(stripComments('a String @default("http://x") // note\n// whole line')).toBe('a String @default("http://x") \n');
  });

  it('finds map: names of @relation attributes per model field', () => {
    const names = relationConstraintNames(`
model A {
  b   B   @relation(fields: [bId], references: [id], map: "a_b_fk")
  c   C   @relation(fields: [cId], references: [id])
  bId Int
}`);
    expect([...names]).toEqual([['A.b', 'a_b_fk']]);
  });

  it('formats DateTime defaults like Prisma', () => {
    expect(prismaTimestamp('2020-01-02T03:04:05Z')).toBe('2020-01-02 03:04:05 +00:00');
    expect(prismaTimestamp('2020-01-02T03:04:05.678+02:00')).toBe('2020-01-02 01:04:05.678 +00:00');
  });
});
