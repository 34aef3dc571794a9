/**
 * An nginx (Debian's `nginx-light`) serving given bytes as files, one worker, `etag on`, no access log: the physical
 * floor a Node service's cached reads are compared with (tools/bench/http.ts).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

export function nginxBinary(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  return onPath || NGINX_CANDIDATES.find((candidate) => existsSync(candidate));
}

export interface StaticNginx {
  /** URL of the file served for `name`. */
  urlOf(name: string): string;
  pid: number;
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on 127.0.0.1:`port`; rejects when `child` exits first or after `timeoutMs`. */
export async function waitListening(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing is listening on ${port} after ${timeoutMs / 1000} s`);
}

/** Starts nginx on 127.0.0.1:`port` serving each file (name -> bytes) as application/json. */
export async function startStaticNginx(files: Record<string, Buffer | string>, port: number): Promise<StaticNginx> {
  const binary = nginxBinary();
  if (binary === undefined) throw new Error('nginx not found: apt-get install nginx-light');
  const dir = mkdtempSync(join(tmpdir(), 'podium-nginx-'));
  // nginx's worker drops root for `nobody` when started as root: it must be able to read the files.
  chmodSync(dir, 0o755);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body, { mode: 0o644 });
  const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    root ${dir};
    etag on;
    default_type application/json;
    types { }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(binary, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitListening(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    urlOf: (name) => `http://127.0.0.1:${port}/${name}`,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
