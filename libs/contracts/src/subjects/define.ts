import type { z } from 'zod';

/** Names of the `{token}`s in a subject template, e.g. 'discipline' for 'oms.schedules.v1.unit.{discipline}.updated'. */
export type TokenNames<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | TokenNames<Rest>
  : never;

/** Values for the tokens of a subject template, e.g. `{ discipline: string }`. */
export type TokensOf<T extends string> = { [N in TokenNames<T>]: string };

export interface TokenDoc {
  description: string;
  example: string;
}

export type JetStreamRetention = 'limits' | 'interest' | 'workqueue';
export type JetStreamStorage = 'file' | 'memory';

/** A JetStream stream declared by the contracts; the NATS module creates or updates it at boot. */
export interface StreamDefinition {
  /** Stream name (uppercase, no NATS_PREFIX: the platform prepends it). */
  name: string;
  /** Subject filters captured by the stream (no NATS_PREFIX). */
  subjects: readonly string[];
  description: string;
  retention: JetStreamRetention;
  storage: JetStreamStorage;
  /** Maximum message age in milliseconds; 0 = unlimited. */
  maxAge: number;
  /** JetStream dedupe window (Nats-Msg-Id) in milliseconds. */
  duplicateWindow: number;
  /** Keep at most this many messages per subject (e.g. 1: latest only); absent = unlimited. */
  maxMsgsPerSubject?: number;
}

/** One subject of the catalog: where it is published, by whom, and what its `data` looks like. */
export interface SubjectDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  /** Subject template, lowercase, dot-separated, versioned; `{token}`s are filled at publish. */
  subject: T;
  /** CloudEvents `type` of the envelope, versioned (e.g. 'podium.schedules.unit.updated.v1'). */
  type: string;
  /** CloudEvents `source`: the publishing service (e.g. 'podium/schedules'). */
  source: `podium/${string}`;
  /** Name of the JetStream stream that captures the subject. */
  stream: string;
  /** Short title for the catalog. */
  title: string;
  description: string;
  /** Major version of the payload; a breaking change is a new subject with a new version. */
  version: number;
  /** Envelope `dataschema`: URI naming the data schema and its version. */
  dataschema: string;
  /** Zod schema of the envelope `data`. */
  data: S;
  /** A valid `data` example (documented in AsyncAPI and checked by the tests). */
  example: z.output<S>;
  /** Documentation of each token of the template (a missing token is a compile error). */
  tokens: { [N in TokenNames<T>]: TokenDoc };
}

export type AnySubjectDefinition = SubjectDefinition<string, z.ZodType>;

/** Declares a subject, keeping its literal template and schema types. */
export function defineSubject<const T extends string, S extends z.ZodType>(
  definition: SubjectDefinition<T, S>,
): SubjectDefinition<T, S> {
  return definition;
}

/** Declares a stream. */
export function defineStream<const D extends StreamDefinition>(definition: D): D {
  return definition;
}

/** The `dataschema` URI for an event type. */
export function dataschemaFor(type: string): string {
  return `https://podium.dev/schemas/${type}.json`;
}

export type RegistryOf<D extends readonly AnySubjectDefinition[]> = { [E in D[number] as E['subject']]: E };

/** Assembles subject definitions into a map keyed by subject template; a template declared twice throws. */
export function defineRegistry<const D extends readonly AnySubjectDefinition[]>(definitions: D): RegistryOf<D> {
  const registry: Record<string, AnySubjectDefinition> = {};
  for (const definition of definitions) {
    if (Object.hasOwn(registry, definition.subject)) {
      throw new Error(`Subject ${definition.subject} is declared twice in the contracts registry`);
    }
    registry[definition.subject] = definition;
  }
  return registry as RegistryOf<D>;
}
