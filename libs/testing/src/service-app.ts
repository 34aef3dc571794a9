import type { DynamicModule, Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { LOCAL_DEV_SECRET } from '@podium/auth';
import type { PayloadOf, SubjectKey } from '@podium/contracts';
import {
  AppLifecycle,
  configureApp,
  type ConfigureAppOptions,
  createHttpAdapter,
  PLATFORM_APP_OPTIONS,
  type PlatformApp,
  type PublishArgs,
} from '@podium/platform';
import { SignJWT } from 'jose';
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from 'nats';
import { createTestNats, TcpProxy, type TestNats, waitFor } from '@podium/test-servers';
import { createTestDatabase, type TestDatabase } from './postgres';
import { publishEvent, type PublishedEvent } from './publish';

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
  /** Serve the OpenAPI document at /docs and /docs-json, as main.ts does (default: none). */
  openApi?: ConfigureAppOptions['openApi'];
  /** The service's own app setup that main.ts passes to runService as `configure` (e.g. CORS), run before listening. */
  configure?: (app: PlatformApp) => void | Promise<void>;
  /**
   * Return only once GET /health/ready answers 200 (database, NATS and the service's own checks, e.g. a replay of
   * its streams), within `readyTimeoutMs` (default 30 s). Default false: return once listening.
   */
  ready?: boolean;
  readyTimeoutMs?: number;
}

export interface TokenClaims {
  sub?: string;
  noc?: string;
  org?: string;
  scope?: string;
  /** The venues a venue-bound principal is limited to (@podium/auth's `venues` claim). */
  venues?: string[];
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
  app: PlatformApp;
  /** http://127.0.0.1:<random port> */
  url: string;
  /** ws://127.0.0.1:<the same port>, for WebSocket endpoints (append the path). */
  wsUrl: string;
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
  /** Publishes on a subject of the contracts' map as the platform does, under this test's NATS prefix ({@link publishEvent}). */
  publish<K extends SubjectKey>(key: K, data: PayloadOf<K>, ...options: PublishArgs<K>): Promise<PublishedEvent<K>>;
  /**
   * Stops this instance of the service (its shutdown hooks run: consumers stop, NATS drains, the database client
   * closes) and leaves its database and NATS prefix in place, for {@link restart}. Idempotent.
   */
  stop(): Promise<void>;
  /**
   * Stops this instance (when still running) and starts the same module with the same options on the same database
   * and NATS prefix (on a new port): a restart of the service, e.g. to test what it recovers. `env` adds or overrides
   * variables. The new instance takes over the database and prefix: its `close()` removes them, this one's no longer.
   */
  restart(options?: { env?: Record<string, string> }): Promise<TestService>;
  /**
   * Starts another instance of the same module on the same database and NATS prefix (a new port), while this one keeps
   * running: a second replica, as a deployment with replicas: 2 runs it (give it its own INSTANCE_ID-like variables in
   * `env`). This instance keeps the database and prefix: close the replica before it.
   */
  replica(options?: { env?: Record<string, string> }): Promise<TestService>;
  /** Stops the service and removes its database, streams and consumers (unless a restarted instance took them over). */
  close(): Promise<void>;
}

/** The database, NATS prefix and connections one service keeps across restarts. */
interface Resources {
  db: TestDatabase | undefined;
  nats: TestNats;
  natsProxy: TcpProxy | undefined;
  reader: NatsConnection;
  /** The instance whose close() removes them. */
  owner: TestService | undefined;
  cleanup(): Promise<void>;
}

/**
 * Starts a service for an integration test file: its own migrated database and NATS prefix, the real root module on
 * a random loopback port with dev-mode auth (opted in with PODIUM_LOCAL_DEV=true; NODE_ENV stays the runner's `test`),
 * and helpers to call it, publish to it and read what it published.
 * `close()` stops it and removes the database, streams and consumers; `restart()` starts it again on them.
 */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const db = options.database === false ? undefined : await createTestDatabase({ service: options.service });
  let nats: TestNats | undefined;
  let natsProxy: TcpProxy | undefined;
  let reader: NatsConnection | undefined;
  const cleanup = async () => {
    await reader?.close().catch(() => undefined);
    await natsProxy?.close().catch(() => undefined);
    await nats?.cleanup().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  };
  try {
    nats = await createTestNats();
    natsProxy = options.natsProxy ? await TcpProxy.forUrl(nats.url) : undefined;
    reader = await connect({ servers: nats.url });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const resources: Resources = { db, nats, natsProxy, reader, owner: undefined, cleanup };
  try {
    return await launch(options, resources);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Boots one instance of the service on `resources` and, unless it is an extra replica, makes it their owner. */
async function launch(
  options: TestServiceOptions,
  resources: Resources,
  extraEnv: Record<string, string> = {},
  role: 'owner' | 'replica' = 'owner',
): Promise<TestService> {
  const { db, nats, natsProxy, reader } = resources;
  Object.assign(process.env, {
    SERVICE_NAME: options.service,
    HOST: '127.0.0.1',
    PORT: '3000', // not listened on: the app listens on a random port below
    ...(db ? { DATABASE_URL: db.url } : {}),
    NATS_URL: natsProxy ? natsProxy.rewrite(nats.url) : nats.url,
    NATS_PREFIX: nats.prefix,
    // The one place the in-process service tests opt in to dev auth (and results-ingest's demo key): local only, so
    // it needs NODE_ENV development or test (Jest sets test). A test overrides either in `env` to see the refusal.
    PODIUM_LOCAL_DEV: 'true',
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    ...options.env,
    ...extraEnv,
  });

  const builder = Test.createTestingModule({ imports: [options.module] });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= app.close());
  try {
    configureApp(app, { openApi: options.openApi });
    await options.configure?.(app);
    await app.listen(0, '127.0.0.1');
    app.get(AppLifecycle).markStarted();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  const service: TestService = {
    app,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
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
    publish: (key, data, ...publishOptions) => publishEvent(reader, nats, key, data, ...publishOptions),
    stop,
    restart: async (restartOptions = {}) => {
      await stop();
      return launch(options, resources, { ...extraEnv, ...restartOptions.env });
    },
    replica: (replicaOptions = {}) => launch(options, resources, { ...extraEnv, ...replicaOptions.env }, 'replica'),
    close: async () => {
      await stop();
      if (resources.owner === service) await resources.cleanup();
    },
  };
  if (role === 'owner') resources.owner = service;
  if (options.ready) {
    try {
      await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, {
        timeoutMs: options.readyTimeoutMs ?? 30_000,
        description: `${options.service} ready (GET /health/ready answers 200)`,
      });
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  }
  return service;
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
