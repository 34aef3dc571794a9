/**
 * HTTP benchmark of the request path (issue 15): every service's hot reads with wrk, the cached ones against nginx
 * serving the same bytes in the same run.
 *
 *   npx tsx tools/bench/http.ts --spawn --seconds 8        (or: npx nx run bench:http, which builds the four apps first)
 *
 * 1. Cached reads of results-distribution (GET /v1/documents/{code}/DT_RESULT, /v1/medals, /v1/schedule and
 *    /v1/schedule?discipline=ATH): the body Podium answers is served as a file by nginx (1 worker, `etag on`) and both
 *    are run with `wrk -t1 -c<cached-connections>`, Podium first; prints req/s, mean, p50, p99, max and the ratio
 *    podium/nginx. Then conditional requests (If-None-Match with the current ETag -> 304) on Podium and on nginx.
 * 2. DB-backed reads of schedules (units, one unit, a day's sessions, events), entries (athletes, entries, quota places,
 *    Entries by Number as oc-admin; entries as an NOC official) and results-ingest (a document, its versions, the
 *    quarantine) with `wrk -t1 -c<db-connections>`, p50/p99.
 * Before measuring, every request is sent once and must answer the expected status (2xx, or 304) with a non-empty
 * body; a run in which wrk counts non-2xx/3xx answers is reported FAILED and the benchmark exits 1 (a fast 401 or 404
 * is not a result). Each measured run follows a warm-up of the same request.
 *
 * The fixture is sent through results-ingest's POST /v1/messages, as a venue system would: a DT_MEDALLISTS (OFFICIAL)
 * for every medal event of the schedule (so the medal table has rows), five versions of the DT_RESULT of an athletics
 * final (8 competitors), and one result of a unit the schedule does not know (so the quarantine has an item).
 * Without --spawn these go to the running services (the same messages on every run: a second run is answered
 * `duplicate` or `stale`).
 *
 * Prints a header (date, commit, dirty tree, Node.js, CPUs, load), then per run the figures and the CPU seconds each
 * process used during it (/proc/<pid>/stat: the service, nginx, every postgres process of the machine, and wrk itself;
 * without --spawn a service's pid is the one listening on its port), so a reader sees which was the limit; writes
 * everything as JSON to tmp/bench/http-<timestamp>.json.
 *
 * Options (defaults in brackets):
 *   --spawn                 start schedules, entries, results-ingest and results-distribution from dist/ (build them
 *                           first) with fresh databases podium_bench_*_<runId>, their own NATS_PREFIX, ports 13001..,
 *                           the demo data loaded as `npm start` does; everything removed afterwards. Otherwise the
 *                           running services at --schedules-url, --entries-url, --ingest-url, --distribution-url
 *                           [http://127.0.0.1:<port of libs/contracts/src/services.json>], tokens signed with
 *                           AUTH_DEV_SECRET or the local dev key (as `npm start` runs).
 *   --seconds [8]           measured seconds per run          --warmup [2]   warm-up seconds before each run
 *   --cached-connections [100]   --db-connections [50]        --section [all]   all | cached | db
 *   --nats [nats://127.0.0.1:4222]   --api-key [demo-venue-key]   --nginx-port [18180]
 * BENCH_LOG_LEVEL sets the spawned services' LOG_LEVEL (default warn).
 */
import { apiClient, ok } from '@podium/api-clients';
import { serviceDefinition } from '@podium/contracts';
import { makeMedallistsMessage, makeResultMessage, type MedalType } from '@podium/odf-message';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startStaticNginx, type StaticNginx } from './nginx';
import { childrenOf, cpuSeconds, pidListeningOn, pidsNamed, reapedChildrenCpuSeconds } from './proc';
import { BENCH_SERVICES, type BenchService, mintToken, spawnServices, type SpawnedServices } from './services';
import { formatWrk, runWrk, wrkAvailable, type WrkResult } from './wrk';

const ROOT = resolve(__dirname, '../..');
const EDITION = 'OG2024';
const NOCS = ['USA', 'CHN', 'JPN', 'FRA', 'GBR', 'AUS', 'KEN', 'JAM', 'ITA', 'GER', 'NED', 'BRA', 'CAN', 'ESP', 'KOR', 'NZL', 'ETH', 'SUI', 'CZE', 'POL'];
const RESULT_VERSIONS = 5;
/** The fixture's Date/Time: fixed, so the same messages are sent on every run. */
const FIXTURE_TIME = Date.parse('2024-08-02T19:00:00.000Z');

interface Options {
  spawn: boolean;
  seconds: number;
  warmup: number;
  cachedConnections: number;
  dbConnections: number;
  section: 'all' | 'cached' | 'db';
  nats: string;
  apiKey: string;
  nginxPort: number;
  urls: Record<BenchService, string>;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
  };
  const num = (name: string, fallback: number, min = 1): number => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
    return value;
  };
  const section = get('section', 'all');
  if (section !== 'all' && section !== 'cached' && section !== 'db') throw new Error('--section is all, cached or db');
  const local = (service: BenchService): string => `http://127.0.0.1:${serviceDefinition(service).port}`;
  return {
    spawn: argv.includes('--spawn'),
    seconds: num('seconds', 8),
    warmup: num('warmup', 2, 0),
    cachedConnections: num('cached-connections', 100),
    dbConnections: num('db-connections', 50),
    section,
    nats: get('nats', 'nats://127.0.0.1:4222'),
    apiKey: get('api-key', 'demo-venue-key'),
    nginxPort: num('nginx-port', 18_180),
    urls: {
      schedules: get('schedules-url', local('schedules')),
      entries: get('entries-url', local('entries')),
      'results-ingest': get('ingest-url', local('results-ingest')),
      'results-distribution': get('distribution-url', local('results-distribution')),
    },
  };
}

const log = (line: string): void => console.log(`[bench] ${line}`);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request as wrk sends it (no Accept-Encoding: the body is what wrk reads). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function git(...args: string[]): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
}

// ---------------------------------------------------------------------------------------------------------------
// The fixture: results sent through results-ingest, as a venue system sends them.

interface Fixture {
  unitRsc: string;
  unitLogicalDate: string | null;
  documentKey: string;
  medalEvents: number;
  quarantinedRsc: string;
  outcomes: Record<string, number>;
}

async function loadFixture(urls: Record<BenchService, string>, apiKey: string): Promise<Fixture> {
  const schedules = apiClient('schedules', { baseUrl: urls.schedules });
  const ingest = apiClient('results-ingest', { baseUrl: urls['results-ingest'], conflictRetries: 0 });
  const units = (query: { discipline?: string; medal: 'true'; limit: number }) =>
    ok(schedules.GET('/v1/editions/{edition}/units', { params: { path: { edition: EDITION }, query } }));
  const medalUnits = (await units({ medal: 'true', limit: 500 })).items;
  const athletics = (await units({ discipline: 'ATH', medal: 'true', limit: 100 })).items;
  const unit = athletics.find((u) => u.rsc.startsWith('ATHM100M')) ?? athletics[0];
  if (unit === undefined) throw new Error(`the schedule at ${urls.schedules} has no ATH medal unit: load the demo pack (npm start does)`);
  const outcomes: Record<string, number> = {};
  const post = async (xml: string): Promise<{ documentKey: string }> => {
    const answer = await ok(
      ingest.POST('/v1/messages', {
        params: { header: { 'X-API-KEY': apiKey } },
        headers: { 'content-type': 'application/xml' },
        body: xml,
        bodySerializer: (body) => body,
      }),
    );
    outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1;
    // A second run against the same services sends the same messages again: duplicate, or stale before the last version.
    if (!['applied', 'quarantined', 'duplicate', 'stale'].includes(answer.outcome)) throw new Error(`POST /v1/messages: ${answer.outcome} ${answer.reason}`);
    return answer;
  };
  const events = [...new Set(medalUnits.map((u) => u.eventRsc))];
  for (const [i, eventRsc] of events.entries()) {
    const medals = (['GOLD', 'SILVER', 'BRONZE'] as MedalType[]).map((medal, m) => ({ medal, noc: NOCS[(i * 7 + m * 3) % NOCS.length] as string }));
    await post(makeMedallistsMessage({ eventRsc, medals, at: new Date(FIXTURE_TIME) }).xml);
  }
  let documentKey = '';
  for (let version = 1; version <= RESULT_VERSIONS; version++) {
    const message = makeResultMessage({
      rsc: unit.rsc,
      version,
      resultStatus: version === 1 ? 'START_LIST' : 'LIVE',
      competitors: 8,
      seed: version,
      at: new Date(FIXTURE_TIME + version * 1000),
    });
    documentKey = (await post(message.xml)).documentKey;
  }
  // A unit the schedule does not have: accepted, published and listed in the quarantine.
  const quarantinedRsc = `${unit.rsc.slice(0, 26)}0009${unit.rsc.slice(30)}`;
  await post(makeResultMessage({ rsc: quarantinedRsc, at: new Date(FIXTURE_TIME) }).xml);

  // results-distribution has taken it in when it serves the last version and counts the medal events.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const doc = await send(`${urls['results-distribution']}/v1/documents/${unit.rsc}/DT_RESULT`);
    const medals = await send(`${urls['results-distribution']}/v1/medals`);
    const version = doc.status === 200 ? (JSON.parse(doc.body.toString()) as { version: number }).version : 0;
    const counted = medals.status === 200 ? (JSON.parse(medals.body.toString()) as { events: number }).events : 0;
    if (version >= RESULT_VERSIONS && counted >= events.length) break;
    if (Date.now() > deadline) {
      throw new Error(`results-distribution still serves version ${version} of ${unit.rsc} and ${counted} medal events after 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { unitRsc: unit.rsc, unitLogicalDate: unit.logicalDate, documentKey, medalEvents: events.length, quarantinedRsc, outcomes };
}

// ---------------------------------------------------------------------------------------------------------------
// Runs

type Target = BenchService | 'nginx';

interface Run {
  section: 'cached' | 'conditional' | 'db';
  name: string;
  target: Target;
  url: string;
  connections: number;
  expectStatus: number;
  bodyBytes: number;
  wrk?: WrkResult;
  /** CPU seconds used during the measured run, per process (or group). */
  cpu: Record<string, number>;
  problem?: string;
}

class Watcher {
  private readonly groups = new Map<string, () => number[]>();

  watch(name: string, pids: () => number[]): void {
    this.groups.set(name, pids);
  }

  unwatch(name: string): void {
    this.groups.delete(name);
  }

  /** CPU seconds so far per process of each group, and of the children reaped by this process (group `wrk`, pid 0). */
  snapshot(): Map<string, Map<number, number>> {
    const out = new Map<string, Map<number, number>>();
    for (const [name, pids] of this.groups) out.set(name, new Map(pids().map((pid) => [pid, cpuSeconds(pid)])));
    out.set('wrk', new Map([[0, reapedChildrenCpuSeconds()]]));
    return out;
  }

  /**
   * CPU seconds used between two snapshots, per group: a process started in between counts whole, one gone in between
   * is not counted (postgres backends of other clients come and go).
   */
  static used(before: Map<string, Map<number, number>>, after: Map<string, Map<number, number>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pids] of after) {
      let sum = 0;
      for (const [pid, seconds] of pids) sum += Math.max(0, seconds - (before.get(name)?.get(pid) ?? 0));
      out[name] = round(sum, 2);
    }
    return out;
  }
}

class Bench {
  readonly runs: Run[] = [];
  readonly problems: string[] = [];

  constructor(
    private readonly options: Options,
    private readonly watcher: Watcher,
  ) {}

  /**
   * Sends the request once (it must answer `expectStatus` with a body for a 200), warms up, then measures it with wrk.
   * Returns the run; a failed check or non-2xx/3xx answers during the run are recorded as a problem.
   */
  async measure(spec: {
    section: Run['section'];
    name: string;
    target: Target;
    url: string;
    connections: number;
    headers?: Record<string, string>;
    expectStatus?: number;
    check?: (body: Buffer) => string | undefined;
  }): Promise<Run> {
    const expectStatus = spec.expectStatus ?? 200;
    const run: Run = { section: spec.section, name: spec.name, target: spec.target, url: spec.url, connections: spec.connections, expectStatus, bodyBytes: 0, cpu: {} };
    this.runs.push(run);
    const fail = (problem: string): Run => {
      run.problem = problem;
      this.problems.push(`${spec.name} (${spec.target}): ${problem}`);
      console.log(`    ${spec.target.padEnd(20)} FAILED: ${problem}`);
      return run;
    };
    let answer: Answer;
    try {
      answer = await send(spec.url, { headers: spec.headers });
    } catch (error) {
      return fail(`GET ${spec.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    run.bodyBytes = answer.body.length;
    if (answer.status !== expectStatus) return fail(`GET ${spec.url} answered ${answer.status}, expected ${expectStatus}: ${answer.body.toString().slice(0, 200)}`);
    const wrong = expectStatus === 200 ? (answer.body.length === 0 ? 'an empty body' : spec.check?.(answer.body)) : undefined;
    if (wrong !== undefined) return fail(`GET ${spec.url}: ${wrong}`);

    const wrkOptions = { url: spec.url, connections: spec.connections, headers: spec.headers };
    if (this.options.warmup > 0) runWrk({ ...wrkOptions, seconds: this.options.warmup });
    const before = this.watcher.snapshot();
    const result = runWrk({ ...wrkOptions, seconds: this.options.seconds });
    const after = this.watcher.snapshot();
    run.wrk = result;
    run.cpu = Watcher.used(before, after);
    const shown = ['wrk', spec.target === 'nginx' ? 'nginx' : spec.target, ...(spec.section === 'db' ? ['postgres'] : [])];
    const cpu = shown
      .filter((name) => run.cpu[name] !== undefined)
      .map((name) => `${name} ${(run.cpu[name] as number).toFixed(1)} s (${Math.round(((run.cpu[name] as number) / result.seconds) * 100)}%)`)
      .join(', ');
    const failedAnswers = result.errors.status;
    console.log(`    ${spec.target.padEnd(20)} ${formatWrk(result)}${failedAnswers > 0 ? '  FAILED' : ''}`);
    console.log(`    ${''.padEnd(20)} ${Math.round(result.bytesPerRequest).toLocaleString('en-US')} bytes/answer with headers; CPU used (% of one core): ${cpu}`);
    if (failedAnswers > 0) fail(`wrk counted ${failedAnswers} answers with a status >= 400 of ${result.requests}`);
    else if (result.requests === 0) fail('no answer in the whole run');
    return run;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function nonEmptyList(body: Buffer): string | undefined {
  const value = JSON.parse(body.toString()) as unknown;
  const list = Array.isArray(value) ? value : (value as { items?: unknown[] }).items;
  if (!Array.isArray(list)) return 'expected a list (or { items })';
  return list.length === 0 ? 'an empty list (is the demo data loaded?)' : undefined;
}

async function cachedSection(bench: Bench, options: Options, fixture: Fixture, watcher: Watcher): Promise<{ name: string; podium?: Run; nginx?: Run }[]> {
  const distribution = options.urls['results-distribution'];
  const c = options.cachedConnections;
  const reads = [
    { name: `GET /v1/documents/${fixture.unitRsc}/DT_RESULT`, file: 'document.json', path: `/v1/documents/${fixture.unitRsc}/DT_RESULT` },
    { name: 'GET /v1/medals', file: 'medals.json', path: '/v1/medals' },
    { name: 'GET /v1/schedule', file: 'schedule.json', path: '/v1/schedule' },
    { name: 'GET /v1/schedule?discipline=ATH', file: 'schedule-ath.json', path: '/v1/schedule?discipline=ATH' },
  ];
  const bodies: Record<string, Buffer> = {};
  const etags: Record<string, string> = {};
  for (const read of reads) {
    const answer = await send(`${distribution}${read.path}`);
    if (answer.status !== 200) throw new Error(`GET ${distribution}${read.path} answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
    bodies[read.file] = answer.body;
    etags[read.file] = String(answer.headers['etag'] ?? '');
  }
  const nginx: StaticNginx = await startStaticNginx(bodies, options.nginxPort);
  const rows: { name: string; podium?: Run; nginx?: Run }[] = [];
  try {
    watcher.watch('nginx', () => [nginx.pid, ...childrenOf(nginx.pid)]);
    console.log('');
    console.log(`== Cached reads of results-distribution vs nginx (1 worker, etag on) serving the same bytes: wrk -t1 -c${c} -d${options.seconds}s`);
    for (const read of reads) {
      const served = await send(nginx.urlOf(read.file));
      if (!served.body.equals(bodies[read.file] as Buffer)) throw new Error(`nginx does not serve the bytes of ${read.name}`);
      console.log(`  ${read.name} (${(bodies[read.file] as Buffer).length.toLocaleString('en-US')} bytes of JSON)`);
      // The body must not change between the copy nginx serves and the run (nothing is sent meanwhile).
      const same = (body: Buffer): string | undefined => (body.equals(bodies[read.file] as Buffer) ? undefined : 'the body changed since nginx got its copy');
      const podium = await bench.measure({ section: 'cached', name: read.name, target: 'results-distribution', url: `${distribution}${read.path}`, connections: c, check: same });
      const floor = await bench.measure({ section: 'cached', name: read.name, target: 'nginx', url: nginx.urlOf(read.file), connections: c });
      printRatio(podium, floor);
      rows.push({ name: read.name, podium, nginx: floor });
    }
    const document = reads[0] as (typeof reads)[number];
    const nginxEtag = String((await send(nginx.urlOf(document.file))).headers['etag'] ?? '');
    const name = `${document.name} If-None-Match -> 304`;
    console.log(`  ${name}`);
    const podium = await bench.measure({
      section: 'conditional',
      name,
      target: 'results-distribution',
      url: `${distribution}${document.path}`,
      connections: c,
      headers: { 'If-None-Match': etags[document.file] as string },
      expectStatus: 304,
    });
    const floor = await bench.measure({
      section: 'conditional',
      name,
      target: 'nginx',
      url: nginx.urlOf(document.file),
      connections: c,
      headers: { 'If-None-Match': nginxEtag },
      expectStatus: 304,
    });
    printRatio(podium, floor);
    rows.push({ name, podium, nginx: floor });
  } finally {
    watcher.unwatch('nginx');
    await nginx.stop();
  }
  return rows;
}

function ratioOf(podium: Run | undefined, floor: Run | undefined): number | undefined {
  if (!podium?.wrk || !floor?.wrk || podium.problem || floor.problem || floor.wrk.requestsPerSecond === 0) return undefined;
  return podium.wrk.requestsPerSecond / floor.wrk.requestsPerSecond;
}

function printRatio(podium: Run, floor: Run): void {
  const ratio = ratioOf(podium, floor);
  console.log(`    ${'ratio podium/nginx'.padEnd(20)} ${ratio === undefined ? 'n/a' : `${ratio.toFixed(3)} of nginx's req/s`}`);
}

async function dbSection(bench: Bench, options: Options, fixture: Fixture, tokens: { ocAdmin: string; nocOfficial: string }): Promise<Run[]> {
  const c = options.dbConnections;
  const s = `${options.urls.schedules}/v1/editions/${EDITION}`;
  const e = `${options.urls.entries}/v1/editions/${EDITION}`;
  const i = `${options.urls['results-ingest']}/v1`;
  const admin = { authorization: `Bearer ${tokens.ocAdmin}` };
  const noc = { authorization: `Bearer ${tokens.nocOfficial}` };
  const key = encodeURIComponent(fixture.documentKey);
  const one = (body: Buffer): string | undefined => ((JSON.parse(body.toString()) as { rsc?: string }).rsc === fixture.unitRsc ? undefined : `not unit ${fixture.unitRsc}`);
  const reads: { service: BenchService; name: string; url: string; headers?: Record<string, string>; check?: (body: Buffer) => string | undefined }[] = [
    { service: 'schedules', name: `GET /v1/editions/${EDITION}/units?discipline=ATH&medal=true&limit=5`, url: `${s}/units?discipline=ATH&medal=true&limit=5`, check: nonEmptyList },
    { service: 'schedules', name: `GET /v1/editions/${EDITION}/units/{rsc}`, url: `${s}/units/${fixture.unitRsc}`, check: one },
    ...(fixture.unitLogicalDate === null
      ? []
      : [{ service: 'schedules' as const, name: `GET /v1/editions/${EDITION}/sessions?logicalDate=${fixture.unitLogicalDate}`, url: `${s}/sessions?logicalDate=${fixture.unitLogicalDate}`, check: nonEmptyList }]),
    { service: 'schedules', name: `GET /v1/editions/${EDITION}/events?discipline=ATH`, url: `${s}/events?discipline=ATH`, check: nonEmptyList },
    { service: 'entries', name: `GET /v1/editions/${EDITION}/athletes (oc-admin)`, url: `${e}/athletes`, headers: admin, check: nonEmptyList },
    { service: 'entries', name: `GET /v1/editions/${EDITION}/entries (oc-admin)`, url: `${e}/entries`, headers: admin, check: nonEmptyList },
    { service: 'entries', name: `GET /v1/editions/${EDITION}/entries (noc-official FRA)`, url: `${e}/entries`, headers: noc, check: nonEmptyList },
    { service: 'entries', name: `GET /v1/editions/${EDITION}/quota-places (oc-admin)`, url: `${e}/quota-places`, headers: admin, check: nonEmptyList },
    { service: 'entries', name: `GET /v1/editions/${EDITION}/entry-numbers (oc-admin)`, url: `${e}/entry-numbers`, headers: admin, check: nonEmptyList },
    { service: 'results-ingest', name: 'GET /v1/documents/{key} (oc-admin)', url: `${i}/documents/${key}`, headers: admin },
    { service: 'results-ingest', name: 'GET /v1/documents/{key}/versions (oc-admin)', url: `${i}/documents/${key}/versions`, headers: admin, check: nonEmptyList },
    { service: 'results-ingest', name: 'GET /v1/quarantine (oc-admin)', url: `${i}/quarantine`, headers: admin, check: nonEmptyList },
  ];
  console.log('');
  console.log(`== DB-backed reads: wrk -t1 -c${c} -d${options.seconds}s`);
  const runs: Run[] = [];
  for (const read of reads) {
    console.log(`  ${read.name} on ${read.service}`);
    runs.push(await bench.measure({ section: 'db', name: read.name, target: read.service, url: read.url, connections: c, headers: read.headers, check: read.check }));
  }
  return runs;
}

function summaryLine(run: Run | undefined): string {
  if (!run?.wrk || run.problem) return 'FAILED';
  const w = run.wrk;
  const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));
  return `${Math.round(w.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${ms(w.latency.p50)} ms, p99 ${ms(w.latency.p99)} ms`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!wrkAvailable()) throw new Error('wrk not found: apt-get install wrk');
  const runId = randomBytes(3).toString('hex');
  const started = new Date();
  const dirty = git('status', '--porcelain').split('\n').filter((l) => l !== '');
  const meta = {
    date: started.toISOString(),
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: dirty.length > 0,
    dirtyFiles: dirty.length,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg().map((l) => round(l, 2)),
    mode: options.spawn ? 'spawn' : 'running services',
    logLevel: options.spawn ? (process.env['BENCH_LOG_LEVEL'] ?? 'warn') : 'as the running services were started',
    seconds: options.seconds,
    warmup: options.warmup,
    cachedConnections: options.cachedConnections,
    dbConnections: options.dbConnections,
    wrk: spawnSync('wrk', ['--version'], { encoding: 'utf8' }).stdout.split(' Copyright')[0]?.trim() ?? '',
  };
  console.log(`=== Podium HTTP benchmark, run ${runId} ===`);
  console.log(`date ${meta.date}, commit ${meta.commit}${meta.dirty ? ` + uncommitted changes (${meta.dirtyFiles} files)` : ' (clean tree)'}`);
  console.log(`node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}), load average ${meta.loadAverage.join(' ')}, ${meta.wrk}`);
  console.log(`services: ${meta.mode}, log level ${meta.logLevel}; each run ${options.seconds} s after a ${options.warmup} s warm-up`);

  let services: SpawnedServices<BenchService> | undefined;
  let cachedFailed: unknown;
  const watcher = new Watcher();
  const bench = new Bench(options, watcher);
  let cached: { name: string; podium?: Run; nginx?: Run }[] = [];
  let db: Run[] = [];
  let fixture: Fixture | undefined;
  try {
    if (options.spawn) {
      services = await spawnServices({ services: BENCH_SERVICES, natsUrl: options.nats, runId, log, demo: true });
      options.urls = services.urls;
    }
    for (const service of BENCH_SERVICES) {
      const ready = await send(`${options.urls[service]}/health/ready`).catch((error: unknown) => ({ status: 0, body: Buffer.from(String(error)) }));
      if (ready.status !== 200) throw new Error(`${service} at ${options.urls[service]} is not ready (${ready.status} ${ready.body.toString().slice(0, 200)}): start it (npm start) or use --spawn`);
      const pid = services?.pids[service] ?? pidListeningOn(Number(new URL(options.urls[service]).port));
      if (pid === undefined) log(`no pid found listening for ${service}: its CPU time is not reported`);
      else watcher.watch(service, () => [pid]);
    }
    watcher.watch('postgres', () => pidsNamed('postgres'));
    log(`urls: ${BENCH_SERVICES.map((s) => `${s} ${options.urls[s]}`).join(', ')}`);

    const secret = services?.authSecret;
    const tokens = {
      ocAdmin: mintToken({ sub: 'bench-oc-admin', roles: ['oc-admin'], ...(secret ? { secret } : {}) }),
      nocOfficial: mintToken({ sub: 'bench-noc-official', roles: ['noc-official'], noc: 'FRA', ...(secret ? { secret } : {}) }),
    };
    fixture = await loadFixture(options.urls, options.apiKey);
    log(
      `fixture: ${fixture.medalEvents} DT_MEDALLISTS, ${RESULT_VERSIONS} versions of DT_RESULT ${fixture.unitRsc}, 1 quarantined result ` +
        `(${Object.entries(fixture.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    );
    if (options.section !== 'db') {
      try {
        cached = await cachedSection(bench, options, fixture, watcher);
      } catch (error) {
        cachedFailed = error;
        bench.problems.push(`cached reads: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (options.section !== 'cached') db = await dbSection(bench, options, fixture, tokens);
  } finally {
    await services?.stop();
  }
  if (cachedFailed) console.error(cachedFailed);

  console.log('');
  console.log(`=== Summary (commit ${meta.commit}${meta.dirty ? ', dirty tree' : ''}, ${meta.date.slice(0, 10)}, ${meta.cpus} CPUs, ${options.seconds} s per run) ===`);
  if (cached.length > 0) {
    console.log(`| cached read, -c${options.cachedConnections} | Podium | nginx, same bytes | ratio |`);
    console.log('|---|---|---|---|');
    for (const row of cached) {
      const ratio = ratioOf(row.podium, row.nginx);
      console.log(`| \`${row.name}\` | ${summaryLine(row.podium)} | ${summaryLine(row.nginx)} | ${ratio === undefined ? '-' : ratio.toFixed(3)} |`);
    }
  }
  if (db.length > 0) {
    console.log(`| DB-backed read, -c${options.dbConnections} | service | Podium | service CPU | postgres CPU |`);
    console.log('|---|---|---|---|---|');
    for (const run of db) {
      const share = (name: string): string => (run.wrk && run.cpu[name] !== undefined ? `${Math.round(((run.cpu[name] as number) / run.wrk.seconds) * 100)}%` : '-');
      console.log(`| \`${run.name}\` | ${run.target} | ${summaryLine(run)} | ${share(run.target)} | ${share('postgres')} |`);
    }
  }

  const dir = join(ROOT, 'tmp/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `http-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const ratios = cached.map((row) => ({ name: row.name, ratio: ratioOf(row.podium, row.nginx) ?? null }));
  writeFileSync(file, `${JSON.stringify({ meta: { ...meta, runId, urls: options.urls }, fixture, runs: bench.runs, ratios, problems: bench.problems }, null, 2)}\n`);
  console.log(`raw results: ${file.slice(ROOT.length + 1)}`);
  if (bench.problems.length > 0) {
    console.error(`\n${bench.problems.length} problem(s): the figures above are not all results`);
    for (const problem of bench.problems) console.error(`  - ${problem}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
