import { ASYNCAPI_VERSION, buildAsyncApiDocument, channelIdOf } from './asyncapi';
import { streams, subjects } from './registry';
import { parseEnvelope, type SubjectKey, tokenNames } from './subject-map';

type Doc = Record<string, unknown>;
const doc = buildAsyncApiDocument({ version: '9.9.9' }) as Doc;
const obj = (value: unknown): Doc => {
  expect(value).toEqual(expect.any(Object));
  return value as Doc;
};

/** Resolves a local '#/a/b' $ref inside the document. */
function resolveRef(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Doc)[key] : undefined), doc);
}

describe('AsyncAPI document', () => {
  it('is AsyncAPI 3.0 with info and a nats server', () => {
    expect(doc['asyncapi']).toBe('3.0.0');
    expect(ASYNCAPI_VERSION).toBe('3.0.0');
    expect(obj(doc['info'])).toMatchObject({ title: 'Podium', version: '9.9.9' });
    expect(obj(obj(doc['servers'])['nats'])).toMatchObject({ protocol: 'nats' });
  });

  it('has a channel for every registry subject, with a parameter per token', () => {
    const channels = obj(doc['channels']);
    const keys = Object.keys(subjects) as SubjectKey[];
    expect(Object.keys(channels)).toHaveLength(keys.length);
    for (const key of keys) {
      const definition = subjects[key];
      const channel = obj(channels[channelIdOf(definition)]);
      expect(channel['address']).toBe(key);
      expect(Object.keys(obj(channel['parameters'] ?? {})).sort()).toEqual(tokenNames(key).sort());
      expect(channel['x-jetstream-stream']).toBe(definition.stream);
      expect(channelIdOf(definition)).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('has a send operation per channel whose $refs resolve', () => {
    const operations = Object.values(obj(doc['operations'])).map(obj);
    expect(operations).toHaveLength(Object.keys(subjects).length);
    for (const operation of operations) {
      expect(operation['action']).toBe('send');
      const channel = obj(resolveRef(String(obj(operation['channel'])['$ref'])));
      expect(channel['address']).toEqual(expect.any(String));
      for (const message of operation['messages'] as Doc[]) {
        const ref = obj(resolveRef(String(message['$ref'])));
        const resolved = obj(resolveRef(String(ref['$ref'])));
        expect(obj(resolved['payload'])['schemaFormat']).toBe('application/schema+json;version=draft-07');
      }
    }
  });

  it('documents the envelope with its data schema, and an example that passes the contract', () => {
    const messages = obj(obj(doc['components'])['messages']);
    for (const key of Object.keys(subjects) as SubjectKey[]) {
      const message = obj(messages[channelIdOf(subjects[key])]);
      const schema = obj(obj(message['payload'])['schema']);
      const properties = obj(schema['properties']);
      expect(Object.keys(properties).sort()).toEqual(
        ['data', 'datacontenttype', 'dataschema', 'id', 'source', 'time', 'type'].sort(),
      );
      expect(obj(properties['type'])['const']).toBe(subjects[key].type);
      expect(obj(properties['data'])['type']).toBe('object');
      const [example] = message['examples'] as Doc[];
      expect(() => parseEnvelope(key, obj(example)['payload'])).not.toThrow();
    }
  });

  it('lists the streams and is deterministic', () => {
    expect((doc['x-jetstream-streams'] as Doc[]).map((s) => s['name'])).toEqual(streams.map((s) => s.name).sort());
    expect(JSON.stringify(buildAsyncApiDocument({ version: '9.9.9' }))).toBe(JSON.stringify(doc));
  });
});
