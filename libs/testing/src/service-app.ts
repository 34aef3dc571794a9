import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { LOCAL_DEV_SECRET } from '@podium/auth';
import { AppLifecycle, configureApp, PLATFORM_APP_OPTIONS } from '@podium/platform';
import { SignJWT } from 'jose';
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats';
import { createTestNats, type TestNats } from './nats';
import { createTestDatabase, type TestDatabase } from './postgres';
import { TcpProxy } from './tcp-proxy';

export interface TestServiceOptions {
  /** The service: a folder of apps/ (its migrations are applied) and its SERVICE_NAME. */
  service: string;
  /** Its root module (the real AppModule). */
  module: Type<unknown> | DynamicModule;
  /** Extra or overriding environment variables, read by the service's config at boot. */
  env?: Record<string, string>;
  /** Give the service its own migrated database (default true). */
  database?: boolean;
  /** Route the service's NATS connection through a TcpProxy, to cut it off in a test (default false). */
  natsProxy?: boolean;
  /** Adjusts the testing module before it compiles, e.g. `(b) => b.overrideProvider(Clock).useValue(clock)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TokenClaims {
  sub?: string;
  noc?: string;
  org?: string;
  scope?: string;
}

/** One message of a JetStream stream, as a partner would read it. */
export interface StreamMessage {
  seq: number;
  /** The subject without the test's NATS prefix. */
  subject: string;
  msgId: string | undefined;
  json: unknown;
}

export interface TestService {
  app: NestExpressApplication;
  /** http://127.0.0.1:<random port> */
  url: string;
  db: TestDatabase | undefined;
  nats: TestNats;
  /** Set with `natsProxy: true`: pause or drop it to simulate a NATS outage for the service. */
  natsProxy: TcpProxy | undefined;
  /** A connection straight to NATS (never through the proxy), for reading and publishing in tests. */
  reader: NatsConnection;
  /** A dev-mode bearer token (HS256, the local dev key) with these roles and claims. */
  token(roles?: string[], claims?: TokenClaims): Promise<string>;
  /** fetch against the service; `token` adds the bearer header, `json` sends a JSON body. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Every message of a stream (its logical name, e.g. 'SCHEDULES') after `afterSeq`. */
  readStream(stream: string, afterSeq?: number): Promise<StreamMessage[]>;
  close(): Promise<void>;
}

/**
 * Starts a service for an integration test file: its own migrated database and NATS prefix, the real root module on
 * a random loopback port with dev-mode auth, and helpers to call it and read what it published. `close()` stops it
 * and removes the database, streams and consumers.
 */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const db = options.database === false ? undefined : await createTestDatabase({ service: options.service });
  const nats = await createTestNats();
  const natsProxy = options.natsProxy ? await TcpProxy.forUrl(nats.url) : undefined;
  const cleanup = async () => {
    await natsProxy?.close().catch(() => undefined);
    await nats.cleanup().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  };
  Object.assign(process.env, {
    SERVICE_NAME: options.service,
    HOST: '127.0.0.1',
    PORT: '3000', // not listened on: the app listens on a random port below
    ...(db ? { DATABASE_URL: db.url } : {}),
    NATS_URL: natsProxy ? natsProxy.rewrite(nats.url) : nats.url,
    NATS_PREFIX: nats.prefix,
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    ...options.env,
  });

  let app: NestExpressApplication;
  let reader: NatsConnection;
  try {
    const builder = Test.createTestingModule({ imports: [options.module] });
    const moduleRef = await (options.override ? options.override(builder) : builder).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>(PLATFORM_APP_OPTIONS);
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    app.get(AppLifecycle).markStarted();
    reader = await connect({ servers: nats.url });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    app,
    url,
    db,
    nats,
    natsProxy,
    reader,
    token: (roles = [], claims = {}) => {
      const { sub = 'tester', ...rest } = claims;
      return new SignJWT({ roles, ...rest })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(LOCAL_DEV_SECRET));
    },
    request: (path, init = {}) => {
      const { token, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      let body = rest.body;
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(json);
      }
      return fetch(`${url}${path}`, { ...rest, headers, body });
    },
    readStream: (stream, afterSeq = 0) => readStream(reader, nats, stream, afterSeq),
    close: async () => {
      await app.close();
      await reader.close();
      await cleanup();
    },
  };
}

/** Reads a stream after `afterSeq` with an ephemeral consumer (deleted afterwards). */
export async function readStream(
  nc: NatsConnection,
  nats: Pick<TestNats, 'prefix' | 'namePrefix'>,
  stream: string,
  afterSeq = 0,
): Promise<StreamMessage[]> {
  const name = `${nats.namePrefix}${stream}`;
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(name);
  if (state.messages === 0 || state.last_seq <= afterSeq) return [];
  const consumer = await jsm.consumers.add(name, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(afterSeq + 1, state.first_seq),
  });
  const out: StreamMessage[] = [];
  try {
    const c = await nc.jetstream().consumers.get(name, consumer.name);
    const messages = await c.fetch({ max_messages: state.last_seq - afterSeq, expires: 5_000 });
    for await (const m of messages) {
      out.push({
        seq: m.seq,
        subject: m.subject.startsWith(nats.prefix) ? m.subject.slice(nats.prefix.length) : m.subject,
        msgId: m.headers?.get('Nats-Msg-Id'),
        json: m.json(),
      });
      if (m.seq >= state.last_seq) break;
    }
  } finally {
    await jsm.consumers.delete(name, consumer.name).catch(() => undefined);
  }
  return out;
}
