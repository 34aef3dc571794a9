/**
 * Where a service's CPU went, from a V8 CPU profile (BENCH_PROFILE=<service> makes the benchmarks write one to
 * tmp/bench/): the share of the busy time (idle left out) spent in socket writes and Node's HTTP response, in Node's
 * request parsing, in each npm package, in Podium's own code, in GC.
 *
 *   npx tsx tools/bench/cpu-profile.ts tmp/bench/CPU.<...>.cpuprofile [--top 22] [--window FROM,TO] [--per-second]
 *
 * --window: only the samples FROM to TO seconds after the profile started (e.g. the seconds after a replica took over
 * another's clients); --per-second first prints each second's busy share, to find such a window.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const SOCKET_WRITES = new Set(['writev', 'writeLatin1String', 'writeBuffer', 'writeUtf8String']);

function category({ functionName, url }: ProfileNode['callFrame']): string {
  if (SOCKET_WRITES.has(functionName) || /stream_base_commons|_http_outgoing|node:net/.test(url)) {
    return 'socket writes + Node HTTP response';
  }
  if (/_http_server|_http_common/.test(url) || functionName.startsWith('parserOn')) return 'Node HTTP request parsing';
  if (functionName === '(garbage collector)') return 'GC';
  if (url.includes('node_modules/')) return url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1');
  if (url.includes('/dist/apps/') || url.includes('/libs/') || url.includes('/apps/')) return 'podium code';
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node ').replace(/\/.*/, '');
  return functionName || '(other)';
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [--top N]');
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex === -1 ? 22 : Number(process.argv[topIndex + 1]);
  const windowIndex = process.argv.indexOf('--window');
  const [from, to] = windowIndex === -1 ? [0, Number.POSITIVE_INFINITY] : (process.argv[windowIndex + 1] ?? '').split(',').map(Number);
  if (from === undefined || to === undefined || !(from < to)) throw new Error('--window FROM,TO: seconds since the profile started, FROM < TO');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const shares = new Map<string, number>();
  const perSecond = new Map<number, { total: number; busy: number }>();
  let total = 0;
  let busy = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const second = Math.floor(at / 1e6);
    const frame = nodes.get(id)?.callFrame;
    const s = perSecond.get(second) ?? { total: 0, busy: 0 };
    perSecond.set(second, s);
    s.total += delta;
    if (frame !== undefined && frame.functionName !== '(idle)') s.busy += delta;
    if (second < from || second >= to) return;
    total += delta;
    if (frame === undefined || frame.functionName === '(idle)') return;
    busy += delta;
    const key = category(frame);
    shares.set(key, (shares.get(key) ?? 0) + delta);
  });
  if (process.argv.includes('--per-second')) {
    for (const [second, s] of [...perSecond].sort((a, b) => a[0] - b[0])) console.log(`${String(second).padStart(4)} s  busy ${((s.busy / s.total) * 100).toFixed(0)}%`);
  }
  const span = windowIndex === -1 ? 'the profile' : `seconds ${from}-${to} of the profile`;
  console.log(`busy ${((busy / total) * 100).toFixed(1)}% of ${span} (${(total / 1e6).toFixed(1)} s); shares of the busy time:`);
  for (const [key, time] of [...shares].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((time / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
}

main();
