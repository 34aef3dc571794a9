/**
 * Every value of values.yaml is documented (`## @param <path> <description>`, on the value or an ancestor) and typed
 * in values.schema.json; every @param names a value that exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR } from './helm';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
}

const valuesText = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');
const values = parse(valuesText) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as JsonSchema;

/** Key paths of values.yaml with their values (maps only; lists and their items are leaves). */
function keyPaths(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]): [string, unknown][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [[path, child], ...keyPaths(child, path)];
  });
}

const params = [...valuesText.matchAll(/^\s*## @param (\S+) (.+)$/gm)].map((m) => ({ path: m[1] ?? '', description: m[2] ?? '' }));
const documented = new Set(params.map((p) => p.path));
const entries = new Map(keyPaths(values));
const paths = [...entries.keys()];

/** A map with keys is documented through its values; anything else (leaf, list, empty map) needs a @param. */
function isSection(path: string): boolean {
  const value = entries.get(path);
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
}

function isDocumented(path: string): boolean {
  const parts = path.split('.');
  return parts.some((_, i) => documented.has(parts.slice(0, i + 1).join('.')));
}

function resolve(node: JsonSchema): JsonSchema {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = schema.definitions?.[name];
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return target;
}

/** The schema node of a values path, or undefined when the schema does not declare it. */
function schemaAt(path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const key of path.split('.')) {
    if (!node) return undefined;
    node = resolve(node);
    const declared: JsonSchema | undefined = node.properties?.[key];
    if (declared) node = declared;
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else if (node.additionalProperties === false) return undefined;
    else return { type: 'object' }; // free-form (e.g. resources, the NATS subchart's values)
  }
  return node;
}

describe('values.yaml documentation', () => {
  it('documents every value with ## @param (on the value or an ancestor)', () => {
    expect(isDocumented('auth.publicKey.key') && !isDocumented('auth')).toBe(true);
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((p) => !isSection(p) && !isDocumented(p))).toEqual([]);
  });

  it('has no @param for a value that does not exist', () => {
    expect(params.map((p) => p.path).filter((p) => !paths.includes(p))).toEqual([]);
  });

  it('gives every @param a description', () => {
    expect(params.filter((p) => p.description.trim().length < 10)).toEqual([]);
  });
});

describe('values.schema.json', () => {
  it('declares every value of values.yaml', () => {
    expect(paths.filter((p) => schemaAt(p) === undefined)).toEqual([]);
  });

  it('rejects unknown keys at the top level and in every service', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.definitions?.['service']?.additionalProperties).toBe(false);
    expect(schemaAt('serviceDefaults.replicaCount')?.type).toBe('integer');
    expect(schemaAt('services.anything.replicaCount')?.type).toBe('integer');
  });
});
