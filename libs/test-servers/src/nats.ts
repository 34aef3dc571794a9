import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { isDockerAvailable } from './docker';

export const DEFAULT_TEST_NATS_URL = 'nats://127.0.0.1:4222';
const NATS_IMAGE = 'nats:2.10';

export interface TestNats {
  /** nats://host:port of a JetStream-enabled server. */
  url: string;
  /** Subject prefix for this test file, e.g. `t1a2b3c4d.`: pass it as NATS_PREFIX. */
  prefix: string;
  /** The same prefix for stream and consumer names (`.` -> `_`), e.g. `t1a2b3c4d_`. */
  namePrefix: string;
  /** Deletes every stream (also KV_/OBJ_ buckets) and consumer whose name starts with namePrefix. */
  cleanup(): Promise<void>;
}

let server: Promise<string> | undefined;

/**
 * The NATS server integration tests use, resolved once per test file: a Testcontainers `nats:2.10 -js`
 * when a Docker engine answers (reused across test files), else NATS_URL (default nats://127.0.0.1:4222).
 * Fails with instructions when there is neither.
 */
export function natsServer(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  server ??= resolveNatsServer(env).catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  return server;
}

export async function resolveNatsServer(env: NodeJS.ProcessEnv): Promise<string> {
  if (await isDockerAvailable(env)) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(NATS_IMAGE)
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .withReuse()
      .start();
    return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  }
  const url = env['NATS_URL'] || DEFAULT_TEST_NATS_URL;
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: url, timeout: 3000, reconnect: false });
    await nc.jetstreamManager();
  } catch (error) {
    throw new Error(
      `Integration tests need NATS with JetStream, and there is none: no Docker engine answers (DOCKER_HOST, /var/run/docker.sock) ` +
        `and ${url} (NATS_URL, default ${DEFAULT_TEST_NATS_URL}) fails: ${error instanceof Error ? error.message : String(error)}.\n` +
        'Start it with `npm start` or `bash tools/dev/services.sh` (starts nats-server -js; Docker when available).',
      { cause: error },
    );
  } finally {
    await nc?.close();
  }
  return url;
}

/** A NATS server and a unique subject/name prefix for one test file; call cleanup() in afterAll. */
export async function createTestNats(): Promise<TestNats> {
  const url = await natsServer();
  const id = `t${randomBytes(4).toString('hex')}`;
  const namePrefix = `${id}_`;
  return {
    url,
    prefix: `${id}.`,
    namePrefix,
    cleanup: () => deleteJetStreamObjects(url, namePrefix),
  };
}

/** Deletes streams (incl. KV_/OBJ_ bucket streams) and consumers whose name starts with `namePrefix`. */
export async function deleteJetStreamObjects(url: string, namePrefix: string): Promise<void> {
  if (!namePrefix) throw new Error('Refusing to delete JetStream objects without a name prefix');
  const nc = await connect({ servers: url, timeout: 3000, reconnect: false });
  try {
    const jsm = await nc.jetstreamManager();
    const ours = (name: string): boolean => [namePrefix, `KV_${namePrefix}`, `OBJ_${namePrefix}`].some((p) => name.startsWith(p));
    // Collect first: deleting while paging through the listing would shift its offsets.
    const streams: string[] = [];
    for await (const stream of jsm.streams.list()) streams.push(stream.config.name);
    for (const name of streams) {
      if (ours(name)) {
        await jsm.streams.delete(name);
        continue;
      }
      // Other test files share the server: their streams may be deleted between the listing and this read.
      try {
        const consumers: string[] = [];
        for await (const consumer of jsm.consumers.list(name)) consumers.push(consumer.name);
        for (const consumer of consumers.filter((c) => c.startsWith(namePrefix))) await jsm.consumers.delete(name, consumer);
      } catch (error) {
        if (!isStreamNotFound(error)) throw error;
      }
    }
  } finally {
    await nc.close();
  }
}

/** JetStream's "stream not found" (API error 10059): the stream is gone, which is what cleanup wants anyway. */
function isStreamNotFound(error: unknown): boolean {
  const e = error as { api_error?: { err_code?: number }; message?: unknown } | null;
  return e?.api_error?.err_code === 10059 || (typeof e?.message === 'string' && /stream not found/i.test(e.message));
}
