import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEndpoint, isDockerAvailable } from './docker';

describe('Docker detection', () => {
  let dir: string;
  let server: Server | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podium-docker-'));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  function fakeEngine(answer: string, status = 200): Server {
    return createServer((req, res) => {
      res.statusCode = req.url === '/_ping' ? status : 404;
      res.end(answer);
    });
  }

  it('reads DOCKER_HOST (unix and tcp) and finds no endpoint when there is none', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({ host: '10.0.0.5', port: 2376 });
    expect(dockerEndpoint({ DOCKER_HOST: 'ssh://me@host' })).toBeNull();
    expect(dockerEndpoint({ XDG_RUNTIME_DIR: dir })).toEqual(dockerEndpoint({}));
  });

  it('is available when the engine answers GET /_ping with OK over a unix socket', async () => {
    const socketPath = join(dir, 'docker.sock');
    server = fakeEngine('OK');
    await new Promise<void>((resolve) => server?.listen(socketPath, resolve));
    await expect(isDockerAvailable({ DOCKER_HOST: `unix://${socketPath}` })).resolves.toBe(true);
    await expect(isDockerAvailable({ DOCKER_HOST: `unix://${socketPath}`, PODIUM_TESTCONTAINERS: 'off' })).resolves.toBe(false);
  });

  it('is available over tcp, and not when the answer is wrong or nobody listens', async () => {
    server = fakeEngine('OK');
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await expect(isDockerAvailable({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).resolves.toBe(true);
    await expect(isDockerAvailable({ DOCKER_HOST: `unix://${join(dir, 'missing.sock')}` })).resolves.toBe(false);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = fakeEngine('nope', 500);
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    await expect(isDockerAvailable({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).resolves.toBe(false);
  });
});
