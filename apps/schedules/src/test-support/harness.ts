/**
 * Test harness for the schedules service's integration tests: its own migrated database and NATS prefix
 * (from @podium/testing), the real AppModule on a random loopback port, tokens, and a JetStream reader of the
 * published unit events. Test-only code (excluded from the app build).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { LOCAL_DEV_SECRET } from '@podium/auth';
import { type EnvelopeOf, parseEnvelope, schedulesStream } from '@podium/contracts';
import { AppLifecycle, configureApp, OutboxRelay, PLATFORM_APP_OPTIONS } from '@podium/platform';
import { createTestDatabase, createTestNats, TcpProxy, type TestDatabase, type TestNats } from '@podium/testing';
import { SignJWT } from 'jose';
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppModule } from '../app/app.module';
import { EVENT_UPDATED, UNIT_UPDATED } from '../schedule/schedule-events';

export type UnitEvent = EnvelopeOf<typeof UNIT_UPDATED>;
export type EventEvent = EnvelopeOf<typeof EVENT_UPDATED>;

export interface Harness {
  app: NestExpressApplication;
  url: string;
  db: TestDatabase;
  nats: TestNats;
  /** The app reaches NATS through this proxy: pause/drop it to simulate an outage. */
  natsProxy: TcpProxy;
  token(roles?: string[], sub?: string): Promise<string>;
  /** fetch against the app; `token` adds a bearer header. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Every unit.updated message on the SCHEDULES stream after `afterSeq`, validated against the contract. */
  readEvents(afterSeq?: number): Promise<{ seq: number; subject: string; event: UnitEvent }[]>;
  /** Every event.updated message on the SCHEDULES stream after `afterSeq`, validated against the contract. */
  readEventDefinitions(afterSeq?: number): Promise<{ seq: number; subject: string; event: EventEvent }[]>;
  relay(): OutboxRelay;
  close(): Promise<void>;
}

export async function demoPack(): Promise<unknown> {
  return JSON.parse(await readFile(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8'));
}

export async function startSchedules(): Promise<Harness> {
  const db = await createTestDatabase({ service: 'schedules' });
  const nats = await createTestNats();
  const natsProxy = await TcpProxy.forUrl(nats.url);
  Object.assign(process.env, {
    SERVICE_NAME: 'schedules',
    HOST: '127.0.0.1',
    PORT: '3001', // not used: the app listens on a random port below
    DATABASE_URL: db.url,
    NATS_URL: natsProxy.rewrite(nats.url),
    NATS_PREFIX: nats.prefix,
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
  });
  let app: NestExpressApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>(PLATFORM_APP_OPTIONS);
    configureApp(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await natsProxy.close();
    await nats.cleanup();
    await db.drop();
    throw error;
  }
  app.get(AppLifecycle).markStarted();
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const reader: NatsConnection = await connect({ servers: nats.url });
  const stream = `${nats.namePrefix}${schedulesStream.name}`;

  /** Every message of the SCHEDULES stream after `afterSeq`, read with an ephemeral ordered consumer. */
  const readStream = async (afterSeq: number): Promise<{ seq: number; subject: string; json: unknown }[]> => {
    const js = reader.jetstream();
    const jsm = await reader.jetstreamManager();
    const last = (await jsm.streams.info(stream)).state.last_seq;
    if (last <= afterSeq) return [];
    const consumer = await jsm.consumers.add(stream, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    const out: { seq: number; subject: string; json: unknown }[] = [];
    try {
      const c = await js.consumers.get(stream, consumer.name);
      const messages = await c.fetch({ max_messages: last - afterSeq, expires: 5_000 });
      for await (const m of messages) {
        out.push({ seq: m.seq, subject: m.subject, json: m.json() });
        if (m.seq >= last) break;
      }
    } finally {
      await jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
    }
    return out;
  };

  const token = (roles: string[] = ['schedule-manager'], sub = 'tester') =>
    new SignJWT({ roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(LOCAL_DEV_SECRET));

  return {
    app,
    url,
    db,
    nats,
    natsProxy,
    token,
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${path}`, { ...init, headers, body });
    },
    readEvents: async (afterSeq = 0) =>
      (await readStream(afterSeq))
        .filter((m) => m.subject.includes('.unit.'))
        .map((m) => ({ seq: m.seq, subject: m.subject, event: parseEnvelope(UNIT_UPDATED, m.json) })),
    readEventDefinitions: async (afterSeq = 0) =>
      (await readStream(afterSeq))
        .filter((m) => m.subject.includes('.event.'))
        .map((m) => ({ seq: m.seq, subject: m.subject, event: parseEnvelope(EVENT_UPDATED, m.json) })),
    relay: () => app.get(OutboxRelay),
    close: async () => {
      await app.close();
      await reader.close();
      await natsProxy.close();
      await nats.cleanup();
      await db.drop();
    },
  };
}
