/**
 * schema.prisma -> the PostgreSQL schema Prisma would create for it (types, defaults and names the way
 * Prisma's schema engine renders them). The datamodel comes from `getDMMF` (Prisma's wasm, offline); what
 * the DMMF does not carry (foreign-key `map:` names) or that this tool does not handle is read from the
 * schema text, and anything unsupported is refused by name rather than turned into wrong SQL.
 */
import { z } from 'zod';
import { type DbColumn, type DbEnum, type DbForeignKey, type DbIndex, type DbSchema, type DbTable, literal, type ReferentialAction } from './model';
import { foreignKeyName, indexName, primaryKeyName, uniqueIndexName } from './names';

const fieldDefaultSchema = z.union([
  z.object({ name: z.string(), args: z.array(z.union([z.string(), z.number()])) }),
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);

const fieldSchema = z.object({
  name: z.string(),
  dbName: z.string().nullish(),
  kind: z.enum(['scalar', 'object', 'enum', 'unsupported']),
  isList: z.boolean(),
  isRequired: z.boolean(),
  isUpdatedAt: z.boolean().optional(),
  type: z.string(),
  nativeType: z.tuple([z.string(), z.array(z.string())]).nullish(),
  default: fieldDefaultSchema.optional(),
  relationName: z.string().optional(),
  relationFromFields: z.array(z.string()).optional(),
  relationToFields: z.array(z.string()).optional(),
  relationOnDelete: z.string().optional(),
  relationOnUpdate: z.string().optional(),
});

const modelSchema = z.object({
  name: z.string(),
  dbName: z.string().nullable(),
  schema: z.string().nullish(),
  fields: z.array(fieldSchema),
});

const indexSchema = z.object({
  model: z.string(),
  type: z.enum(['id', 'normal', 'unique', 'fulltext']),
  dbName: z.string().nullish(),
  algorithm: z.string().optional(),
  fields: z.array(
    z.object({
      name: z.string(),
      sortOrder: z.enum(['asc', 'desc']).optional(),
      length: z.number().optional(),
      operatorClass: z.string().optional(),
    }),
  ),
});

/** The part of Prisma's DMMF datamodel this tool reads. */
export const datamodelSchema = z.object({
  models: z.array(modelSchema),
  enums: z.array(
    z.object({
      name: z.string(),
      dbName: z.string().nullish(),
      values: z.array(z.object({ name: z.string(), dbName: z.string().nullish() })),
    }),
  ),
  indexes: z.array(indexSchema),
});
export type Datamodel = z.infer<typeof datamodelSchema>;
type Model = z.infer<typeof modelSchema>;
type Field = z.infer<typeof fieldSchema>;

/** schema.prisma uses something this tool cannot turn into SQL: the list says what and where. */
export class UnsupportedSchemaError extends Error {
  override readonly name = 'UnsupportedSchemaError';
  constructor(readonly problems: readonly string[]) {
    super(
      `schema.prisma uses features the offline migration generator does not support:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Write this migration by hand (npm run db:migration -- <service> <name> --empty) or keep to the supported subset (docs/migrations.md).',
    );
  }
}

/** `@db.X` attributes -> PostgreSQL type, as Prisma renders them. */
const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Text: () => 'TEXT',
  Char: (a) => sized('CHAR', a),
  VarChar: (a) => sized('VARCHAR', a),
  Bit: (a) => sized('BIT', a),
  VarBit: (a) => sized('VARBIT', a),
  Uuid: () => 'UUID',
  Xml: () => 'XML',
  Inet: () => 'INET',
  Citext: () => 'CITEXT',
  Integer: () => 'INTEGER',
  SmallInt: () => 'SMALLINT',
  BigInt: () => 'BIGINT',
  Oid: () => 'OID',
  Decimal: (a) => (a.length ? `DECIMAL(${a.join(',')})` : 'DECIMAL'),
  Money: () => 'MONEY',
  Real: () => 'REAL',
  DoublePrecision: () => 'DOUBLE PRECISION',
  Timestamp: (a) => sized('TIMESTAMP', a),
  Timestamptz: (a) => sized('TIMESTAMPTZ', a),
  Date: () => 'DATE',
  Time: (a) => sized('TIME', a),
  Timetz: (a) => sized('TIMETZ', a),
  Boolean: () => 'BOOLEAN',
  Json: () => 'JSON',
  JsonB: () => 'JSONB',
  ByteA: () => 'BYTEA',
};

function sized(name: string, args: readonly string[]): string {
  return args.length ? `${name}(${args.join(',')})` : name;
}

/** Prisma scalar types without `@db.*` -> PostgreSQL type. */
const SCALAR_TYPES: Record<string, string> = {
  String: 'TEXT',
  Boolean: 'BOOLEAN',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL(65,30)',
  DateTime: 'TIMESTAMP(3)',
  Json: 'JSONB',
  Bytes: 'BYTEA',
};

const SERIAL_TYPES: Record<string, string> = { INTEGER: 'SERIAL', BIGINT: 'BIGSERIAL', SMALLINT: 'SMALLSERIAL' };

const ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

const INDEX_METHODS: Record<string, string> = { BTree: 'btree', Hash: 'hash', Gin: 'gin', Gist: 'gist', Brin: 'brin', SpGist: 'spgist' };

/** Defaults Prisma Client fills in itself: no database default. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

/** Constructs of the schema text that the DMMF hides or this tool does not handle. */
const UNSUPPORTED_SYNTAX: ReadonlyArray<[RegExp, string]> = [
  [/\bUnsupported\s*\(/, 'Unsupported("...") fields'],
  [/@@?ignore\b/, '@ignore / @@ignore'],
  [/^\s*view\s+\w+\s*\{/m, 'views'],
  [/@@schema\s*\(/, 'multiple database schemas (@@schema)'],
  [/^\s*type\s+\w+\s*\{/m, 'composite types'],
  [/^\s*extensions\s*=/m, 'PostgreSQL extensions in the datasource'],
];

/** Strips `//` comments (outside string literals) so that commented-out code does not count. */
export function stripComments(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === '"' && line[i - 1] !== '\\') inString = !inString;
        if (!inString && ch === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

/** `map:` names given to foreign keys in `@relation(...)`, keyed `<Model>.<field>` (the DMMF drops them). */
export function relationConstraintNames(source: string): Map<string, string> {
  const names = new Map<string, string>();
  const text = stripComments(source);
  for (const block of text.matchAll(/^\s*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const [, model, body] = block;
    for (const line of (body ?? '').split('\n')) {
      const match = /^\s*(\w+)\s+\S+.*@relation\(([^)]*)\)/.exec(line);
      const map = match?.[2] ? /\bmap\s*:\s*"([^"]*)"/.exec(match[2]) : null;
      if (match?.[1] && map?.[1]) names.set(`${model}.${match[1]}`, map[1]);
    }
  }
  return names;
}

/** The PostgreSQL schema Prisma derives from a datamodel (`source` is the schema.prisma text it came from). */
export function desiredSchemaFromDatamodel(input: unknown, source: string): DbSchema {
  const datamodel = datamodelSchema.parse(input);
  const problems: string[] = [];
  const text = stripComments(source);
  for (const [pattern, what] of UNSUPPORTED_SYNTAX) {
    if (pattern.test(text)) problems.push(what);
  }
  const fkNames = relationConstraintNames(source);
  const models = new Map(datamodel.models.map((model) => [model.name, model]));
  const enums = new Map(datamodel.enums.map((e) => [e.name, e]));
  const tableOf = (model: Model): string => model.dbName ?? model.name;
  const columnOf = (field: Field): string => field.dbName ?? field.name;
  const fieldOf = (model: Model, name: string): Field => {
    const field = model.fields.find((f) => f.name === name);
    if (!field) throw new Error(`Field ${model.name}.${name} not found in the datamodel`);
    return field;
  };

  const resultEnums: DbEnum[] = datamodel.enums.map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) }));

  function baseType(model: Model, field: Field): string | null {
    const where = `${model.name}.${field.name}`;
    if (field.kind === 'enum') {
      const e = enums.get(field.type);
      return `"${(e?.dbName ?? field.type).replace(/"/g, '""')}"`;
    }
    if (field.nativeType) {
      const [name, args] = field.nativeType;
      const render = NATIVE_TYPES[name];
      if (!render) {
        problems.push(`native type @db.${name} (${where})`);
        return null;
      }
      return render(args);
    }
    const type = SCALAR_TYPES[field.type];
    if (!type) problems.push(`type ${field.type} (${where})`);
    return type ?? null;
  }

  function scalarLiteral(model: Model, field: Field, value: string | number | boolean): string | null {
    const where = `${model.name}.${field.name}`;
    if (field.kind === 'enum') {
      const e = enums.get(field.type);
      const member = e?.values.find((v) => v.name === value);
      return literal(member?.dbName ?? String(value));
    }
    switch (field.type) {
      case 'String':
      case 'Json':
        return literal(String(value));
      case 'Boolean':
        return String(value);
      case 'Int':
      case 'BigInt':
      case 'Float':
      case 'Decimal':
        return String(value);
      case 'DateTime':
        return literal(prismaTimestamp(String(value)));
      default:
        problems.push(`a default value for type ${field.type} (${where})`);
        return null;
    }
  }

  function column(model: Model, field: Field): DbColumn {
    const where = `${model.name}.${field.name}`;
    const type = baseType(model, field) ?? 'TEXT';
    let rendered = field.isList ? `${type}[]` : type;
    let defaultSql: string | null = null;
    let autoincrement = false;
    const value = field.default;
    if (value === undefined) {
      // no default (@updatedAt is set by Prisma Client, not the database)
    } else if (Array.isArray(value)) {
      const items = value.map((item) => scalarLiteral(model, field, item));
      defaultSql = `ARRAY[${items.join(', ')}]::${rendered}`;
    } else if (typeof value === 'object') {
      if (value.name === 'autoincrement') {
        const serial = SERIAL_TYPES[type];
        if (!serial || field.isList) problems.push(`@default(autoincrement()) on ${type} (${where})`);
        else rendered = serial;
        autoincrement = true;
      } else if (value.name === 'now') {
        defaultSql = 'CURRENT_TIMESTAMP';
      } else if (value.name === 'dbgenerated') {
        const expression = value.args[0];
        if (typeof expression === 'string' && expression.trim()) defaultSql = expression;
        else problems.push(`@default(dbgenerated()) without an expression (${where})`);
      } else if (!CLIENT_SIDE_DEFAULTS.has(value.name)) {
        problems.push(`@default(${value.name}()) (${where})`);
      }
    } else {
      defaultSql = scalarLiteral(model, field, value);
    }
    return { name: columnOf(field), type: rendered, notNull: field.isRequired && !field.isList, default: defaultSql, autoincrement };
  }

  const tables: DbTable[] = [];
  for (const model of datamodel.models) {
    if (model.schema) problems.push(`@@schema on model ${model.name}`);
    const table = tableOf(model);
    const columns = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => column(model, f));
    for (const f of model.fields.filter((f) => f.kind === 'unsupported')) problems.push(`Unsupported field ${model.name}.${f.name}`);
    const cols = (names: readonly { name: string }[]): string[] => names.map((n) => columnOf(fieldOf(model, n.name)));

    let primaryKey: DbTable['primaryKey'] = null;
    const indexes: DbIndex[] = [];
    for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
      const columnsOf = cols(index.fields);
      if (index.type === 'id') {
        primaryKey = { name: index.dbName ?? primaryKeyName(table), columns: columnsOf };
        continue;
      }
      if (index.type === 'fulltext') {
        problems.push(`@@fulltext on ${model.name}`);
        continue;
      }
      for (const f of index.fields) {
        if (f.operatorClass) problems.push(`index operator class ${f.operatorClass} (${model.name}.${f.name})`);
        if (f.length !== undefined) problems.push(`index length (${model.name}.${f.name})`);
      }
      const method = index.algorithm ? INDEX_METHODS[index.algorithm] : 'btree';
      if (!method) problems.push(`index type ${index.algorithm} on ${model.name}`);
      indexes.push({
        name: index.dbName ?? (index.type === 'unique' ? uniqueIndexName(table, columnsOf) : indexName(table, columnsOf)),
        unique: index.type === 'unique',
        columns: index.fields.map((f, i) => ({ name: columnsOf[i] ?? f.name, desc: f.sortOrder === 'desc' })),
        method: method ?? 'btree',
      });
    }

    const foreignKeys: DbForeignKey[] = [];
    for (const field of model.fields.filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)) {
      const target = models.get(field.type);
      if (!target) throw new Error(`Relation ${model.name}.${field.name} points at unknown model ${field.type}`);
      const from = (field.relationFromFields ?? []).map((name) => columnOf(fieldOf(model, name)));
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      foreignKeys.push({
        name: fkNames.get(`${model.name}.${field.name}`) ?? foreignKeyName(table, from),
        columns: from,
        referencedTable: tableOf(target),
        referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(fieldOf(target, name))),
        onDelete: ACTIONS[onDelete] ?? 'NO ACTION',
        onUpdate: ACTIONS[onUpdate] ?? 'NO ACTION',
      });
    }
    tables.push({ name: table, columns, primaryKey, indexes, foreignKeys });
  }

  tables.push(...implicitManyToManyTables(datamodel, problems, (model, field) => column(model, field)));
  if (problems.length) throw new UnsupportedSchemaError([...new Set(problems)]);
  return { enums: resultEnums, tables, unmanaged: [] };
}

/** Prisma's join tables for implicit many-to-many relations: `_<Relation>("A", "B")`. */
function implicitManyToManyTables(datamodel: Datamodel, problems: string[], columnFor: (model: Model, field: Field) => DbColumn): DbTable[] {
  const tables: DbTable[] = [];
  const seen = new Set<string>();
  for (const model of datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || !field.relationName || seen.has(field.relationName)) continue;
      const target = datamodel.models.find((m) => m.name === field.type);
      const back = target?.fields.find((f) => f.kind === 'object' && f.relationName === field.relationName && f !== field);
      if (!target || !back?.isList) continue;
      seen.add(field.relationName);
      const relation = field.relationName;
      if (target.name === model.name) {
        problems.push(`self-referencing implicit many-to-many relation ${relation}`);
        continue;
      }
      const [a, b] = [model, target].sort((x, y) => (x.name < y.name ? -1 : 1)) as [Model, Model];
      const idOf = (m: Model): { column: DbColumn; name: string; table: string } | null => {
        const ids = datamodel.indexes.filter((i) => i.model === m.name && i.type === 'id');
        const idField = ids.length === 1 && ids[0]?.fields.length === 1 ? m.fields.find((f) => f.name === ids[0]?.fields[0]?.name) : undefined;
        if (!idField) {
          problems.push(`implicit many-to-many relation ${relation} on a model without a single-field @id (${m.name})`);
          return null;
        }
        return { column: columnFor(m, idField), name: idField.dbName ?? idField.name, table: m.dbName ?? m.name };
      };
      const idA = idOf(a);
      const idB = idOf(b);
      if (!idA || !idB) continue;
      const table = `_${relation}`;
      const joinColumn = (name: string, id: DbColumn): DbColumn => ({
        name,
        type: Object.entries(SERIAL_TYPES).find(([, serial]) => serial === id.type)?.[0] ?? id.type,
        notNull: true,
        default: null,
        autoincrement: false,
      });
      tables.push({
        name: table,
        columns: [joinColumn('A', idA.column), joinColumn('B', idB.column)],
        primaryKey: { name: `${table}_AB_pkey`, columns: ['A', 'B'] },
        indexes: [{ name: `${table}_B_index`, unique: false, columns: [{ name: 'B', desc: false }], method: 'btree' }],
        foreignKeys: [
          { name: `${table}_A_fkey`, columns: ['A'], referencedTable: idA.table, referencedColumns: [idA.name], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
          { name: `${table}_B_fkey`, columns: ['B'], referencedTable: idB.table, referencedColumns: [idB.name], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
        ],
      });
    }
  }
  return tables;
}

/** A DateTime default as Prisma writes it: `2020-01-02 03:04:05.678 +00:00` (milliseconds only when not zero). */
export function prismaTimestamp(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const iso = date.toISOString(); // 2020-01-02T03:04:05.678Z
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}`} +00:00`;
}
