/**
 * Test harness for the results-ingest integration tests: its own migrated database and NATS prefix (@podium/testing),
 * the real AppModule on a random loopback port, tokens, and JetStream readers of the published results.
 * Test-only code (excluded from the app build).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { LOCAL_DEV_SECRET } from '@podium/auth';
import { anyEnvelopeSchema, type Envelope, envelopeFor, type ScheduleUnitState } from '@podium/contracts';
import { eventCodeOf, phaseCodeOf } from '@podium/odf';
import { AppLifecycle, configureApp, PLATFORM_APP_OPTIONS } from '@podium/platform';
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats, waitFor } from '@podium/testing';
import { SignJWT } from 'jose';
import { AckPolicy, connect, DeliverPolicy, headers as natsHeaders, type NatsConnection } from 'nats';

import { AppModule } from '../app/app.module';
import { PrismaService } from '../database/prisma.service';

export const SOURCE_KEY = 'venue-key-athletics-0123456789';

export interface StreamMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  envelope: Envelope<Record<string, unknown>>;
}

export interface Harness {
  app: NestExpressApplication;
  url: string;
  db: TestDatabase;
  nats: TestNats;
  reader: NatsConnection;
  token(roles?: string[], sub?: string): Promise<string>;
  /** fetch against the app. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** POST /v1/messages with the demo key (or `apiKey`), XML by default. */
  post(body: string | Uint8Array, init?: { apiKey?: string | null; contentType?: string; gzip?: boolean }): Promise<Response>;
  /** Messages of a stream (logical name, e.g. RESULTS) after `afterSeq`. */
  readStream(stream: string, afterSeq?: number): Promise<StreamMessage[]>;
  /** Publishes a schedule unit event on the SCHEDULES stream, as the schedules service would, and waits until it is known. */
  publishUnit(rsc: string, version?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startResultsIngest(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase({ service: 'results-ingest' });
  const nats = await createTestNats();
  Object.assign(process.env, {
    SERVICE_NAME: 'results-ingest',
    HOST: '127.0.0.1',
    PORT: '3006', // not listened on: the harness listens on a random port
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    NATS_PREFIX: nats.prefix,
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    INGEST_API_KEYS: JSON.stringify({ [SOURCE_KEY]: ['ATHVEN1'] }),
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
    ...env,
  });
  let app: NestExpressApplication;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>(PLATFORM_APP_OPTIONS);
    configureApp(app);
    app.enableShutdownHooks();
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await nats.cleanup().catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw error;
  }
  app.get(AppLifecycle).markStarted();
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const reader = await connect({ servers: nats.url });

  const token = (roles: string[] = ['ods-operator'], sub = 'operator') =>
    new SignJWT({ roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(LOCAL_DEV_SECRET));

  const request: Harness['request'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return fetch(`${url}${path}`, { ...init, headers });
  };

  return {
    app,
    url,
    db,
    nats,
    reader,
    token,
    request,
    post: async (body, init = {}) => {
      const headers = new Headers({ 'content-type': init.contentType ?? 'application/xml' });
      const apiKey = init.apiKey === undefined ? 'demo-venue-key' : init.apiKey;
      if (apiKey !== null) headers.set('x-api-key', apiKey);
      let payload: string | Uint8Array = body;
      if (init.gzip) {
        const { gzipSync } = await import('node:zlib');
        payload = gzipSync(typeof body === 'string' ? Buffer.from(body) : body);
        headers.set('content-encoding', 'gzip');
      }
      return fetch(`${url}/v1/messages`, { method: 'POST', headers, body: payload });
    },
    readStream: async (stream, afterSeq = 0) => {
      const name = `${nats.namePrefix}${stream}`;
      const jsm = await reader.jetstreamManager();
      const info = await jsm.streams.info(name);
      if (info.state.messages === 0 || info.state.last_seq <= afterSeq) return [];
      const consumer = await jsm.consumers.add(name, {
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: Math.max(afterSeq + 1, info.state.first_seq),
      });
      const c = await reader.jetstream().consumers.get(name, consumer.name);
      const out: StreamMessage[] = [];
      const messages = await c.fetch({ max_messages: info.state.messages, expires: 3_000 });
      for await (const m of messages) {
        out.push({
          seq: m.seq,
          subject: m.subject.slice(nats.prefix.length),
          msgId: m.headers?.get('Nats-Msg-Id'),
          envelope: anyEnvelopeSchema.parse(m.json()) as Envelope<Record<string, unknown>>,
        });
        if (m.seq >= info.state.last_seq) break;
      }
      await jsm.consumers.delete(name, consumer.name).catch(() => undefined);
      return out;
    },
    publishUnit: async (rsc, version = 1) => {
      const data: ScheduleUnitState = {
        edition: 'OG2024',
        rsc,
        discipline: rsc.slice(0, 3),
        eventRsc: eventCodeOf(rsc),
        phaseRsc: phaseCodeOf(rsc),
        name: `Unit ${rsc}`,
        medal: false,
        status: 'SCHEDULED',
        startUtc: null,
        endUtc: null,
        venue: null,
        location: null,
        timeZone: null,
        startLocal: null,
        endLocal: null,
        logicalDate: null,
        session: null,
        version,
        change: null,
        updatedAt: new Date().toISOString(),
      };
      const envelope = envelopeFor('oms.schedules.v1.unit.{discipline}.updated', data);
      const h = natsHeaders();
      h.set('Nats-Msg-Id', envelope.id);
      await reader
        .jetstream()
        .publish(`${nats.prefix}oms.schedules.v1.unit.${data.discipline}.updated`, JSON.stringify(envelope), { headers: h });
      const prisma = app.get(PrismaService);
      await waitFor(async () => ((await prisma.knownUnit.findUnique({ where: { rsc } }))?.version ?? 0) >= version, {
        timeoutMs: 15_000,
        description: `schedule unit ${rsc} known`,
      });
    },
    close: async () => {
      await app.close();
      await reader.close();
      await nats.cleanup();
      await db.drop();
    },
  };
}
