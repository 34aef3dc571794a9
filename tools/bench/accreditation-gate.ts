/**
 * Online gate checks (POST /v1/gate/checks) of the accreditation service under concurrent scanners on loopback,
 * driven by autocannon (issue 11's aim: at least 5,000 checks/s at p99 <= 20 ms).
 *
 *   npx tsx tools/bench/accreditation-gate.ts --spawn [--cards 1000] [--seconds 15] [--rate 5000] [--connections 50]
 *
 * Set-up, all through the API: the demo reference data pack (quotas raised to fit --cards), --cards applications by
 * the bulk path, each moved to vetting, cleared by security, approved, its card issued (and activated at pick-up
 * where the service has that step), its credential fetched; 5% of the cards are then revoked, so the service's
 * revocation list is not empty. The scanners' requests cycle through the credentials, 90% at a venue and zone their
 * card grants (allow), 5% at a zone it does not (deny zone-not-granted), 5% of revoked cards (deny revoked); each
 * check is made now (no `at`; the pack's validity is set around the run). Before measuring, one check of each kind must answer 200 with the
 * expected decision.
 *
 * Two runs, each after a warm-up of --warmup seconds:
 * 1. Fixed rate (--rate checks/s in all, autocannon's overallRate over --connections connections): the rule of these
 *    benchmarks is that a request's time counts from when it should have been sent. autocannon measures from when
 *    it sends, so this benchmark also gives each request its intended send time (the k-th request of the run at
 *    start + k / rate) and reports, besides autocannon's latency, the wait (sent - intended, 0 if early) and the
 *    latency from the intended time (response - max(intended, sent)).
 * 2. Closed loop (--connections connections, each sending its next check when the previous answers): the most checks
 *    per second this machine gives, autocannon's latency.
 * Each run prints req/s, p50/p99/max, every non-200 answer and decision counts, and the CPU seconds of the service,
 * of every postgres process and of this process (which is autocannon) during the run. Raw figures as JSON to
 * tmp/bench/accreditation-gate-<timestamp>.json.
 *
 * The service keeps the credentials it verified (ACCREDITATION_GATE_VERIFIED_CACHE_BYTES): with --cards smaller than
 * that memory, every credential is verified once and then found again (a card scanned again at the next gate); each run
 * prints how many checks were found and how many verified in full. ACCREDITATION_GATE_VERIFIED_CACHE_BYTES=1b in this
 * benchmark's environment (passed to --spawn's service) keeps none: every check a first scan. A first scan of a card's
 * current credential is recognised by the service without an Ed25519 verification (its own record of what it signed);
 * ACCREDITATION_GATE_TRUST_ISSUED=false makes the service verify those in full too (the first scans' worst case).
 *
 * Options: --spawn or --url (accreditation-service.ts), --replicas [1] with --spawn (instances on the same database,
 * autocannon's connections spread over them); --cards [1000] --seconds [15] --warmup [3] --rate [5000]
 * --connections [50] --edition [OG2024]; --rate takes several rates (5000,1500): a fixed-rate run of each.
 */
import autocannon, { type Instance, type Result } from 'autocannon';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { ApiError, apiClient, ok, pool, type RequestBody } from '@podium/api-clients';
import {
  type AccreditationTarget,
  accreditationTarget,
  argValue,
  numberOption,
} from './accreditation-service';
import { Histogram } from './histogram';
import { cpuSeconds, gitInfo, pidsNamed } from './proc';

const ROOT = resolve(__dirname, '../..');

interface Pack {
  edition: { validFrom: string; validTo: string };
  organisations: { code: string; quotas: Record<string, number> }[];
  categories: { code: string; venues: string[]; zones: string[] }[];
  venues: { code: string }[];
  zones: { code: string }[];
}

interface CheckCase {
  body: string;
  expected: string;
}

/** The body of a gate check, typed from the document (sent pre-serialised by autocannon). */
type GateCheck = RequestBody<'accreditation', '/v1/gate/checks', 'post'>;

/** The set-up's 409 serialization-conflicts ("retry the request"), each sent again by the client as its problem says. */
let conflicts = 0;

/** Cards through the whole workflow, their credentials, 5% revoked: the checks' bodies. */
async function setUp(
  target: AccreditationTarget,
  edition: string,
  cards: number,
  log: (line: string) => void,
): Promise<CheckCase[]> {
  const pack = JSON.parse(
    readFileSync(join(ROOT, 'apps/accreditation/data/demo-og2024.json'), 'utf8'),
  ) as Pack;
  const organisers = pack.organisations.find((o) => Object.keys(o.quotas).includes('VOL'));
  if (!organisers) throw new Error('the demo pack has no organisation with a VOL quota');
  organisers.quotas['VOL'] = (organisers.quotas['VOL'] ?? 0) + cards;
  // Cards valid now: the checks are made at the time they are sent (no `at`), as a gate does online.
  pack.edition.validFrom = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  pack.edition.validTo = new Date(Date.now() + 60 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const client = (token: string) =>
    apiClient('accreditation', { baseUrl: target.url, token, conflictRetries: 10, conflictBackoffMs: 20, onConflictRetry: () => conflicts++ });
  const admin = client(target.token(['oc-admin'], { sub: 'gate-bench' }));
  const security = client(target.token(['accreditation-security'], { sub: 'gate-bench-security' }));
  const inEdition = { edition };
  await ok(admin.POST('/v1/editions/{edition}/reference-data', { params: { path: inEdition }, body: pack }));
  const category = pack.categories.find((c) => c.code === 'VOL')!;
  const started = Date.now();
  const ids: string[] = [];
  for (let offset = 0; offset < cards; offset += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, cards - offset) }, (_, i) => ({
      organisation: organisers.code,
      category: 'VOL',
      familyName: `SCANNED${offset + i}`,
      givenName: 'Gate',
      dateOfBirth: '1990-01-01',
      nationality: 'FRA',
    }));
    const report = await ok(admin.POST('/v1/editions/{edition}/applications/bulk', { params: { path: inEdition }, body: { rows } }));
    if (report.refused > 0) throw new Error(`${report.refused} applications refused while setting up`);
    ids.push(...report.items.flatMap((i) => (i.status === 'accepted' ? [i.id] : [])));
  }
  const cardNumbers: string[] = [];
  let activation: boolean | undefined;
  await pool(ids, 8, async (id) => {
    const application = { params: { path: { ...inEdition, id } } };
    await ok(admin.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...application, body: { to: 'vetting', reason: 'bench' } }));
    await ok(security.PUT('/v1/editions/{edition}/applications/{id}/vetting', { ...application, body: { result: 'cleared' } }));
    await ok(admin.POST('/v1/editions/{edition}/applications/{id}/transitions', { ...application, body: { to: 'approved', reason: 'bench' } }));
    const card = await ok(admin.POST('/v1/editions/{edition}/applications/{id}/card', { ...application, body: {} }));
    if (activation !== false) {
      // Activation at pick-up, where the service has that step (404: a service without it).
      try {
        await ok(admin.POST('/v1/cards/{cardNumber}/activate', { params: { path: { cardNumber: card.cardNumber } }, body: {} }));
        activation = true;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        activation = false;
      }
    }
    cardNumbers.push(card.cardNumber);
  });
  log(
    `set up ${cardNumbers.length} cards (${activation ? 'issued and activated' : 'issued'}) in ${((Date.now() - started) / 1000).toFixed(1)} s (${conflicts} requests answered 409 serialization-conflict and were retried)`,
  );
  const credentials = new Map<string, string>();
  await pool(cardNumbers, 8, async (cardNumber) => {
    const { credential } = await ok(admin.GET('/v1/cards/{cardNumber}/credential', { params: { path: { cardNumber } } }));
    credentials.set(cardNumber, credential);
  });
  const revoked = cardNumbers.filter((_, i) => i % 20 === 0);
  await pool(revoked, 8, async (cardNumber) => {
    await ok(admin.POST('/v1/cards/{cardNumber}/revoke', { params: { path: { cardNumber } }, body: { reason: 'bench: revoked' } }));
  });
  const venues = category.venues[0] === 'ALL' ? pack.venues.map((v) => v.code) : category.venues;
  const zones = category.zones[0] === 'ALL' ? pack.zones.map((z) => z.code) : category.zones;
  const deniedZone = pack.zones.map((z) => z.code).find((z) => !zones.includes(z));
  const cases: CheckCase[] = cardNumbers.map((cardNumber, i) => {
    const venue = venues[i % venues.length]!;
    const wrongZone = i % 20 === 10 && deniedZone !== undefined;
    const zone = wrongZone ? deniedZone : zones[i % zones.length]!;
    const expected = i % 20 === 0 ? 'revoked' : wrongZone ? 'zone-not-granted' : 'ok';
    const check: GateCheck = { credential: credentials.get(cardNumber) ?? '', venue, zone, gate: `${venue}-G${(i % 8) + 1}` };
    return { body: JSON.stringify(check), expected };
  });
  return cases;
}

interface RunReport {
  name: string;
  seconds: number;
  requests: number;
  reqPerSec: number;
  autocannon: { p50: number; p90: number; p99: number; max: number };
  intended?: {
    waitP50: number;
    waitP99: number;
    waitMax: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    n: number;
  };
  non200: Record<string, number>;
  errors: number;
  timeouts: number;
  decisions: Record<string, number>;
  cpu: { service: number; postgres: number; bench: number; machineCores: number };
  /**
   * Checks whose credential the service found among those already verified (hits), or not (misses): of these, the
   * card's current credential recognised without an Ed25519 verification (issued); the rest verified in full.
   */
  verified: { hits: number; misses: number; issued: number };
}

/** The services' count of verified-credential lookups (accreditation_gate_verified_lookups_total), summed over instances. */
async function verifiedLookups(target: AccreditationTarget): Promise<{ hits: number; misses: number; issued: number }> {
  const total = { hits: 0, misses: 0, issued: 0 };
  for (const instance of target.instances) {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    for (const [outcome, key] of [['hit', 'hits'], ['miss', 'misses']] as const) {
      const line = new RegExp(`^accreditation_gate_verified_lookups_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(text);
      total[key] += Number(line?.[1] ?? 0);
    }
    total.issued += Number(/^accreditation_gate_issued_credentials_total(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1] ?? 0);
  }
  return total;
}

async function run(
  name: string,
  target: AccreditationTarget,
  token: string,
  cases: CheckCase[],
  opts: { seconds: number; connections: number; rate?: number },
): Promise<RunReport> {
  const wait = new Histogram();
  const intended = new Histogram();
  const decisions: Record<string, number> = {};
  let k = 0;
  let t0 = 0;
  const postgres = new Map(pidsNamed('postgres').map((p) => [p, cpuSeconds(p)]));
  const servicePids = target.instances.map((x) => x.pid).filter((p): p is number => p !== undefined);
  const serviceUsed = (): number => servicePids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const lookups = await verifiedLookups(target);
  const before = { service: serviceUsed(), bench: process.cpuUsage() };
  // Backends that exit during the run are counted up to their last sample (0 after): never a negative share.
  const postgresUsed = (): number =>
    [...postgres].reduce((sum, [pid, start]) => sum + Math.max(0, cpuSeconds(pid) - start), 0);
  const instance: Instance = autocannon(
    {
      // Connections spread over the instances (--replicas), as a load balancer would.
      // (autocannon takes an array of URLs; its types say string)
      url: target.instances.map((x) => x.url) as unknown as string,
      connections: opts.connections,
      duration: opts.seconds,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
      requests: [
        {
          method: 'POST',
          path: '/v1/gate/checks',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          setupRequest: (req, context) => {
            const now = performance.now();
            if (t0 === 0) t0 = now;
            const i = k++;
            const c = cases[i % cases.length]!;
            const due = opts.rate ? t0 + (i * 1000) / opts.rate : now;
            wait.record(Math.max(0, now - due));
            // One request in flight per connection (no pipelining): the context holds its start.
            (context as { start?: number }).start = Math.min(due, now);
            return { ...req, body: c.body };
          },
          onResponse: (status, body, context) => {
            const start = (context as { start?: number }).start;
            if (start !== undefined) intended.record(performance.now() - start);
            if (status === 200) {
              const reason = (JSON.parse(body) as { reason: string }).reason;
              decisions[reason] = (decisions[reason] ?? 0) + 1;
            }
          },
        },
      ],
    },
    () => undefined,
  );
  autocannon.track(instance, {
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
  });
  const result: Result = await new Promise((done, fail) => {
    instance.on('done', done);
    instance.on('error', fail);
  });
  const cpu = process.cpuUsage(before.bench);
  const serviceCpu = servicePids.length > 0 ? serviceUsed() - before.service : Number.NaN;
  const lookupsAfter = await verifiedLookups(target);
  const non200: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    if (code !== '200') non200[code] = (stat as { count: number }).count;
  return {
    name,
    seconds: opts.seconds,
    requests: result.requests.total,
    reqPerSec: result.requests.total / opts.seconds,
    autocannon: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    ...(opts.rate
      ? {
          intended: {
            waitP50: wait.quantile(0.5),
            waitP99: wait.quantile(0.99),
            waitMax: wait.max,
            p50: intended.quantile(0.5),
            p90: intended.quantile(0.9),
            p99: intended.quantile(0.99),
            max: intended.max,
            n: intended.count,
          },
        }
      : {}),
    non200,
    errors: result.errors,
    timeouts: result.timeouts,
    decisions,
    cpu: {
      service: serviceCpu,
      postgres: postgresUsed(),
      bench: (cpu.user + cpu.system) / 1e6,
      machineCores: availableParallelism(),
    },
    verified: { hits: lookupsAfter.hits - lookups.hits, misses: lookupsAfter.misses - lookups.misses, issued: lookupsAfter.issued - lookups.issued },
  };
}

function print(r: RunReport): void {
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  console.log(
    `\n${r.name}: ${Math.round(r.reqPerSec).toLocaleString('en')} checks/s (${r.requests.toLocaleString('en')} in ${r.seconds} s)`,
  );
  console.log(
    `  autocannon latency (from send): p50 ${ms(r.autocannon.p50)}  p90 ${ms(r.autocannon.p90)}  p99 ${ms(r.autocannon.p99)}  max ${ms(r.autocannon.max)}`,
  );
  if (r.intended) {
    console.log(
      `  wait before send (vs the fixed-rate schedule): p50 ${ms(r.intended.waitP50)}  p99 ${ms(r.intended.waitP99)}  max ${ms(r.intended.waitMax)}`,
    );
    console.log(
      `  latency from the intended send time: p50 ${ms(r.intended.p50)}  p90 ${ms(r.intended.p90)}  p99 ${ms(r.intended.p99)}  max ${ms(r.intended.max)}  (n=${r.intended.n})`,
    );
  }
  console.log(
    `  non-200: ${Object.keys(r.non200).length === 0 ? 'none' : JSON.stringify(r.non200)}; connection errors ${r.errors}, timeouts ${r.timeouts}`,
  );
  console.log(`  decisions: ${JSON.stringify(r.decisions)}`);
  console.log(
    `  credentials already verified (no Ed25519 verification): ${r.verified.hits.toLocaleString('en')}; ` +
      `the card's current credential recognised (no Ed25519 verification): ${r.verified.issued.toLocaleString('en')}; ` +
      `verified in full: ${(r.verified.misses - r.verified.issued).toLocaleString('en')}`,
  );
  console.log(
    `  CPU seconds during the run: service ${r.cpu.service.toFixed(1)}, postgres (the processes that were there at the start) ${r.cpu.postgres.toFixed(1)}, autocannon+bench ${r.cpu.bench.toFixed(1)} (of ${r.cpu.machineCores * r.seconds} on ${r.cpu.machineCores} cores)`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = numberOption(argv, 'seconds', 15);
  const warmup = numberOption(argv, 'warmup', 3);
  // --rate 5000 or several, e.g. --rate 5000,1500: one fixed-rate run each, in that order.
  const rates = (argValue(argv, 'rate') ?? '5000').split(',').map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r <= 0))
    throw new Error('--rate must be positive integers, comma-separated');
  const connections = numberOption(argv, 'connections', 50);
  const cards = numberOption(argv, 'cards', 1_000);
  const edition = argValue(argv, 'edition') ?? 'OG2024';
  const git = gitInfo(['apps/accreditation', 'libs']);
  const commit = git.commit?.slice(0, 7) ?? 'unknown';
  const dirty = git.dirty === true;
  console.log(
    `accreditation gate checks: ${new Date().toISOString()}, commit ${commit}${dirty ? ' (apps/accreditation or libs dirty)' : ''}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `options: cards ${cards}, rates ${rates.join(', ')}/s, connections ${connections}, ${seconds} s per run after ${warmup} s warm-up, replicas ${argValue(argv, 'replicas') ?? 1}; BENCH_DIST=${process.env['BENCH_DIST'] ?? '(dist/)'}; ACCREDITATION_GATE_VERIFIED_CACHE_BYTES=${process.env['ACCREDITATION_GATE_VERIFIED_CACHE_BYTES'] ?? '(default)'}; ACCREDITATION_GATE_TRUST_ISSUED=${process.env['ACCREDITATION_GATE_TRUST_ISSUED'] ?? '(default)'}`,
  );
  const log = (line: string): void => console.log(line);
  const target = await accreditationTarget(argv, log);
  try {
    const cases = await setUp(target, edition, cards, log);
    const scanner = target.token(['gate-scanner'], { sub: 'gate-bench-scanner' });
    for (const expected of ['ok', 'revoked', 'zone-not-granted']) {
      const c = cases.find((x) => x.expected === expected);
      if (!c) continue;
      const res = await fetch(`${target.url}/v1/gate/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${scanner}`, 'content-type': 'application/json' },
        body: c.body,
      });
      const answer = (await res.json()) as { reason?: string };
      if (res.status !== 200 || answer.reason !== expected)
        throw new Error(
          `a check expected to answer ${expected} answered ${res.status} ${JSON.stringify(answer)}`,
        );
    }
    const reports: RunReport[] = [];
    for (const r of rates) {
      await run('warm-up', target, scanner, cases, { seconds: warmup, connections, rate: r });
      reports.push(
        await run(`fixed rate ${r}/s, ${connections} connections`, target, scanner, cases, {
          seconds,
          connections,
          rate: r,
        }),
      );
      print(reports.at(-1)!);
    }
    await run('warm-up', target, scanner, cases, { seconds: warmup, connections });
    reports.push(
      await run(`closed loop, ${connections} connections`, target, scanner, cases, { seconds, connections }),
    );
    print(reports.at(-1)!);
    console.log(
      `\nload after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    mkdirSync(join(ROOT, 'tmp/bench'), { recursive: true });
    const file = join(
      ROOT,
      'tmp/bench',
      `accreditation-gate-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        { commit, dirty, options: { cards, rates, connections, seconds, warmup }, reports },
        null,
        2,
      ),
    );
    console.log(`JSON: ${relative(ROOT, file)}`);
  } finally {
    await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
