/**
 * Reads the Prisma-manageable part of a PostgreSQL schema from pg_catalog, in PostgreSQL's canonical text
 * (`format_type`, `pg_get_expr`), so that two databases built by different SQL compare equal when they are.
 * What schema.prisma cannot express (partial/expression indexes, CHECK constraints...) is listed in
 * `unmanaged` and otherwise ignored.
 */
import type { ClientBase } from 'pg';
import { z } from 'zod';
import type { DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable, ReferentialAction } from './model';

const ACTION_CODES: Record<string, ReferentialAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

const smallints = z.array(z.coerce.number());

const tableRow = z.object({ oid: z.coerce.number(), name: z.string() });
const enumRow = z.object({ name: z.string(), values: z.array(z.string()) });
const columnRow = z.object({
  table_oid: z.coerce.number(),
  num: z.coerce.number(),
  name: z.string(),
  type: z.string(),
  not_null: z.boolean(),
  default: z.string().nullable(),
  identity: z.string(),
  generated: z.string(),
});
const constraintRow = z.object({
  table_oid: z.coerce.number(),
  name: z.string(),
  type: z.string(),
  columns: smallints.nullable(),
  referenced_table: z.string().nullable(),
  referenced_oid: z.coerce.number(),
  referenced_columns: smallints.nullable(),
  on_update: z.string(),
  on_delete: z.string(),
  index_oid: z.coerce.number(),
});
const indexRow = z.object({
  table_oid: z.coerce.number(),
  oid: z.coerce.number(),
  name: z.string(),
  unique: z.boolean(),
  primary: z.boolean(),
  method: z.string(),
  keys: smallints,
  options: smallints,
  key_count: z.coerce.number(),
  has_expressions: z.boolean(),
  has_predicate: z.boolean(),
  default_opclasses: z.boolean(),
});

/** Introspects one schema (default `public`), leaving out Prisma's `_prisma_migrations`. */
export async function introspect(client: ClientBase, schema = 'public'): Promise<DbSchema> {
  const enums = z.array(enumRow).parse(
    (
      await client.query(
        `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
           FROM pg_type t
           JOIN pg_enum e ON e.enumtypid = t.oid
           JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = $1
          GROUP BY t.typname, t.oid
          ORDER BY t.oid`,
        [schema],
      )
    ).rows,
  );
  const tables = z.array(tableRow).parse(
    (
      await client.query(
        `SELECT c.oid, c.relname AS name
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'
          ORDER BY c.oid`,
        [schema],
      )
    ).rows,
  );
  const oids = tables.map((t) => t.oid);
  const columns = z.array(columnRow).parse(
    (
      await client.query(
        `SELECT a.attrelid AS table_oid, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
                a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
                a.attidentity::text AS identity, a.attgenerated::text AS generated
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attrelid, a.attnum`,
        [oids],
      )
    ).rows,
  );
  const constraints = z.array(constraintRow).parse(
    (
      await client.query(
        `SELECT con.conrelid AS table_oid, con.conname AS name, con.contype::text AS type, con.conkey::int2[] AS columns,
                ref.relname AS referenced_table, con.confrelid AS referenced_oid, con.confkey::int2[] AS referenced_columns,
                con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete, con.conindid AS index_oid
           FROM pg_constraint con LEFT JOIN pg_class ref ON ref.oid = con.confrelid
          WHERE con.conrelid = ANY($1::oid[])
          ORDER BY con.conrelid, con.oid`,
        [oids],
      )
    ).rows,
  );
  const indexes = z.array(indexRow).parse(
    (
      await client.query(
        `SELECT i.indrelid AS table_oid, i.indexrelid AS oid, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
                am.amname AS method, i.indkey::int2[] AS keys, i.indoption::int2[] AS options, i.indnkeyatts AS key_count,
                i.indexprs IS NOT NULL AS has_expressions, i.indpred IS NOT NULL AS has_predicate,
                NOT EXISTS (SELECT 1 FROM unnest(i.indclass::oid[]) AS cls(oid) JOIN pg_opclass o ON o.oid = cls.oid WHERE NOT o.opcdefault)
                  AS default_opclasses
           FROM pg_index i
           JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_am am ON am.oid = ic.relam
          WHERE i.indrelid = ANY($1::oid[])
          ORDER BY i.indrelid, i.indexrelid`,
        [oids],
      )
    ).rows,
  );

  const unmanaged: string[] = [];
  const columnNames = new Map<number, Map<number, string>>();
  for (const c of columns) {
    const byNum = columnNames.get(c.table_oid) ?? new Map<number, string>();
    byNum.set(c.num, c.name);
    columnNames.set(c.table_oid, byNum);
  }
  const nameOf = (tableOid: number, num: number): string => columnNames.get(tableOid)?.get(num) ?? `#${num}`;
  const tableNames = new Map(tables.map((t) => [t.oid, t.name]));

  const result: DbTable[] = tables.map((table) => {
    const tableColumns: DbColumn[] = columns
      .filter((c) => c.table_oid === table.oid)
      .map((c) => {
        if (c.generated) unmanaged.push(`generated column "${table.name}"."${c.name}" (its expression is not compared)`);
        return {
          name: c.name,
          type: c.type,
          notNull: c.not_null,
          default: c.default,
          autoincrement: c.identity !== '' || /^nextval\(/.test(c.default ?? ''),
        };
      });
    const tableConstraints = constraints.filter((c) => c.table_oid === table.oid);
    const pk = tableConstraints.find((c) => c.type === 'p');
    const uniqueConstraintIndexes = new Set(tableConstraints.filter((c) => c.type === 'u').map((c) => c.index_oid));
    const exclusionIndexes = new Set(tableConstraints.filter((c) => c.type === 'x').map((c) => c.index_oid));
    for (const c of tableConstraints.filter((c) => c.type === 'c' || c.type === 'x' || c.type === 't')) {
      unmanaged.push(`${c.type === 'c' ? 'CHECK' : c.type === 'x' ? 'EXCLUDE' : 'constraint trigger'} constraint "${c.name}" on "${table.name}"`);
    }

    const tableIndexes: DbIndex[] = [];
    for (const index of indexes.filter((i) => i.table_oid === table.oid && !i.primary && !exclusionIndexes.has(i.oid))) {
      const keys = index.keys.slice(0, index.key_count);
      if (index.has_expressions || index.has_predicate || !index.default_opclasses || index.keys.length !== index.key_count) {
        const why = index.has_predicate ? 'partial' : index.has_expressions ? 'expression' : !index.default_opclasses ? 'operator class' : 'INCLUDE';
        unmanaged.push(`${why} index "${index.name}" on "${table.name}"`);
        continue;
      }
      if (keys.some((_, i) => ((index.options[i] ?? 0) & 1) !== ((index.options[i] ?? 0) & 2) >> 1)) {
        // bit 1 = DESC, bit 2 = NULLS FIRST: anything but ASC NULLS LAST / DESC NULLS FIRST has no Prisma spelling
        unmanaged.push(`index "${index.name}" on "${table.name}" with a non-default NULLS order`);
        continue;
      }
      tableIndexes.push({
        name: index.name,
        unique: index.unique,
        columns: keys.map((num, i) => ({ name: nameOf(table.oid, num), desc: ((index.options[i] ?? 0) & 1) === 1 })),
        method: index.method,
        ...(uniqueConstraintIndexes.has(index.oid) ? { constraint: true } : {}),
      });
    }

    const foreignKeys: DbForeignKey[] = tableConstraints
      .filter((c) => c.type === 'f')
      .map((c) => ({
        name: c.name,
        columns: (c.columns ?? []).map((num) => nameOf(table.oid, num)),
        referencedTable: c.referenced_table ?? tableNames.get(c.referenced_oid) ?? '?',
        referencedColumns: (c.referenced_columns ?? []).map((num) => nameOf(c.referenced_oid, num)),
        onDelete: ACTION_CODES[c.on_delete] ?? 'NO ACTION',
        onUpdate: ACTION_CODES[c.on_update] ?? 'NO ACTION',
      }));

    return {
      name: table.name,
      columns: tableColumns,
      primaryKey: pk ? { name: pk.name, columns: (pk.columns ?? []).map((num) => nameOf(table.oid, num)) } : null,
      indexes: tableIndexes,
      foreignKeys,
    };
  });

  return { enums: enums.map((e) => ({ name: e.name, values: e.values })), tables: result, unmanaged };
}
