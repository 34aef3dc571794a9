import type { DbTable } from './model';
import { renderCreateIndex, renderCreateTable, renderMigration, renderStep } from './render';

const table: DbTable = {
  name: 'unit',
  columns: [
    { name: 'edition', type: 'TEXT', notNull: true, default: null, autoincrement: false },
    { name: 'rsc', type: 'TEXT', notNull: true, default: null, autoincrement: false },
    { name: 'medal', type: 'BOOLEAN', notNull: true, default: 'false', autoincrement: false },
    { name: 'start_utc', type: 'TIMESTAMPTZ(3)', notNull: false, default: null, autoincrement: false },
  ],
  primaryKey: { name: 'unit_pkey', columns: ['edition', 'rsc'] },
  indexes: [],
  foreignKeys: [],
};

describe('Prisma-style SQL rendering', () => {
  it('renders CREATE TABLE with the primary key constraint after a blank line', () => {
    expect(renderCreateTable(table)).toBe(
      'CREATE TABLE "unit" (\n' +
        '    "edition" TEXT NOT NULL,\n' +
        '    "rsc" TEXT NOT NULL,\n' +
        '    "medal" BOOLEAN NOT NULL DEFAULT false,\n' +
        '    "start_utc" TIMESTAMPTZ(3),\n' +
        '\n' +
        '    CONSTRAINT "unit_pkey" PRIMARY KEY ("edition","rsc")\n' +
        ');',
    );
  });

  it('renders CREATE TABLE without a primary key', () => {
    expect(renderCreateTable({ ...table, columns: table.columns.slice(0, 2), primaryKey: null })).toBe(
      'CREATE TABLE "unit" (\n    "edition" TEXT NOT NULL,\n    "rsc" TEXT NOT NULL\n);',
    );
  });

  it('renders indexes, with USING for non-btree methods and DESC columns', () => {
    expect(renderCreateIndex('unit', { name: 'u_idx', unique: false, method: 'btree', columns: [{ name: 'edition', desc: false }, { name: 'start_utc', desc: true }] })).toBe(
      'CREATE INDEX "u_idx" ON "unit"("edition", "start_utc" DESC);',
    );
    expect(renderCreateIndex('unit', { name: 'u_key', unique: true, method: 'hash', columns: [{ name: 'rsc', desc: false }] })).toBe(
      'CREATE UNIQUE INDEX "u_key" ON "unit" USING HASH ("rsc");',
    );
  });

  it('renders one ALTER TABLE with all clauses of a table', () => {
    expect(
      renderStep({
        kind: 'AlterTable',
        table: 'unit',
        clauses: [
          { kind: 'DropPrimaryKey', name: 'unit_pkey' },
          { kind: 'DropColumn', column: 'old' },
          { kind: 'AddColumn', column: { name: 'venue', type: 'TEXT', notNull: false, default: null, autoincrement: false } },
          { kind: 'DropNotNull', column: 'medal' },
          { kind: 'SetDefault', column: 'medal', default: 'true' },
          { kind: 'SetDataType', column: 'rsc', type: 'VARCHAR(34)' },
          { kind: 'AddPrimaryKey', primaryKey: { name: 'unit_pkey', columns: ['rsc', 'edition'] } },
        ],
      }),
    ).toBe(
      'ALTER TABLE "unit" DROP CONSTRAINT "unit_pkey",\n' +
        'DROP COLUMN "old",\n' +
        'ADD COLUMN     "venue" TEXT,\n' +
        'ALTER COLUMN "medal" DROP NOT NULL,\n' +
        'ALTER COLUMN "medal" SET DEFAULT true,\n' +
        'ALTER COLUMN "rsc" SET DATA TYPE VARCHAR(34),\n' +
        'ADD CONSTRAINT "unit_pkey" PRIMARY KEY ("rsc", "edition");',
    );
  });

  it('renders enum changes, drops and renames', () => {
    expect(renderStep({ kind: 'CreateEnum', enum: { name: 'Status', values: ['A', "B'"] } })).toBe('CREATE TYPE "Status" AS ENUM (\'A\', \'B\'\'\');');
    expect(renderStep({ kind: 'AlterEnum', name: 'Status', addValues: ['C'] })).toBe('ALTER TYPE "Status" ADD VALUE \'C\';');
    expect(renderStep({ kind: 'AlterEnum', name: 'Status', addValues: ['C', 'D'] })).toMatch(/^-- This migration adds more than one value to an enum\.[\s\S]*\n\n\nALTER TYPE "Status" ADD VALUE 'C';\nALTER TYPE "Status" ADD VALUE 'D';$/);
    expect(renderStep({ kind: 'DropIndex', table: 'unit', name: 'unit_x_key', constraint: false })).toBe('DROP INDEX "unit_x_key";');
    expect(renderStep({ kind: 'DropIndex', table: 'unit', name: 'unit_x_key', constraint: true })).toBe('ALTER TABLE "unit" DROP CONSTRAINT "unit_x_key";');
    expect(renderStep({ kind: 'RenameIndex', from: 'a', to: 'b' })).toBe('ALTER INDEX "a" RENAME TO "b";');
    expect(renderStep({ kind: 'DropEnum', name: 'Status' })).toBe('DROP TYPE "Status";');
    expect(
      renderStep({
        kind: 'AddForeignKey',
        table: 'unit',
        foreignKey: { name: 'unit_session_fkey', columns: ['edition', 'session'], referencedTable: 'session', referencedColumns: ['edition', 'code'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
      }),
    ).toBe('ALTER TABLE "unit" ADD CONSTRAINT "unit_session_fkey" FOREIGN KEY ("edition", "session") REFERENCES "session"("edition", "code") ON DELETE SET NULL ON UPDATE CASCADE;');
  });

  it('writes the migration with step comments and a Prisma-style warnings header', () => {
    expect(renderMigration([{ kind: 'DropTable', table: 'old' }, { kind: 'DropEnum', name: 'Old' }], ['You are about to drop the `old` table.'])).toBe(
      '/*\n  Warnings:\n\n  - You are about to drop the `old` table.\n\n*/\n-- DropTable\nDROP TABLE "old";\n\n-- DropEnum\nDROP TYPE "Old";\n',
    );
  });
});
