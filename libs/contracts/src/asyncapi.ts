/**
 * Builds the AsyncAPI 3.0 document of the subject catalog from the registry, as a plain object
 * (serialised to docs/asyncapi.yaml by tools/asyncapi/generate.ts). Deterministic: no timestamps, stable order.
 */
import { z } from 'zod';
import { streams, subjects } from './registry';
import { serviceDefinition } from './services';
import { envelopeSchemaFor, isSubjectKey, tokenNames } from './subject-map';
import type { AnySubjectDefinition, StreamDefinition } from './subjects/define';

export const ASYNCAPI_VERSION = '3.0.0';
const SCHEMA_FORMAT = 'application/schema+json;version=draft-07';
const EXAMPLE_ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const EXAMPLE_TIME = '2024-08-01T09:12:00.000Z';

export interface AsyncApiOptions {
  /** Version of the catalog (info.version), e.g. the root package.json version. */
  version: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Channel/message id derived from the event type: 'podium.schedules.unit.updated.v1' -> 'schedulesUnitUpdatedV1'. */
export function channelIdOf(definition: Pick<AnySubjectDefinition, 'type'>): string {
  const words = definition.type.replace(/^podium\./, '').split(/[.\-_]/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function serviceOf(definition: AnySubjectDefinition): string {
  return definition.source.replace(/^podium\//, '');
}

/** JSON round-trip: drops undefined and gives plain JSON values. */
function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

const DEFINITIONS_REF = '#/definitions/';
const COMPONENTS_SCHEMAS_REF = '#/components/schemas/';

/**
 * The named schemas of the document (components.schemas): the `definitions` z.toJSONSchema gives a payload schema
 * (schemas with an id, e.g. the recursive OdfElement), shared by every message that uses them. A `$ref` in a payload
 * is resolved against the whole document, so a payload's own `#/definitions/...` would dangle; they are moved here.
 */
class SchemaComponents {
  private readonly schemas = new Map<string, { schema: JsonObject; text: string }>();

  /** Registers a payload's definitions and returns the payload with its refs pointing into components.schemas. */
  carry(root: JsonObject, definitions: Record<string, JsonObject>, owner: string): JsonObject {
    const names = new Map<string, string>();
    for (const [id, definition] of Object.entries(definitions)) {
      names.set(id, this.freeName(id, JSON.stringify(definition)));
    }
    for (const [id, definition] of Object.entries(definitions)) {
      const name = names.get(id) ?? id;
      if (!this.schemas.has(name)) {
        this.schemas.set(name, { schema: rewriteRefs(definition, names, owner) as JsonObject, text: JSON.stringify(definition) });
      }
    }
    return rewriteRefs(root, names, owner) as JsonObject;
  }

  /** components.schemas, sorted by name. */
  toJson(): JsonObject {
    return Object.fromEntries([...this.schemas.entries()].sort(([a], [b]) => a.localeCompare(b, 'en')).map(([name, { schema }]) => [name, schema]));
  }

  /** The id itself, or `<id>2`, `<id>3`... when another payload defines a different schema under the same id. */
  private freeName(id: string, text: string): string {
    for (let n = 1; n < 100; n++) {
      const name = n === 1 ? id : `${id}${n}`;
      const existing = this.schemas.get(name);
      if (existing === undefined || existing.text === text) return name;
    }
    throw new Error(`Too many different schemas named '${id}'`);
  }
}

function rewriteRefs(value: Json, names: ReadonlyMap<string, string>, owner: string): Json {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names, owner));
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') {
      const name = item.startsWith(DEFINITIONS_REF) ? names.get(item.slice(DEFINITIONS_REF.length)) : undefined;
      if (name === undefined) throw new Error(`${owner}: unsupported $ref '${item}' in a payload schema`);
      out[key] = `${COMPONENTS_SCHEMAS_REF}${name}`;
    } else {
      out[key] = rewriteRefs(item, names, owner);
    }
  }
  return out;
}

function jsonSchemaOf(schema: z.ZodType, components: SchemaComponents, owner: string): JsonObject {
  const { $schema: _ignored, definitions, ...rest } = toJson(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' })) as JsonObject;
  return components.carry(rest, (definitions ?? {}) as Record<string, JsonObject>, owner);
}

/** The NATS user a client connects with (components.securitySchemes). */
const SECURITY_SCHEME = 'natsUser';
const securityRef = { $ref: `#/components/securitySchemes/${SECURITY_SCHEME}` };

const headersSchema: JsonObject = {
  type: 'object',
  properties: {
    'Nats-Msg-Id': {
      type: 'string',
      format: 'uuid',
      description: 'Equals the envelope id; JetStream drops duplicates within the stream duplicate window.',
    },
    'x-correlation-id': {
      type: 'string',
      description: 'Correlation id of the request that caused the event, propagated across services.',
    },
  },
  required: ['Nats-Msg-Id'],
};

function streamDoc(stream: StreamDefinition): JsonObject {
  return toJson({
    name: stream.name,
    description: stream.description,
    subjects: [...stream.subjects],
    retention: stream.retention,
    storage: stream.storage,
    maxAgeMs: stream.maxAge,
    duplicateWindowMs: stream.duplicateWindow,
    ...(stream.maxMsgsPerSubject === undefined ? {} : { maxMsgsPerSubject: stream.maxMsgsPerSubject }),
  }) as JsonObject;
}

/** The AsyncAPI 3.0 document for the whole catalog. */
export function buildAsyncApiDocument(options: AsyncApiOptions): JsonObject {
  const definitions = Object.values(subjects as Record<string, AnySubjectDefinition>).sort((a, b) =>
    channelIdOf(a).localeCompare(channelIdOf(b), 'en'),
  );
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  const schemas = new SchemaComponents();
  const tags: JsonObject = {};

  for (const definition of definitions) {
    const id = channelIdOf(definition);
    const key = definition.subject;
    const service = serviceOf(definition);
    tags[service] = { name: service, description: `Published by ${service}: ${serviceDefinition(service).purpose}.` };
    if (!isSubjectKey(key)) throw new Error(`Unknown subject key ${key}`);
    const tokens = definition.tokens as Record<string, { description: string; example: string }>;
    const parameters: JsonObject = {};
    for (const name of tokenNames(key)) {
      const doc = tokens[name];
      parameters[name] = { description: doc?.description ?? name, examples: doc ? [doc.example] : [] };
    }
    const exampleSubject = tokenNames(key).reduce((s, name) => s.replace(`{${name}}`, tokens[name]?.example ?? name), key);

    channels[id] = {
      address: key,
      title: definition.title,
      description: definition.description,
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      'x-jetstream-stream': definition.stream,
    };

    operations[`send${id.charAt(0).toUpperCase()}${id.slice(1)}`] = {
      action: 'send',
      title: `${definition.source} publishes: ${definition.title}`,
      summary: `Published by the ${serviceOf(definition)} service through its outbox (at-least-once; dedupe on the envelope id).`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      tags: [{ $ref: `#/components/tags/${serviceOf(definition)}` }],
      security: [securityRef],
    };

    messages[id] = {
      name: definition.type,
      title: definition.title,
      summary: definition.description,
      contentType: 'application/json',
      correlationId: { location: '$message.header#/x-correlation-id' },
      headers: { schemaFormat: SCHEMA_FORMAT, schema: headersSchema },
      payload: { schemaFormat: SCHEMA_FORMAT, schema: jsonSchemaOf(envelopeSchemaFor(key), schemas, id) },
      examples: [
        {
          name: `${id}Example`,
          summary: `On ${exampleSubject}`,
          headers: { 'Nats-Msg-Id': EXAMPLE_ID, 'x-correlation-id': 'c5e0d8f2-1b7a-4a39-9f3c-2d6e8b4a1c07' },
          payload: toJson({
            id: EXAMPLE_ID,
            type: definition.type,
            source: definition.source,
            time: EXAMPLE_TIME,
            dataschema: definition.dataschema,
            datacontenttype: 'application/json',
            data: definition.example,
          }),
        },
      ],
      'x-dataschema': definition.dataschema,
      'x-version': definition.version,
    };
  }

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Podium',
      version: options.version,
      description:
        'Events exchanged over NATS JetStream by the Podium services (OMS and ODS). Generated from @podium/contracts ' +
        'by tools/asyncapi/generate.ts: do not edit by hand.\n\n' +
        'Every message is a CloudEvents-like envelope { id, type, source, time, dataschema, datacontenttype, data }. ' +
        'Subjects are lowercase, dot-separated and versioned; a breaking change gets a new version. ' +
        'When NATS_PREFIX is set, it is prepended to every subject and stream name.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: 'nats:4222',
        protocol: 'nats',
        description: 'NATS with JetStream (default NATS_URL nats://127.0.0.1:4222 in development).',
        security: [securityRef],
      },
    },
    channels,
    operations,
    components: {
      schemas: schemas.toJson(),
      messages,
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'userPassword',
          description:
            'A NATS user and password: each service and each partner has its own under the Helm chart\'s NATS ' +
            'authorization, which limits the subjects it may publish and subscribe to (docs/deployment.md, Partners ' +
            'over NATS). A local NATS (npm start) asks for none.',
        },
      },
      tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b, 'en'))),
    },
    'x-jetstream-streams': [...streams].sort((a, b) => a.name.localeCompare(b.name, 'en')).map(streamDoc),
  };
}
