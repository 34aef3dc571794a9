import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ContractViolationError } from './errors';
import { utcDateTimeSchema } from './primitives';

export const DATA_CONTENT_TYPE = 'application/json';

/** Envelope attributes (CloudEvents-like), without `data`. */
export const envelopeAttributesSchema = z.object({
  id: z.uuid().meta({ description: 'Unique event id (uuid); also the JetStream Nats-Msg-Id dedupe key' }),
  type: z
    .string()
    .regex(/^[a-z0-9]+(\.[a-z0-9-]+)*\.v\d+$/, 'type must be dot-separated lowercase ending in .v<version>')
    .meta({ description: 'Event type, versioned', examples: ['podium.schedules.unit.updated.v1'] }),
  source: z
    .string()
    .regex(/^podium\/[a-z0-9-]+$/, "source must look like 'podium/<service>'")
    .meta({ description: 'Producing service', examples: ['podium/schedules'] }),
  time: utcDateTimeSchema.meta({ description: 'When the event happened (ISO-8601 UTC)' }),
  dataschema: z.url().meta({ description: 'URI of the data schema, naming schema and version' }),
  datacontenttype: z.literal(DATA_CONTENT_TYPE),
});

/** The envelope schema for a given `data` schema. */
export function envelopeSchema<S extends z.ZodType>(data: S) {
  return envelopeAttributesSchema.extend({ data });
}

/** Any envelope (data not validated). */
export const anyEnvelopeSchema = envelopeSchema(z.unknown());

export type EnvelopeAttributes = z.infer<typeof envelopeAttributesSchema>;
export type Envelope<T = unknown> = EnvelopeAttributes & { data: T };

export interface MakeEnvelopeInput<T> {
  type: string;
  source: string;
  dataschema: string;
  data: T;
  /** Defaults to a fresh random uuid. */
  id?: string;
  /** Defaults to now. */
  time?: Date | string;
}

/**
 * Builds an envelope with a fresh uuid and the current time, validated; `dataSchema` validates `data` too.
 * Throws a {@link ContractViolationError} naming the fields that are wrong (use `envelopeFor` for registry subjects).
 */
export function makeEnvelope<T>(input: MakeEnvelopeInput<T>, dataSchema?: z.ZodType<T>): Envelope<T> {
  const time = input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString());
  const candidate = {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    time,
    dataschema: input.dataschema,
    datacontenttype: DATA_CONTENT_TYPE,
    data: input.data,
  };
  // The attributes-only schema is built once: building a zod object schema per call was a visible cost per publish.
  const result = (dataSchema ? envelopeSchema(dataSchema) : anyEnvelopeSchema).safeParse(candidate);
  if (!result.success) {
    throw new ContractViolationError(input.type, result.error.issues, 'envelope');
  }
  return result.data as Envelope<T>;
}
