/**
 * A nats-server of the benchmark run's own (`--spawn`): the Debian binary (or NATS_SERVER_BIN, or `nats-server` on the
 * PATH) with JetStream on a free loopback port and a temporary store directory, removed afterwards, so that the CPU
 * nats-server uses is the run's alone. Logs to tmp/bench/nats-server.log.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { freePort } from './services';

const LOGS = join(resolve(__dirname, '../..'), 'tmp/bench');

export interface RunNats {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The nats-server binary to start, or undefined when there is none on this machine. */
export function natsServerBinary(): string | undefined {
  const candidates = [process.env['NATS_SERVER_BIN'], '/usr/sbin/nats-server', '/usr/bin/nats-server'];
  const found = candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : undefined;
}

export async function startNats(binary: string, log: (line: string) => void): Promise<RunNats> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'podium-bench-nats-'));
  mkdirSync(LOGS, { recursive: true });
  const fd = openSync(join(LOGS, 'nats-server.log'), 'w');
  const child: ChildProcess = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const url = `nats://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    }
    rmSync(store, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${binary} exited with ${child.exitCode} (see tmp/bench/nats-server.log)`);
    }
    try {
      const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 });
      // JetStream answers once the server is ready for it.
      await (await nc.jetstreamManager()).getAccountInfo();
      await nc.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the run's nats-server at ${url} not ready after 15 s: ${String(error)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`nats-server of the run: pid ${child.pid}, ${url}, store ${store} (removed afterwards)`);
  return { url, pid: child.pid ?? 0, stop };
}
