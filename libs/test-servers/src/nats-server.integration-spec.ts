/** startNatsServer against a real nats-server: a container when Docker answers, else the local binary. */
import { connect } from 'nats';
import { type StartedNatsServer, startNatsServer } from './nats-server';

const config = [
  'include ../auth/auth.conf',
  'max_payload: 2097152',
  'jetstream { store_dir: "jetstream" }',
  // Replaced by startNatsServer: a fixed port would clash between test files.
  'port: 4222',
  'http_port: 8222',
  'pid_file: "/var/run/nats/nats.pid"',
].join('\n');
const authConf = 'authorization { users: [ { user: app, password: $TEST_PASSWORD } ] }';

describe('startNatsServer', () => {
  const started: StartedNatsServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('runs the given configuration, includes resolved from its directory, on a port of its own', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        startNatsServer({ config, configPath: 'server/nats.conf', files: { 'auth/auth.conf': authConf }, env: { TEST_PASSWORD: 'secret1' } }),
      ),
    );
    if (!a || !b) throw new Error('two servers expected');
    started.push(a, b);
    expect(a.url).not.toBe(b.url);
    const nc = await connect({ servers: a.url, user: 'app', pass: 'secret1' });
    try {
      expect(nc.info?.max_payload).toBe(2097152);
      const jsm = await nc.jetstreamManager();
      expect((await jsm.getAccountInfo()).streams).toBe(0);
    } finally {
      await nc.close();
    }
    await expect(connect({ servers: a.url, user: 'app', pass: 'wrong', timeout: 2000 })).rejects.toThrow(/Authorization Violation/i);
  });

  it('rejects with the server log when the server cannot start', async () => {
    const error = await startNatsServer({ config, configPath: 'server/nats.conf', files: { 'auth/auth.conf': authConf }, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/did not start/);
    // nats-server names the variable it could not resolve.
    expect((error as Error).message).toContain('TEST_PASSWORD');
  });

  it('stops the server (twice is fine)', async () => {
    const server = await startNatsServer({ config: 'jetstream: enabled' });
    await server.stop();
    await server.stop();
    await expect(connect({ servers: server.url, timeout: 1000, reconnect: false })).rejects.toThrow();
  });
});
