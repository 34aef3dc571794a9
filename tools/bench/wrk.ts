/**
 * Runs Debian's `wrk` (closed loop: each connection sends its next request as soon as the previous answer is read, so
 * no request ever waits in the client before it is sent; latency is from the write to the last byte of the answer)
 * and returns its figures. `wrk` must be on PATH (`apt-get install wrk`; tools/bench/http.ts checks it first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  /** wrk threads (default 1: on 2 cores the second core is the server's). */
  threads?: number;
  headers?: Record<string, string>;
}

export interface WrkResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Latency in milliseconds. */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Answers with a status outside 2xx/3xx, and connect/read/write/timeout errors. */
  errors: { status: number; connect: number; read: number; write: number; timeout: number };
  bytesPerRequest: number;
}

/** Prints wrk's summary as one JSON line (wrk calls done() once, after the run). */
const REPORT_SCRIPT = `
done = function(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"mean":%f,"p50":%d,"p90":%d,"p99":%d,"max":%d,' ..
    '"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
`;

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

export function runWrk(options: WrkOptions): WrkResult {
  const dir = mkdtempSync(join(tmpdir(), 'podium-wrk-'));
  try {
    const script = join(dir, 'report.lua');
    writeFileSync(script, REPORT_SCRIPT);
    const args = [
      `-t${options.threads ?? 1}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      options.url,
    ];
    const run = spawnSync('wrk', args, { encoding: 'utf8', timeout: (options.seconds + 30) * 1000 });
    if (run.error) throw run.error;
    const line = run.stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
    if (run.status !== 0 || line === undefined) {
      throw new Error(`wrk ${args.join(' ')} failed (exit ${run.status}): ${run.stderr || run.stdout}`);
    }
    const raw = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
    const us = (value: number) => value / 1000;
    return {
      url: options.url,
      connections: options.connections,
      seconds: raw['duration_us'] / 1e6,
      requests: raw['requests'],
      requestsPerSecond: raw['requests'] / (raw['duration_us'] / 1e6),
      latency: { mean: us(raw['mean']), p50: us(raw['p50']), p90: us(raw['p90']), p99: us(raw['p99']), max: us(raw['max']) },
      errors: { status: raw['status'], connect: raw['connect'], read: raw['read'], write: raw['write'], timeout: raw['timeout'] },
      bytesPerRequest: raw['requests'] === 0 ? 0 : raw['bytes'] / raw['requests'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `12,345 req/s, p50 1.2 ms, p99 4.5 ms, max 9.9 ms` (+ errors when there were any). */
export function formatWrk(result: WrkResult): string {
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
  const errors = Object.entries(result.errors).filter(([, n]) => n > 0);
  return (
    `${Math.round(result.requestsPerSecond).toLocaleString('en-US')} req/s, mean ${ms(result.latency.mean)} ms, ` +
    `p50 ${ms(result.latency.p50)} ms, p99 ${ms(result.latency.p99)} ms, max ${ms(result.latency.max)} ms` +
    (errors.length === 0 ? '' : ` (errors: ${errors.map(([kind, n]) => `${kind} ${n}`).join(', ')})`)
  );
}
