/**
 * Migration steps -> SQL, written the way Prisma's schema engine writes migration.sql for PostgreSQL
 * (same statements, same `-- Step` comments, same layout), so that generated migrations read like
 * `prisma migrate dev` ones.
 */
import { type DbColumn, type DbEnum, type DbForeignKey, type DbIndex, type DbPrimaryKey, type DbTable, literal, q } from './model';

export type AlterClause =
  | { kind: 'DropPrimaryKey'; name: string }
  | { kind: 'DropColumn'; column: string }
  | { kind: 'AddColumn'; column: DbColumn }
  | { kind: 'DropDefault'; column: string }
  | { kind: 'SetDataType'; column: string; type: string }
  | { kind: 'SetNotNull'; column: string }
  | { kind: 'DropNotNull'; column: string }
  | { kind: 'SetDefault'; column: string; default: string }
  | { kind: 'AddPrimaryKey'; primaryKey: DbPrimaryKey };

export type Step =
  | { kind: 'CreateEnum'; enum: DbEnum }
  | { kind: 'AlterEnum'; name: string; addValues: string[] }
  | { kind: 'DropForeignKey'; table: string; name: string }
  | { kind: 'DropIndex'; table: string; name: string; constraint: boolean }
  | { kind: 'AlterTable'; table: string; clauses: AlterClause[] }
  | { kind: 'DropTable'; table: string }
  | { kind: 'DropEnum'; name: string }
  | { kind: 'CreateTable'; table: DbTable }
  | { kind: 'CreateIndex'; table: string; index: DbIndex }
  | { kind: 'RenameIndex'; from: string; to: string }
  | { kind: 'AddForeignKey'; table: string; foreignKey: DbForeignKey }
  | { kind: 'RenameForeignKey'; table: string; from: string; to: string };

/** The order Prisma emits steps in: what is dropped first, what depends on new objects last. */
export const STEP_ORDER: readonly Step['kind'][] = [
  'CreateEnum',
  'AlterEnum',
  'DropForeignKey',
  'DropIndex',
  'AlterTable',
  'DropTable',
  'DropEnum',
  'CreateTable',
  'CreateIndex',
  'AddForeignKey',
  'RenameIndex',
  'RenameForeignKey',
];

export function renderColumn(column: DbColumn): string {
  return `${q(column.name)} ${column.type}${column.notNull ? ' NOT NULL' : ''}${column.default !== null ? ` DEFAULT ${column.default}` : ''}`;
}

function columnList(columns: readonly string[]): string {
  return columns.map(q).join(', ');
}

export function renderCreateTable(table: DbTable): string {
  const lines = table.columns.map((column) => `    ${renderColumn(column)}`);
  if (!table.primaryKey) return `CREATE TABLE ${q(table.name)} (\n${lines.join(',\n')}\n);`;
  const pk = `    CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${table.primaryKey.columns.map(q).join(',')})`;
  return `CREATE TABLE ${q(table.name)} (\n${lines.map((line) => `${line},\n`).join('')}\n${pk}\n);`;
}

export function renderCreateIndex(table: string, index: DbIndex): string {
  const columns = index.columns.map((c) => `${q(c.name)}${c.desc ? ' DESC' : ''}`).join(', ');
  const target = index.method === 'btree' ? `${q(table)}(${columns})` : `${q(table)} USING ${index.method.toUpperCase()} (${columns})`;
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${target};`;
}

export function renderAddForeignKey(table: string, fk: DbForeignKey): string {
  return (
    `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) ` +
    `REFERENCES ${q(fk.referencedTable)}(${columnList(fk.referencedColumns)}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate};`
  );
}

function renderClause(clause: AlterClause): string {
  switch (clause.kind) {
    case 'DropPrimaryKey':
      return `DROP CONSTRAINT ${q(clause.name)}`;
    case 'DropColumn':
      return `DROP COLUMN ${q(clause.column)}`;
    case 'AddColumn':
      return `ADD COLUMN     ${renderColumn(clause.column)}`;
    case 'DropDefault':
      return `ALTER COLUMN ${q(clause.column)} DROP DEFAULT`;
    case 'SetDataType':
      return `ALTER COLUMN ${q(clause.column)} SET DATA TYPE ${clause.type}`;
    case 'SetNotNull':
      return `ALTER COLUMN ${q(clause.column)} SET NOT NULL`;
    case 'DropNotNull':
      return `ALTER COLUMN ${q(clause.column)} DROP NOT NULL`;
    case 'SetDefault':
      return `ALTER COLUMN ${q(clause.column)} SET DEFAULT ${clause.default}`;
    case 'AddPrimaryKey':
      return `ADD CONSTRAINT ${q(clause.primaryKey.name)} PRIMARY KEY (${columnList(clause.primaryKey.columns)})`;
  }
}

export function renderStep(step: Step): string {
  switch (step.kind) {
    case 'CreateEnum':
      return `CREATE TYPE ${q(step.enum.name)} AS ENUM (${step.enum.values.map(literal).join(', ')});`;
    case 'AlterEnum': {
      const adds = step.addValues.map((value) => `ALTER TYPE ${q(step.name)} ADD VALUE ${literal(value)};`).join('\n');
      if (step.addValues.length < 2) return adds;
      return (
        '-- This migration adds more than one value to an enum.\n' +
        '-- With PostgreSQL versions 11 and earlier, this is not possible\n' +
        '-- in a single migration. This can be worked around by creating\n' +
        '-- multiple migrations, each migration adding only one value to\n' +
        `-- the enum.\n\n\n${adds}`
      );
    }
    case 'DropForeignKey':
      return `ALTER TABLE ${q(step.table)} DROP CONSTRAINT ${q(step.name)};`;
    case 'DropIndex':
      return step.constraint ? `ALTER TABLE ${q(step.table)} DROP CONSTRAINT ${q(step.name)};` : `DROP INDEX ${q(step.name)};`;
    case 'AlterTable':
      return `ALTER TABLE ${q(step.table)} ${step.clauses.map(renderClause).join(',\n')};`;
    case 'DropTable':
      return `DROP TABLE ${q(step.table)};`;
    case 'DropEnum':
      return `DROP TYPE ${q(step.name)};`;
    case 'CreateTable':
      return renderCreateTable(step.table);
    case 'CreateIndex':
      return renderCreateIndex(step.table, step.index);
    case 'RenameIndex':
      return `ALTER INDEX ${q(step.from)} RENAME TO ${q(step.to)};`;
    case 'AddForeignKey':
      return renderAddForeignKey(step.table, step.foreignKey);
    case 'RenameForeignKey':
      return `ALTER TABLE ${q(step.table)} RENAME CONSTRAINT ${q(step.from)} TO ${q(step.to)};`;
  }
}

/** The whole migration.sql: Prisma's warnings block (if any), then `-- Step` + statement, blank-line separated. */
export function renderMigration(steps: readonly Step[], warnings: readonly string[] = []): string {
  const body = steps.map((step) => `-- ${step.kind}\n${renderStep(step)}`).join('\n\n');
  const header = warnings.length ? `/*\n  Warnings:\n\n${warnings.map((w) => `  - ${w}`).join('\n')}\n\n*/\n` : '';
  return `${header}${body}\n`;
}
