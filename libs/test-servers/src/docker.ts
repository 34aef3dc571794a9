import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** Where a Docker engine would answer: DOCKER_HOST, else the usual sockets. Null when there is none to try. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): { socketPath: string } | { host: string; port: number } | null {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
    if (dockerHost.startsWith('tcp://')) {
      const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      return { host: url.hostname, port: Number(url.port || 2375) };
    }
    return null;
  }
  const candidates = ['/var/run/docker.sock', ...(env['XDG_RUNTIME_DIR'] ? [join(env['XDG_RUNTIME_DIR'], 'docker.sock')] : [])];
  const socketPath = candidates.find((path) => existsSync(path));
  return socketPath ? { socketPath } : null;
}

/**
 * Whether a Docker engine answers `GET /_ping` (so that Testcontainers can be used). PODIUM_TESTCONTAINERS=off
 * forces the local services even when Docker is there.
 */
export async function isDockerAvailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<boolean> {
  if (/^(off|false|0|no)$/i.test(env['PODIUM_TESTCONTAINERS'] ?? '')) return false;
  const endpoint = dockerEndpoint(env);
  if (!endpoint) return false;
  return new Promise<boolean>((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}
