/**
 * A PostgreSQL schema as far as Prisma manages it: enums, tables, columns, primary keys, indexes and
 * foreign keys. The same shape carries two dialects of strings:
 * - the desired schema (from schema.prisma): types and defaults rendered the way Prisma writes them
 *   (`TIMESTAMP(3)`, `SERIAL`, `CURRENT_TIMESTAMP`), used to emit SQL;
 * - an introspected schema (from a database): PostgreSQL's canonical `format_type` / `pg_get_expr` text
 *   (`timestamp(3) without time zone`), used to compare.
 */
export interface DbSchema {
  enums: DbEnum[];
  tables: DbTable[];
  /** Objects the database has that schema.prisma cannot express (partial indexes, CHECK constraints...): left alone. */
  unmanaged: string[];
}

export interface DbEnum {
  name: string;
  values: string[];
}

export interface DbColumn {
  name: string;
  type: string;
  notNull: boolean;
  /** SQL expression of the column default, or null. Autoincrement columns carry their sequence default here. */
  default: string | null;
  /** SERIAL/BIGSERIAL/SMALLSERIAL (or an identity column, when introspected). */
  autoincrement: boolean;
}

export interface DbPrimaryKey {
  name: string;
  columns: string[];
}

export interface DbIndexColumn {
  name: string;
  desc: boolean;
}

export interface DbIndex {
  name: string;
  unique: boolean;
  columns: DbIndexColumn[];
  /** Access method in lower case: btree, hash, gin, gist, brin, spgist. */
  method: string;
  /** Introspected only: the index backs a UNIQUE constraint (dropped with ALTER TABLE ... DROP CONSTRAINT). */
  constraint?: boolean;
}

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

export interface DbForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface DbTable {
  name: string;
  columns: DbColumn[];
  primaryKey: DbPrimaryKey | null;
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
}

export const EMPTY_SCHEMA: DbSchema = { enums: [], tables: [], unmanaged: [] };

/** Quotes an identifier the way Prisma's SQL does: always, with embedded quotes doubled. */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
