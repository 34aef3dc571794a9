/**
 * The schema differ: what it takes to go from the schema the migrations build (`current`, introspected)
 * to the schema schema.prisma describes (`target`, introspected from a scratch database built from
 * `desired`). Both sides are compared in PostgreSQL's canonical text; SQL is emitted from `desired`,
 * which carries Prisma's spelling of types and defaults. Changes this differ cannot express safely are
 * returned in `unsupported` instead of as steps.
 */
import type { DbColumn, DbEnum, DbForeignKey, DbIndex, DbSchema, DbTable } from './model';
import { type AlterClause, STEP_ORDER, type Step } from './render';

export interface SchemaDiff {
  steps: Step[];
  /** One human-readable line per difference (`+ table "x"`, `~ column "t"."c": ...`): the drift report. */
  differences: string[];
  /** Prisma-style data-loss warnings for the migration header. */
  warnings: string[];
  /** Differences that need a hand-written migration; when not empty, `steps` must not be used. */
  unsupported: string[];
}

const byName = <T extends { name: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((item) => [item.name, item]));
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const alphabetical = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `'a'::character varying` -> `'a'`: the cast PostgreSQL adds to a literal default depends on the column type. */
function withoutCast(expression: string): string {
  let out = expression.trim();
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out.replace(/::(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_ ]*)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*$/i, '').trim();
  }
  return out;
}

/** Whether two column defaults are the same: literals compare without their cast, numbers by value (`1.20` = `1.2`). */
export function sameDefault(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const x = withoutCast(a);
  const y = withoutCast(b);
  if (x === y) return true;
  const numeric = (s: string): number | null => {
    const m = /^\(?'?(-?\d+(?:\.\d+)?)'?\)?$/.exec(s);
    return m?.[1] !== undefined ? Number(m[1]) : null;
  };
  const n = numeric(x);
  return n !== null && n === numeric(y);
}

function sameIndex(a: DbIndex, b: DbIndex): boolean {
  return (
    a.unique === b.unique &&
    a.method === b.method &&
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c.name === b.columns[i]?.name && c.desc === b.columns[i]?.desc)
  );
}

function sameForeignKey(a: DbForeignKey, b: DbForeignKey): boolean {
  return (
    sameList(a.columns, b.columns) &&
    a.referencedTable === b.referencedTable &&
    sameList(a.referencedColumns, b.referencedColumns) &&
    a.onDelete === b.onDelete &&
    a.onUpdate === b.onUpdate
  );
}

const describeIndex = (index: DbIndex): string =>
  `${index.unique ? 'UNIQUE ' : ''}${index.method !== 'btree' ? `${index.method.toUpperCase()} ` : ''}(${index.columns
    .map((c) => `${c.name}${c.desc ? ' DESC' : ''}`)
    .join(', ')})`;

const describeFk = (fk: DbForeignKey): string =>
  `(${fk.columns.join(', ')}) -> ${fk.referencedTable}(${fk.referencedColumns.join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;

/**
 * Plans the steps from `current` to `target`. `desired` must describe the same objects as `target`
 * (target = desired applied to an empty database and introspected); for a migration from scratch pass
 * the desired schema as both.
 */
export function diffSchemas(current: DbSchema, target: DbSchema, desired: DbSchema): SchemaDiff {
  const steps: Step[] = [];
  const differences: string[] = [];
  const warnings: string[] = [];
  const unsupported: string[] = [];
  const desiredTables = byName(desired.tables);
  const desiredEnums = byName(desired.enums);
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`Internal error: ${what} is in the target schema but not in the desired one`);
    return value;
  };

  // Enums: values compare as sets (ADD VALUE appends, so the order may differ, as Prisma allows).
  const currentEnums = byName(current.enums);
  const targetEnums = byName(target.enums);
  for (const e of target.enums) {
    const before = currentEnums.get(e.name);
    if (!before) {
      steps.push({ kind: 'CreateEnum', enum: must(desiredEnums.get(e.name), `enum ${e.name}`) });
      differences.push(`+ enum "${e.name}" (${e.values.join(', ')})`);
      continue;
    }
    const added = must<DbEnum>(desiredEnums.get(e.name), `enum ${e.name}`).values.filter((v) => !before.values.includes(v));
    const removed = before.values.filter((v) => !e.values.includes(v));
    if (added.length) {
      steps.push({ kind: 'AlterEnum', name: e.name, addValues: added });
      differences.push(`~ enum "${e.name}": new value(s) ${added.join(', ')}`);
    }
    if (removed.length) {
      unsupported.push(`removing value(s) ${removed.join(', ')} from enum "${e.name}"`);
      differences.push(`~ enum "${e.name}": value(s) removed ${removed.join(', ')}`);
    }
  }
  for (const e of current.enums) {
    if (!targetEnums.has(e.name)) {
      steps.push({ kind: 'DropEnum', name: e.name });
      differences.push(`- enum "${e.name}"`);
    }
  }

  const currentTables = byName(current.tables);
  const targetTables = byName(target.tables);
  const createdIndexes: Step[] = [];
  const alteredIndexes: Step[] = [];

  // Tables that go away: their own foreign keys first, then the table (its indexes go with it).
  for (const table of current.tables) {
    if (targetTables.has(table.name)) continue;
    for (const fk of table.foreignKeys) steps.push({ kind: 'DropForeignKey', table: table.name, name: fk.name });
    steps.push({ kind: 'DropTable', table: table.name });
    differences.push(`- table "${table.name}"`);
    warnings.push(`You are about to drop the \`${table.name}\` table. If the table is not empty, all the data it contains will be lost.`);
  }

  const fkSteps = new Map<string, Step[]>();
  for (const table of target.tables) {
    if (currentTables.has(table.name)) continue;
    const want = must<DbTable>(desiredTables.get(table.name), `table ${table.name}`);
    steps.push({ kind: 'CreateTable', table: want });
    for (const index of want.indexes) createdIndexes.push({ kind: 'CreateIndex', table: table.name, index });
    fkSteps.set(table.name, want.foreignKeys.map((fk) => ({ kind: 'AddForeignKey', table: table.name, foreignKey: fk })));
    differences.push(`+ table "${table.name}"`);
  }

  // Tables on both sides, in their current order (Prisma's order for alterations).
  for (const before of current.tables) {
    const table = targetTables.get(before.name);
    if (!table) continue;
    const want = must<DbTable>(desiredTables.get(table.name), `table ${table.name}`);
    const tableFkSteps: Step[] = [];
    fkSteps.set(table.name, tableFkSteps);
    const clauses = diffColumns(before, table, want, { differences, warnings, unsupported });

    // Primary key
    const pkChanged =
      (before.primaryKey === null) !== (table.primaryKey === null) ||
      (before.primaryKey !== null && table.primaryKey !== null && (before.primaryKey.name !== table.primaryKey.name || !sameList(before.primaryKey.columns, table.primaryKey.columns)));
    if (pkChanged) {
      if (before.primaryKey) clauses.unshift({ kind: 'DropPrimaryKey', name: before.primaryKey.name });
      if (want.primaryKey) clauses.push({ kind: 'AddPrimaryKey', primaryKey: want.primaryKey });
      differences.push(
        `~ primary key of "${table.name}": ${before.primaryKey ? `(${before.primaryKey.columns.join(', ')})` : 'none'} -> ${table.primaryKey ? `(${table.primaryKey.columns.join(', ')})` : 'none'}`,
      );
    }
    if (clauses.length) steps.push({ kind: 'AlterTable', table: table.name, clauses });

    // Indexes: by name; an unmatched pair with the same definition is a rename.
    const beforeIndexes = byName(before.indexes);
    const targetIndexes = byName(table.indexes);
    const wantIndexes = byName(want.indexes);
    const gone = before.indexes.filter((i) => !targetIndexes.has(i.name) || !sameIndex(i, must(targetIndexes.get(i.name), `index ${i.name}`)));
    const renamedFrom = new Set<string>();
    for (const index of table.indexes) {
      const old = beforeIndexes.get(index.name);
      if (old && sameIndex(old, index)) continue;
      const wantIndex = must(wantIndexes.get(index.name), `index ${index.name}`);
      const rename = !old ? gone.find((g) => !renamedFrom.has(g.name) && !targetIndexes.has(g.name) && sameIndex(g, index)) : undefined;
      if (rename) {
        renamedFrom.add(rename.name);
        alteredIndexes.push({ kind: 'RenameIndex', from: rename.name, to: index.name });
        differences.push(`~ index "${rename.name}" on "${table.name}" renamed to "${index.name}"`);
        continue;
      }
      alteredIndexes.push({ kind: 'CreateIndex', table: table.name, index: wantIndex });
      differences.push(old ? `~ index "${index.name}" on "${table.name}": ${describeIndex(old)} -> ${describeIndex(index)}` : `+ index "${index.name}" on "${table.name}" ${describeIndex(index)}`);
      if (index.unique) {
        warnings.push(
          `A unique constraint covering the columns \`[${index.columns.map((c) => c.name).join(',')}]\` on the table \`${table.name}\` will be added. If there are existing duplicate values, this will fail.`,
        );
      }
    }
    for (const index of gone) {
      if (renamedFrom.has(index.name)) continue;
      steps.push({ kind: 'DropIndex', table: table.name, name: index.name, constraint: index.constraint === true });
      if (!targetIndexes.has(index.name)) differences.push(`- index "${index.name}" on "${table.name}"`);
    }

    // Foreign keys: by name; same definition under another name is a rename.
    const beforeFks = byName(before.foreignKeys);
    const targetFks = byName(table.foreignKeys);
    const wantFks = byName(want.foreignKeys);
    const goneFks = before.foreignKeys.filter((f) => !targetFks.has(f.name) || !sameForeignKey(f, must(targetFks.get(f.name), `foreign key ${f.name}`)));
    const renamedFks = new Set<string>();
    for (const fk of table.foreignKeys) {
      const old = beforeFks.get(fk.name);
      if (old && sameForeignKey(old, fk)) continue;
      const rename = !old ? goneFks.find((g) => !renamedFks.has(g.name) && !targetFks.has(g.name) && sameForeignKey(g, fk)) : undefined;
      if (rename) {
        renamedFks.add(rename.name);
        tableFkSteps.push({ kind: 'RenameForeignKey', table: table.name, from: rename.name, to: fk.name });
        differences.push(`~ foreign key "${rename.name}" on "${table.name}" renamed to "${fk.name}"`);
        continue;
      }
      tableFkSteps.push({ kind: 'AddForeignKey', table: table.name, foreignKey: must(wantFks.get(fk.name), `foreign key ${fk.name}`) });
      differences.push(old ? `~ foreign key "${fk.name}" on "${table.name}": ${describeFk(old)} -> ${describeFk(fk)}` : `+ foreign key "${fk.name}" on "${table.name}" ${describeFk(fk)}`);
    }
    for (const fk of goneFks) {
      if (renamedFks.has(fk.name)) continue;
      steps.push({ kind: 'DropForeignKey', table: table.name, name: fk.name });
      if (!targetFks.has(fk.name)) differences.push(`- foreign key "${fk.name}" on "${table.name}"`);
    }
  }

  steps.push(...createdIndexes, ...alteredIndexes);
  for (const table of target.tables) steps.push(...(fkSteps.get(table.name) ?? []));
  const order = (step: Step): number => STEP_ORDER.indexOf(step.kind);
  const sorted = steps.map((step, i) => ({ step, i })).sort((a, b) => order(a.step) - order(b.step) || a.i - b.i);
  return { steps: sorted.map((s) => s.step), differences, warnings, unsupported };
}

interface Report {
  differences: string[];
  warnings: string[];
  unsupported: string[];
}

/** ALTER TABLE clauses for one table, in Prisma's order: drops and adds by column name, then alterations in column order. */
function diffColumns(before: DbTable, target: DbTable, want: DbTable, report: Report): AlterClause[] {
  const beforeColumns = byName(before.columns);
  const targetColumns = byName(target.columns);
  const wantColumns = byName(want.columns);
  const drops: AlterClause[] = [];
  const adds: AlterClause[] = [];
  const alters: AlterClause[] = [];
  const t = target.name;

  for (const column of [...before.columns].sort((a, b) => alphabetical(a.name, b.name))) {
    if (targetColumns.has(column.name)) continue;
    drops.push({ kind: 'DropColumn', column: column.name });
    report.differences.push(`- column "${t}"."${column.name}"`);
    report.warnings.push(`You are about to drop the column \`${column.name}\` on the \`${t}\` table. All the data in the column will be lost.`);
  }

  for (const column of [...target.columns].sort((a, b) => alphabetical(a.name, b.name))) {
    const wanted = wantColumns.get(column.name);
    if (!wanted) throw new Error(`Internal error: column ${t}.${column.name} is in the target schema but not in the desired one`);
    if (!beforeColumns.has(column.name)) {
      adds.push({ kind: 'AddColumn', column: wanted });
      report.differences.push(`+ column "${t}"."${column.name}" ${column.type}${column.notNull ? ' NOT NULL' : ''}`);
      if (column.notNull && column.default === null && !column.autoincrement) {
        report.warnings.push(`Added the required column \`${column.name}\` to the \`${t}\` table without a default value. This is not possible if the table is not empty.`);
      }
    }
  }
  for (const old of before.columns) {
    const column = targetColumns.get(old.name);
    const wanted = wantColumns.get(old.name);
    if (column && wanted) alters.push(...diffColumn(t, old, column, wanted, report));
  }
  return [...drops, ...adds, ...alters];
}

function diffColumn(table: string, old: DbColumn, column: DbColumn, wanted: DbColumn, report: Report): AlterClause[] {
  const where = `"${table}"."${column.name}"`;
  if (old.autoincrement !== column.autoincrement) {
    report.unsupported.push(`${column.autoincrement ? 'making' : 'no longer making'} column ${where} autoincrement`);
    report.differences.push(`~ column ${where}: autoincrement ${old.autoincrement ? 'removed' : 'added'}`);
    return [];
  }
  const clauses: AlterClause[] = [];
  const typeChanged = old.type !== column.type;
  if (typeChanged && column.autoincrement) {
    report.unsupported.push(`changing the type of autoincrement column ${where} (${old.type} -> ${column.type})`);
    report.differences.push(`~ column ${where}: type ${old.type} -> ${column.type}`);
    return [];
  }
  // Prisma's order within a column: nullability, default, then type.
  if (old.notNull !== column.notNull) {
    clauses.push({ kind: column.notNull ? 'SetNotNull' : 'DropNotNull', column: column.name });
    report.differences.push(`~ column ${where}: ${column.notNull ? 'now required (NOT NULL)' : 'now optional (NULL allowed)'}`);
    if (column.notNull) {
      report.warnings.push(`The column \`${column.name}\` on the \`${table}\` table becomes required: this fails if it contains NULL values.`);
    }
  }
  if (!column.autoincrement && !sameDefault(old.default, column.default)) {
    clauses.push(wanted.default !== null ? { kind: 'SetDefault', column: column.name, default: wanted.default } : { kind: 'DropDefault', column: column.name });
    report.differences.push(`~ column ${where}: default ${old.default ?? 'none'} -> ${column.default ?? 'none'}`);
  }
  if (typeChanged) {
    clauses.push({ kind: 'SetDataType', column: column.name, type: wanted.type });
    report.differences.push(`~ column ${where}: type ${old.type} -> ${column.type}`);
    report.warnings.push(`The type of the column \`${column.name}\` on the \`${table}\` table changes from \`${old.type}\` to \`${column.type}\`: existing values are cast.`);
  }
  return clauses;
}
