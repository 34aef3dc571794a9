/** publishEvent against the real NATS: the subject, envelope and headers a service's NatsPublisher would send. */
import { parseEnvelope, scheduleUnitUpdated, schedulesStream } from '@podium/contracts';
import { AckPolicy, connect, type NatsConnection, RetentionPolicy } from 'nats';
import { createTestNats, type TestNats } from '@podium/test-servers';
import { publishEvent } from './publish';

const KEY = scheduleUnitUpdated.subject;
let nats: TestNats;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await createTestNats();
  nc = await connect({ servers: nats.url });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({
    name: `${nats.namePrefix}${schedulesStream.name}`,
    subjects: schedulesStream.subjects.map((s) => `${nats.prefix}${s}`),
    retention: RetentionPolicy.Limits,
  });
});

afterAll(async () => {
  await nc?.close();
  await nats?.cleanup();
});

describe('publishEvent', () => {
  it('publishes the validated envelope on the prefixed concrete subject, id as Nats-Msg-Id, once', async () => {
    const unit = scheduleUnitUpdated.example;
    const sent = await publishEvent(nc, nats, KEY, unit, { tokens: { discipline: 'ATH' }, headers: { 'x-test': 'yes' } });
    expect(sent).toMatchObject({ seq: 1, duplicate: false, subject: 'oms.schedules.v1.unit.ATH.updated' });
    const again = await publishEvent(nc, nats, KEY, unit, { tokens: { discipline: 'ATH' }, id: sent.envelope.id });
    expect(again).toMatchObject({ seq: 1, duplicate: true });

    const jsm = await nc.jetstreamManager();
    const stream = `${nats.namePrefix}${schedulesStream.name}`;
    const consumer = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None });
    const messages = await (await nc.jetstream().consumers.get(stream, consumer.name)).fetch({ max_messages: 1, expires: 2_000 });
    for await (const m of messages) {
      expect(m.subject).toBe(`${nats.prefix}oms.schedules.v1.unit.ATH.updated`);
      expect(m.headers?.get('Nats-Msg-Id')).toBe(sent.envelope.id);
      expect(m.headers?.get('x-correlation-id')).toBe(sent.envelope.id);
      expect(m.headers?.get('x-test')).toBe('yes');
      expect(parseEnvelope(KEY, m.json())).toEqual(sent.envelope);
      break;
    }
  });

  it('refuses a payload the contract refuses, before sending anything', async () => {
    const invalid = { ...scheduleUnitUpdated.example, version: 0 };
    await expect(publishEvent(nc, nats, KEY, invalid, { tokens: { discipline: 'ATH' } })).rejects.toThrow(/version/);
  });
});
