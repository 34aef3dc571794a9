import { diffSchemas, sameDefault } from './diff';
import type { DbColumn, DbSchema, DbTable } from './model';
import { renderMigration } from './render';

const col = (name: string, type: string, extra: Partial<DbColumn> = {}): DbColumn => ({ name, type, notNull: true, default: null, autoincrement: false, ...extra });
const tbl = (name: string, columns: DbColumn[], extra: Partial<DbTable> = {}): DbTable => ({
  name,
  columns,
  primaryKey: { name: `${name}_pkey`, columns: [columns[0]?.name ?? 'id'] },
  indexes: [],
  foreignKeys: [],
  ...extra,
});
const schema = (tables: DbTable[], enums: DbSchema['enums'] = []): DbSchema => ({ tables, enums, unmanaged: [] });

/**
 * `canonical` is what PostgreSQL reports (format_type / pg_get_expr), `desired` how Prisma writes it: the
 * differ compares the former and emits the latter.
 */
describe('diffSchemas', () => {
  const noc = { desired: tbl('noc', [col('code', 'CHAR(3)'), col('name', 'TEXT')]), canonical: tbl('noc', [col('code', 'character(3)'), col('name', 'text')]) };

  it('creates everything from an empty database in Prisma order', () => {
    const athlete = tbl('athlete', [col('id', 'SERIAL', { autoincrement: true }), col('noc', 'CHAR(3)'), col('kind', '"Kind"')], {
      indexes: [{ name: 'athlete_noc_idx', unique: false, method: 'btree', columns: [{ name: 'noc', desc: false }] }],
      foreignKeys: [{ name: 'athlete_noc_fkey', columns: ['noc'], referencedTable: 'noc', referencedColumns: ['code'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' }],
    });
    const desired = schema([noc.desired, athlete], [{ name: 'Kind', values: ['A'] }]);
    const diff = diffSchemas(schema([]), desired, desired);
    expect(diff.steps.map((s) => s.kind)).toEqual(['CreateEnum', 'CreateTable', 'CreateTable', 'CreateIndex', 'AddForeignKey']);
    expect(diff.differences).toEqual(['+ enum "Kind" (A)', '+ table "noc"', '+ table "athlete"']);
    expect(diff.warnings).toEqual([]);
  });

  it('finds nothing when both sides are the same', () => {
    const diff = diffSchemas(schema([noc.canonical]), schema([noc.canonical]), schema([noc.desired]));
    expect(diff).toEqual({ steps: [], differences: [], warnings: [], unsupported: [] });
  });

  it('adds, drops and alters columns with Prisma spelling and warnings', () => {
    const current = schema([tbl('noc', [col('code', 'character(3)'), col('name', 'text'), col('old', 'text'), col('rank', 'integer', { default: '0' })])]);
    const target = schema([tbl('noc', [col('code', 'character(3)'), col('name', 'text', { notNull: false }), col('rank', 'bigint', { default: '1' }), col('flag', 'text')])]);
    const desired = schema([tbl('noc', [col('code', 'CHAR(3)'), col('name', 'TEXT', { notNull: false }), col('rank', 'BIGINT', { default: '1' }), col('flag', 'TEXT')])]);
    const diff = diffSchemas(current, target, desired);
    expect(renderMigration(diff.steps)).toBe(
      '-- AlterTable\nALTER TABLE "noc" DROP COLUMN "old",\nADD COLUMN     "flag" TEXT NOT NULL,\nALTER COLUMN "name" DROP NOT NULL,\n' +
        'ALTER COLUMN "rank" SET DEFAULT 1,\nALTER COLUMN "rank" SET DATA TYPE BIGINT;\n',
    );
    expect(diff.differences).toEqual([
      '- column "noc"."old"',
      '+ column "noc"."flag" text NOT NULL',
      '~ column "noc"."name": now optional (NULL allowed)',
      '~ column "noc"."rank": default 0 -> 1',
      '~ column "noc"."rank": type integer -> bigint',
    ]);
    expect(diff.warnings).toEqual([
      'You are about to drop the column `old` on the `noc` table. All the data in the column will be lost.',
      'Added the required column `flag` to the `noc` table without a default value. This is not possible if the table is not empty.',
      'The type of the column `rank` on the `noc` table changes from `integer` to `bigint`: existing values are cast.',
    ]);
  });

  it('adds, drops, renames and redefines indexes, dropping constraint-backed ones with ALTER TABLE', () => {
    const idx = (name: string, cols: string[], unique = false, constraint = false) => ({
      name,
      unique,
      method: 'btree',
      columns: cols.map((c) => ({ name: c, desc: false })),
      ...(constraint ? { constraint } : {}),
    });
    const current = schema([{ ...noc.canonical, indexes: [idx('noc_old', ['name']), idx('noc_name_uq', ['name'], true, true), idx('noc_x', ['code'])] }]);
    const target = schema([{ ...noc.canonical, indexes: [idx('noc_new', ['name']), idx('noc_code_name_key', ['code', 'name'], true), idx('noc_x', ['code', 'name'])] }]);
    const diff = diffSchemas(current, target, { ...target, tables: [{ ...noc.desired, indexes: target.tables[0]?.indexes ?? [] }] });
    expect(renderMigration(diff.steps)).toBe(
      '-- DropIndex\nALTER TABLE "noc" DROP CONSTRAINT "noc_name_uq";\n\n-- DropIndex\nDROP INDEX "noc_x";\n\n' +
        '-- CreateIndex\nCREATE UNIQUE INDEX "noc_code_name_key" ON "noc"("code", "name");\n\n-- CreateIndex\nCREATE INDEX "noc_x" ON "noc"("code", "name");\n\n' +
        '-- RenameIndex\nALTER INDEX "noc_old" RENAME TO "noc_new";\n',
    );
    expect(diff.warnings).toEqual([
      'A unique constraint covering the columns `[code,name]` on the table `noc` will be added. If there are existing duplicate values, this will fail.',
    ]);
  });

  it('re-creates a foreign key whose actions changed, and drops the keys of a dropped table first', () => {
    const fk = { name: 'a_noc_fkey', columns: ['noc'], referencedTable: 'noc', referencedColumns: ['code'], onDelete: 'RESTRICT' as const, onUpdate: 'CASCADE' as const };
    const a = (onDelete: 'RESTRICT' | 'CASCADE') => tbl('a', [col('id', 'integer'), col('noc', 'character(3)')], { foreignKeys: [{ ...fk, onDelete }] });
    const gone = tbl('gone', [col('id', 'integer'), col('noc', 'character(3)')], { foreignKeys: [{ ...fk, name: 'gone_noc_fkey' }] });
    const current = schema([noc.canonical, a('RESTRICT'), gone]);
    const target = schema([noc.canonical, a('CASCADE')]);
    const diff = diffSchemas(current, target, schema([noc.desired, a('CASCADE')]));
    expect(diff.steps.map((s) => `${s.kind}${'name' in s ? ` ${s.name}` : ''}${'table' in s && typeof s.table === 'string' ? ` ${s.table}` : ''}`)).toEqual([
      'DropForeignKey gone_noc_fkey gone',
      'DropForeignKey a_noc_fkey a',
      'DropTable gone',
      'AddForeignKey a',
    ]);
    expect(diff.differences).toEqual([
      '- table "gone"',
      '~ foreign key "a_noc_fkey" on "a": (noc) -> noc(code) ON DELETE RESTRICT ON UPDATE CASCADE -> (noc) -> noc(code) ON DELETE CASCADE ON UPDATE CASCADE',
    ]);
  });

  it('adds enum values and types, drops unused types, and refuses removing values', () => {
    const current = schema([], [{ name: 'Status', values: ['A', 'B'] }, { name: 'Old', values: ['X'] }]);
    const target = schema([], [{ name: 'Status', values: ['A', 'C'] }, { name: 'Kind', values: ['K'] }]);
    const diff = diffSchemas(current, target, target);
    expect(diff.steps.map((s) => s.kind)).toEqual(['CreateEnum', 'AlterEnum', 'DropEnum']);
    expect(diff.unsupported).toEqual(['removing value(s) B from enum "Status"']);
  });

  it('refuses autoincrement changes and type changes of autoincrement columns', () => {
    const current = schema([tbl('t', [col('id', 'integer', { autoincrement: true, default: "nextval('t_id_seq'::regclass)" }), col('n', 'integer')])]);
    const target = schema([tbl('t', [col('id', 'bigint', { autoincrement: true, default: "nextval('t_id_seq'::regclass)" }), col('n', 'integer', { autoincrement: true })])]);
    const diff = diffSchemas(current, target, target);
    expect(diff.unsupported).toEqual([
      'changing the type of autoincrement column "t"."id" (integer -> bigint)',
      'making column "t"."n" autoincrement',
    ]);
  });

  it('changes a primary key in one ALTER TABLE', () => {
    const current = schema([tbl('t', [col('a', 'integer'), col('b', 'integer')])]);
    const target = schema([tbl('t', [col('a', 'integer'), col('b', 'integer')], { primaryKey: { name: 't_pkey', columns: ['a', 'b'] } })]);
    expect(renderMigration(diffSchemas(current, target, target).steps)).toBe(
      '-- AlterTable\nALTER TABLE "t" DROP CONSTRAINT "t_pkey",\nADD CONSTRAINT "t_pkey" PRIMARY KEY ("a", "b");\n',
    );
  });
});

describe('sameDefault', () => {
  it('compares literals without their cast and numbers by value', () => {
    expect(sameDefault("'a'::text", "'a'::character varying")).toBe(true);
    expect(sameDefault("'A'::\"Status\"", "'A'::\"Status\"")).toBe(true);
    expect(sameDefault('1.20', '1.2')).toBe(true);
    expect(sameDefault("'5'::bigint", '5')).toBe(true);
    expect(sameDefault("'a'::text", "'b'::text")).toBe(false);
    expect(sameDefault('now()', 'CURRENT_TIMESTAMP')).toBe(false);
    expect(sameDefault(null, '1')).toBe(false);
  });
});
