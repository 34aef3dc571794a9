import { z } from 'zod';
import { type Envelope, envelopeSchema, makeEnvelope } from './envelope';
import { ContractViolationError } from './errors';
import { subjects, type Subjects } from './registry';
import type { AnySubjectDefinition, TokenNames, TokensOf } from './subjects/define';

/** Every subject template of the catalog, e.g. 'oms.schedules.v1.unit.{discipline}.updated'. */
export type SubjectKey = keyof Subjects & string;

/** The `data` type published on a subject. */
export type PayloadOf<K extends SubjectKey> = z.output<Subjects[K]['data']>;

/** The envelope published on a subject. */
export type EnvelopeOf<K extends SubjectKey> = Envelope<PayloadOf<K>>;

/** `[tokens]` when the template has tokens, `[]` (or an empty object) when it has none. */
export type TokenArgs<K extends string> = [TokenNames<K>] extends [never]
  ? [tokens?: Record<string, never>]
  : [tokens: TokensOf<K>];

const TOKEN = /\{([^{}]+)\}/g;
const TOKEN_VALUE = /^[A-Za-z0-9_-]+$/;

export function isSubjectKey(value: unknown): value is SubjectKey {
  return typeof value === 'string' && Object.hasOwn(subjects, value);
}

/** The registry entry of a subject key; throws on an unknown key (a programming error). */
export function subjectDefinition<K extends SubjectKey>(key: K): Subjects[K] {
  if (!isSubjectKey(key)) {
    throw new Error(`Unknown subject key ${JSON.stringify(key)}`);
  }
  return subjects[key];
}

function definitionOf(key: string): AnySubjectDefinition {
  if (!isSubjectKey(key)) {
    throw new Error(`Unknown subject key ${JSON.stringify(key)}`);
  }
  return subjects[key];
}

/** Names of the tokens of a template, in order. */
export function tokenNames(template: string): string[] {
  return [...template.matchAll(TOKEN)].map((m) => m[1] as string);
}

/**
 * The concrete subject for a key, e.g. `subjectFor('oms.schedules.v1.unit.{discipline}.updated', { discipline: 'ATH' })`
 * is 'oms.schedules.v1.unit.ATH.updated'. Tokens keep their case and must match [A-Za-z0-9_-]+ (so never '.', '*',
 * '>' or spaces). NATS_PREFIX is not applied here: the platform NATS module prepends it.
 */
export function subjectFor<K extends SubjectKey>(key: K, ...[tokens]: TokenArgs<K>): string {
  definitionOf(key);
  const values: Record<string, unknown> = tokens ?? {};
  return key.replace(TOKEN, (_match, name: string) => {
    const value = values[name];
    if (typeof value !== 'string' || !TOKEN_VALUE.test(value)) {
      throw new TypeError(
        `Subject token {${name}} of ${key} must match [A-Za-z0-9_-]+ (no '.', '*', '>' or spaces), got ${JSON.stringify(value)}`,
      );
    }
    return value;
  });
}

/**
 * A subscription filter for a key: given tokens are filled in, the others become '*'.
 * e.g. `subjectFilter('oms.schedules.v1.unit.{discipline}.updated')` is 'oms.schedules.v1.unit.*.updated'.
 */
export function subjectFilter<K extends SubjectKey>(key: K, tokens: Partial<TokensOf<K>> = {}): string {
  definitionOf(key);
  const values: Record<string, unknown> = tokens;
  return key.replace(TOKEN, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) return '*';
    if (typeof value !== 'string' || !TOKEN_VALUE.test(value)) {
      throw new TypeError(`Subject token {${name}} of ${key} must match [A-Za-z0-9_-]+, got ${JSON.stringify(value)}`);
    }
    return value;
  });
}

/**
 * Reads the tokens back from a concrete subject (without NATS_PREFIX), or null when it is not a subject of this key.
 * e.g. `matchSubject('oms.schedules.v1.unit.{discipline}.updated', 'oms.schedules.v1.unit.ATH.updated')`
 * is `{ discipline: 'ATH' }`.
 */
export function matchSubject<K extends SubjectKey>(key: K, subject: string): TokensOf<K> | null {
  definitionOf(key);
  const names = tokenNames(key);
  const pattern = key
    .split(TOKEN)
    .map((part, i) => (i % 2 === 1 ? '([A-Za-z0-9_-]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(subject);
  if (!match) return null;
  const tokens: Record<string, string> = {};
  names.forEach((name, i) => {
    tokens[name] = match[i + 1] as string;
  });
  return tokens as TokensOf<K>;
}

/** Validates a payload (`data`) for a subject; throws a {@link ContractViolationError} with the zod issues. */
export function parsePayload<K extends SubjectKey>(key: K, input: unknown): PayloadOf<K> {
  const result = definitionOf(key).data.safeParse(input);
  if (!result.success) {
    throw new ContractViolationError(key, result.error.issues, 'payload');
  }
  return result.data as PayloadOf<K>;
}

/** Like {@link parsePayload} but returns a result instead of throwing. */
export function safeParsePayload<K extends SubjectKey>(
  key: K,
  input: unknown,
): { ok: true; value: PayloadOf<K> } | { ok: false; error: ContractViolationError } {
  try {
    return { ok: true, value: parsePayload(key, input) };
  } catch (error) {
    if (error instanceof ContractViolationError) return { ok: false, error };
    throw error;
  }
}

const envelopeSchemas = new Map<string, z.ZodType>();

/** The zod schema of the whole envelope of a subject (`type` fixed to the subject's type). */
export function envelopeSchemaFor(key: SubjectKey): z.ZodType {
  let schema = envelopeSchemas.get(key);
  if (!schema) {
    const definition = definitionOf(key);
    schema = envelopeSchema(definition.data).extend({
      type: z.literal(definition.type).meta({ description: 'Event type, versioned' }),
      source: z.literal(definition.source).meta({ description: 'Producing service' }),
    });
    envelopeSchemas.set(key, schema);
  }
  return schema;
}

/** Validates a received envelope for a subject (attributes, `type` and `data`); throws a {@link ContractViolationError}. */
export function parseEnvelope<K extends SubjectKey>(key: K, input: unknown): EnvelopeOf<K> {
  const result = envelopeSchemaFor(key).safeParse(input);
  if (!result.success) {
    throw new ContractViolationError(key, result.error.issues, 'envelope');
  }
  return result.data as EnvelopeOf<K>;
}

export interface EnvelopeOptions {
  /** Defaults to a fresh uuid. */
  id?: string;
  /** Defaults to now. */
  time?: Date | string;
}

/**
 * The validated envelope to publish on a subject: type, source and dataschema come from the registry.
 * Publishing the wrong payload type for the key is a compile error; an invalid value throws a ContractViolationError.
 */
export function envelopeFor<K extends SubjectKey>(key: K, data: PayloadOf<K>, options: EnvelopeOptions = {}): EnvelopeOf<K> {
  const definition = definitionOf(key);
  const payload = parsePayload(key, data);
  return makeEnvelope({
    type: definition.type,
    source: definition.source,
    dataschema: definition.dataschema,
    data: payload,
    id: options.id,
    time: options.time,
  });
}

/** Whether a concrete subject matches a NATS subject filter (`*` = one token, `>` = one or more trailing tokens). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}
