/**
 * Against the real NATS of the integration tests (@podium/test-servers's natsServer: Testcontainers or the local server). Every test uses its own NATS_PREFIX and
 * deletes its streams afterwards, so files and runs do not see each other.
 */
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  type EnvelopeOf,
  scheduleUnitUpdated,
  schedulesStream,
  type ScheduleUnitState,
} from '@podium/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { freePort, natsServer } from '@podium/test-servers';
import { z } from 'zod';
import { HealthRegistry } from '../health/health.registry';
import { runWithCorrelationId } from '../logging';
import { NatsConnectionService } from './nats.connection';
import { type MessageContext, NatsConsumerRunner } from './nats.consumer';
import { consumerTarget, ensureConsumer, ensureStream, streamConfig } from './nats.declarations';
import { NatsModule } from './nats.module';
import { NatsNaming } from './nats.naming';
import type { ConsumerDefinition, NatsModuleOptions } from './nats.options';
import { NatsPublisher } from './nats.publisher';
import { NatsReplyError, NatsRequestError, NatsRpc } from './nats.rpc';

/** Set in beforeAll: the NATS server every integration test uses. */
let NATS_URL: string;
const KEY = 'oms.schedules.v1.unit.{discipline}.updated';
const unit: ScheduleUnitState = scheduleUnitUpdated.example;

@Global()
@Module({ providers: [HealthRegistry], exports: [HealthRegistry] })
class TestHealthModule {}

interface Harness {
  module: TestingModule;
  prefix: string;
  naming: NatsNaming;
  publisher: NatsPublisher;
  runner: NatsConsumerRunner;
  connection: NatsConnectionService;
}

let admin: NatsConnection;
let jsm: JetStreamManager;
const prefixes: string[] = [];
const modules: TestingModule[] = [];

function uniquePrefix(): string {
  const prefix = `it${randomBytes(4).toString('hex')}.`;
  prefixes.push(prefix);
  return prefix;
}

async function boot(overrides: Partial<NatsModuleOptions> = {}, prefix = uniquePrefix()): Promise<Harness> {
  const module = await Test.createTestingModule({
    imports: [
      TestHealthModule,
      NatsModule.forRootAsync({
        useFactory: () => ({
          servers: NATS_URL,
          name: 'it-service',
          prefix,
          streams: [schedulesStream],
          connectTimeoutMs: 5_000,
          drainTimeoutMs: 5_000,
          ...overrides,
        }),
      }),
    ],
  }).compile();
  modules.push(module);
  module.enableShutdownHooks();
  await module.init();
  return {
    module,
    prefix,
    naming: new NatsNaming(prefix),
    publisher: module.get(NatsPublisher),
    runner: module.get(NatsConsumerRunner),
    connection: module.get(NatsConnectionService),
  };
}

/** Waits until `predicate` holds, polling; fails with `what` after `timeoutMs`. */
async function eventually(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function streamMessages(stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

beforeAll(async () => {
  NATS_URL = await natsServer();
  admin = await connect({ servers: NATS_URL });
  jsm = await admin.jetstreamManager();
});

afterEach(async () => {
  // A module that failed to boot (or was closed by the test) may refuse a second close.
  await Promise.all(modules.splice(0).map((m) => m.close().catch(() => undefined)));
});

afterAll(async () => {
  const names = await jsm.streams.names().next();
  const namePrefixes = prefixes.map((p) => p.replace(/\./g, '_'));
  for (const name of names) {
    if (namePrefixes.some((p) => name.startsWith(p))) await jsm.streams.delete(name);
  }
  await admin.close();
});

describe('NatsConnectionService', () => {
  it('declares streams idempotently: a second boot changes nothing, a changed setting is updated', async () => {
    const first = await boot();
    const name = first.naming.name('SCHEDULES');
    const created = (await jsm.streams.info(name)).created;
    expect((await jsm.streams.info(first.naming.name('DLQ'))).config.subjects).toEqual([
      `${first.prefix}dlq.>`,
    ]);

    await boot({}, first.prefix);
    const again = await jsm.streams.info(name);
    expect(again.created).toBe(created);
    expect(again.config.subjects).toEqual([`${first.prefix}oms.schedules.v1.>`]);

    const desired = streamConfig(schedulesStream, first.naming);
    await expect(ensureStream(jsm, desired)).resolves.toBe('unchanged');
    await expect(ensureStream(jsm, { ...desired, description: 'changed' })).resolves.toBe('updated');
    expect((await jsm.streams.info(name)).config.description).toBe('changed');
    expect((await jsm.streams.info(name)).created).toBe(created);
  });

  it('declares durable pull consumers idempotently', async () => {
    const definition: ConsumerDefinition = { key: KEY, durable: 'idem', ackWaitMs: 5_000, maxAttempts: 4 };
    const h = await boot({ consumers: [definition] });
    const target = consumerTarget(definition, h.naming);
    const info = await jsm.consumers.info(target.stream, h.naming.name('idem'));
    expect(info.config).toMatchObject({
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${h.prefix}oms.schedules.v1.unit.*.updated`,
      max_deliver: target.config.max_deliver,
    });
    expect(info.config.deliver_subject).toBeUndefined();
    await expect(ensureConsumer(jsm, target)).resolves.toBe('unchanged');
    await expect(
      ensureConsumer(jsm, { ...target, config: { ...target.config, max_ack_pending: 7 } }),
    ).resolves.toBe('updated');
    expect((await jsm.consumers.info(target.stream, h.naming.name('idem'))).config.max_ack_pending).toBe(7);
  });

  it('registers a passing nats readiness check', async () => {
    const h = await boot();
    const check = h.module
      .get(HealthRegistry)
      .list()
      .find((c) => c.name === 'nats');
    expect(check).toBeDefined();
    await expect(Promise.resolve(check?.check())).resolves.toBeUndefined();
  });

  it('fails boot with an error naming the unreachable URL within the bounded wait', async () => {
    const closedPort = await freePort();
    const started = Date.now();
    await expect(
      boot({ servers: `nats://127.0.0.1:${closedPort}`, connectTimeoutMs: 1_000 }),
    ).rejects.toThrow(`NATS unreachable at nats://127.0.0.1:${closedPort} after 1000 ms`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('NatsPublisher', () => {
  it('publishes the typed envelope with the correlation id, and de-duplicates by envelope id', async () => {
    const h = await boot();
    const id = randomUUID();
    const first = await runWithCorrelationId('corr-pub', () =>
      h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' }, id }),
    );
    expect(first.ack).toMatchObject({ stream: h.naming.name('SCHEDULES'), duplicate: false });
    expect(first.subject).toBe('oms.schedules.v1.unit.ATH.updated');
    const second = await h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' }, id });
    expect(second.ack.duplicate).toBe(true);
    expect(second.ack.seq).toBe(first.ack.seq);
    expect(await streamMessages(h.naming.name('SCHEDULES'))).toBe(1);

    const stored = await jsm.streams.getMessage(h.naming.name('SCHEDULES'), { seq: first.ack.seq });
    expect(stored.subject).toBe(`${h.prefix}oms.schedules.v1.unit.ATH.updated`);
    expect(stored.header.get('x-correlation-id')).toBe('corr-pub');
    expect(stored.header.get('Nats-Msg-Id')).toBe(id);
    expect(stored.json<EnvelopeOf<typeof KEY>>()).toMatchObject({
      id,
      type: scheduleUnitUpdated.type,
      data: unit,
    });
  });

  it('refuses an invalid payload before publishing', async () => {
    const h = await boot();
    await expect(
      h.publisher.publish(KEY, { ...unit, version: 0 }, { tokens: { discipline: 'ATH' } }),
    ).rejects.toThrow(/version/);
    expect(await streamMessages(h.naming.name('SCHEDULES'))).toBe(0);
  });
});

describe('NatsConsumerRunner', () => {
  type Seen = { envelope: EnvelopeOf<typeof KEY>; context: MessageContext<typeof KEY> };

  async function deadLetters(
    h: Harness,
  ): Promise<{ subject: string; headers: Record<string, string>; raw: string; body: unknown }[]> {
    const stream = h.naming.name('DLQ');
    const count = await streamMessages(stream);
    const out = [];
    for (let seq = 1; seq <= count; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      const headers: Record<string, string> = {};
      for (const k of m.header.keys()) headers[k] = m.header.get(k);
      const text = new TextDecoder().decode(m.data);
      out.push({ subject: m.subject, headers, raw: text, body: tryJson(text) });
    }
    return out;
  }

  it('hands valid envelopes to the handler with their context and acks them', async () => {
    const h = await boot();
    const seen: Seen[] = [];
    const handle = h.runner.consume({ key: KEY, durable: 'ok' }, (envelope, context) => {
      seen.push({ envelope, context });
    });
    const published = await runWithCorrelationId('corr-ok', () =>
      h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' } }),
    );
    await eventually(() => handle.stats().acked === 1, 'the ack');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.envelope).toEqual(published.envelope);
    expect(seen[0]?.context).toMatchObject({
      subject: 'oms.schedules.v1.unit.ATH.updated',
      tokens: { discipline: 'ATH' },
      deliveryCount: 1,
      streamSequence: published.ack.seq,
      correlationId: 'corr-ok',
    });
    await eventually(async () => {
      const info = await jsm.consumers.info(h.naming.name('SCHEDULES'), h.naming.name('ok'));
      return (
        info.num_ack_pending === 0 &&
        info.num_pending === 0 &&
        info.ack_floor.stream_seq === published.ack.seq
      );
    }, 'the server to record the ack');
    await handle.stop();
  });

  it('redelivers after a failure and acks once the handler succeeds', async () => {
    const h = await boot();
    const deliveries: number[] = [];
    const handle = h.runner.consume(
      { key: KEY, durable: 'retry', maxAttempts: 5, backoffMs: [50] },
      (_e, context) => {
        deliveries.push(context.deliveryCount);
        if (context.deliveryCount < 3) throw new Error(`transient ${context.deliveryCount}`);
      },
    );
    await h.publisher.publish(KEY, unit, { tokens: { discipline: 'SWM' } });
    await eventually(() => handle.stats().acked === 1, 'the eventual ack');
    expect(deliveries).toEqual([1, 2, 3]);
    expect(handle.stats()).toEqual({ acked: 1, retried: 2, deadLettered: 0, waited: 0 });
    expect(await streamMessages(h.naming.name('DLQ'))).toBe(0);
    await handle.stop();
  });

  it('keeps a message whose handler met PostgreSQL unavailable, beyond maxAttempts and the ack wait, without a new delivery or a dead letter', async () => {
    const h = await boot();
    const calls: number[] = [];
    const handle = h.runner.consume({ key: KEY, durable: 'outage', maxAttempts: 2, ackWaitMs: 2_000, backoffMs: [20] }, (_e, context) => {
      calls.push(context.deliveryCount);
      if (calls.length <= 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    await h.publisher.publish(KEY, unit, { tokens: { discipline: 'ROW' } });
    // three waits (1 + 2 + 4 s), past the 2 s ack wait each time but the first: the message is kept (working), never redelivered
    await eventually(() => handle.stats().acked === 1, 'the ack after the outage', 20_000);
    expect(calls).toEqual([1, 1, 1, 1]);
    expect(handle.stats()).toEqual({ acked: 1, retried: 0, deadLettered: 0, waited: 3 });
    expect(await streamMessages(h.naming.name('DLQ'))).toBe(0);
    const info = await jsm.consumers.info(h.naming.name('SCHEDULES'), h.naming.name('outage'));
    expect(info.num_redelivered).toBe(0);
    await handle.stop();
  }, 30_000);

  it('dead-letters the original message with failure headers after maxAttempts and terminates it', async () => {
    const h = await boot();
    let calls = 0;
    const handle = h.runner.consume({ key: KEY, durable: 'poison', maxAttempts: 3, backoffMs: [20] }, () => {
      calls++;
      throw new Error('database says no\nsecond line');
    });
    const published = await runWithCorrelationId('corr-dlq', () =>
      h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' } }),
    );
    await eventually(() => handle.stats().deadLettered === 1, 'the dead letter');
    const [letter, ...others] = await deadLetters(h);
    expect(others).toHaveLength(0);
    expect(letter?.subject).toBe(`${h.prefix}dlq.it-service.oms.schedules.v1.unit.ATH.updated`);
    expect(letter?.body).toEqual(published.envelope);
    expect(letter?.headers).toMatchObject({
      'x-correlation-id': 'corr-dlq',
      'x-dlq-reason': 'max-attempts',
      'x-dlq-error': 'database says no second line',
      'x-dlq-service': 'it-service',
      'x-dlq-consumer': h.naming.name('poison'),
      'x-dlq-original-subject': 'oms.schedules.v1.unit.ATH.updated',
      'x-dlq-original-stream': h.naming.name('SCHEDULES'),
      'x-dlq-original-seq': String(published.ack.seq),
      'x-dlq-deliveries': '3',
    });
    // Terminated: never delivered again.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(3);
    const info = await jsm.consumers.info(h.naming.name('SCHEDULES'), h.naming.name('poison'));
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    await handle.stop();
  });

  it.each([
    [
      'an envelope whose data breaks the contract',
      () => JSON.stringify({ ...validEnvelope(), data: { ...unit, rsc: 'BAD' } }),
    ],
    ['a body that is not JSON', () => '{not json'],
    [
      'an envelope of another type',
      () => JSON.stringify({ ...validEnvelope(), type: 'podium.other.thing.v1' }),
    ],
  ])('dead-letters %s at once, without calling the handler or retrying', async (_what, body) => {
    const h = await boot();
    const handler = jest.fn();
    const handle = h.runner.consume(
      { key: KEY, durable: 'strict', maxAttempts: 5, backoffMs: [20] },
      handler,
    );
    const sent = body();
    await h.connection.jetstream.publish(
      `${h.prefix}oms.schedules.v1.unit.ATH.updated`,
      new TextEncoder().encode(sent),
    );
    await eventually(() => handle.stats().deadLettered === 1, 'the dead letter');
    const letters = await deadLetters(h);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.headers).toMatchObject({ 'x-dlq-reason': 'invalid-payload', 'x-dlq-deliveries': '1' });
    expect(letters[0]?.raw).toBe(sent);
    await new Promise((r) => setTimeout(r, 200));
    expect(handler).not.toHaveBeenCalled();
    expect(handle.stats()).toEqual({ acked: 0, retried: 0, deadLettered: 1, waited: 0 });
    await handle.stop();
  });

  it('stops cleanly: no delivery after stop, the module closes and drains', async () => {
    const h = await boot();
    const handler = jest.fn();
    const handle = h.runner.consume({ key: KEY, durable: 'stopper' }, handler);
    await h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' } });
    await eventually(() => handle.stats().acked === 1, 'the first ack');
    await handle.stop();
    await h.publisher.publish(KEY, unit, { tokens: { discipline: 'ATH' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(handler).toHaveBeenCalledTimes(1);
    await h.module.close();
    expect(h.connection.connection.isClosed()).toBe(true);
  });
});

describe('NatsRpc', () => {
  const requestSchema = z.object({ a: z.number(), b: z.number() });
  const responseSchema = z.object({ sum: z.number() });

  it('answers typed requests, reports bad requests and handler errors with codes', async () => {
    const h = await boot();
    const rpc = h.module.get(NatsRpc);
    rpc.handle('it.math.v1.sum', { request: requestSchema }, ({ a, b }, context) => {
      if (a < 0) throw new NatsReplyError('conflict', 'negative numbers are not welcome');
      if (a === 13) throw new Error('secret internal detail');
      return { sum: a + b, correlation: context.correlationId };
    });
    await expect(
      runWithCorrelationId('corr-rpc', () =>
        rpc.request('it.math.v1.sum', { a: 2, b: 3 }, { response: responseSchema }),
      ),
    ).resolves.toEqual({ sum: 5 });

    const bad = rpc.request('it.math.v1.sum', { a: 'x', b: 1 }, { response: responseSchema });
    await expect(bad).rejects.toMatchObject({
      name: 'NatsReplyError',
      code: 'bad-request',
      errors: [{ field: 'a' }],
    });
    await expect(
      rpc.request('it.math.v1.sum', { a: -1, b: 0 }, { response: responseSchema }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'negative numbers are not welcome',
    });
    const internal = rpc.request('it.math.v1.sum', { a: 13, b: 0 }, { response: responseSchema });
    await expect(internal).rejects.toMatchObject({ code: 'internal' });
    // The handler's own message stays in the responder's logs.
    await expect(internal).rejects.toThrow(/^The service failed to answer the request$/);
  });

  it('fails fast without responders and validates responses', async () => {
    const h = await boot();
    const rpc = h.module.get(NatsRpc);
    await expect(rpc.request('it.nobody.v1.home', {}, { response: responseSchema })).rejects.toBeInstanceOf(
      NatsRequestError,
    );
    rpc.handle('it.liar.v1.sum', { request: z.unknown() }, () => ({ total: 'many' }));
    await expect(rpc.request('it.liar.v1.sum', {}, { response: responseSchema })).rejects.toMatchObject({
      code: 'invalid-response',
    });
  });
});

function validEnvelope(): EnvelopeOf<typeof KEY> {
  return {
    id: randomUUID(),
    type: scheduleUnitUpdated.type,
    source: scheduleUnitUpdated.source,
    time: new Date().toISOString(),
    dataschema: scheduleUnitUpdated.dataschema,
    datacontenttype: 'application/json',
    data: unit,
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

