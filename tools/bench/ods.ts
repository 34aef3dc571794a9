/**
 * ODS benchmark: venue results in, commentators (CIS WebSocket) and web clients (SSE) out, all on loopback.
 *
 *   npx tsx tools/bench/ods.ts --spawn --rate 200 --cis 1000 --sse 5000 --seconds 30
 *
 * Sends realistic ODF DT_RESULT messages (XML, @podium/odf-message's synthetic generator, ~5 KB with 8 competitors)
 * to results-ingest's POST /v1/messages at a fixed rate while N CIS clients (each subscribed to one discipline) and
 * M SSE clients (each following one unit) are connected to results-distribution; prints the latency from the moment
 * the message was due to be sent (by the run's fixed rate, also when it waited behind its unit's previous version) to
 * the moment a client read it (p50/p95/p99/max per channel), the errors and the lost
 * messages (OFFICIAL versions or final versions a client never got), where the CPU went, then the floor: a raw NATS
 * publish -> subscribe of the same messages at the same rate on the same machine.
 *
 * Options (defaults in brackets):
 *   --rate [200]          results messages per second      --seconds [30]   measured time (after a 3 s warm-up)
 *   --cis [1000]          CIS WebSocket clients             --sse [5000]     SSE clients
 *   --units [40]          units sending results (5 disciplines)   --competitors [8]   competitors per result
 *   --official-every [10] every Nth version of a unit is OFFICIAL, the others LIVE
 *   --workers [2]         client processes                  --format [xml]   xml | json
 *   --mode [ingest]       ingest: POST to results-ingest; direct: publish straight to the RESULTS stream (when
 *                         results-ingest is not available; the latency then starts at the JetStream publish)
 *   --spawn               start results-ingest and results-distribution from dist/ with fresh databases and a fresh
 *                         NATS prefix (build them first), on a nats-server of the run's own (the nats-server binary
 *                         on a free loopback port, JetStream in a temporary directory, removed afterwards; --nats only
 *                         when there is no binary); otherwise use --ingest-url [http://127.0.0.1:3006],
 *                         --distribution-url [http://127.0.0.1:3007] and --prefix [''] (their NATS_PREFIX)
 *   --nats [nats://127.0.0.1:4222]   --api-key [demo-venue-key]   --floor-seconds [10]
 *   --ingest-replicas [1], --distribution-replicas [1]   with --spawn, instances of each service side by side (same
 *                         database and NATS prefix): the sender spreads its requests over the ingest replicas, the
 *                         clients are spread over the distribution replicas (and know them all, to reconnect);
 *                         without --spawn, --ingest-url and --distribution-url take comma-separated lists instead
 *   --kill-distribution-at <s>   SIGKILL one results-distribution replica (needs --spawn and 2+ replicas) s seconds
 *                         into the measured window: its clients reconnect to another and resume by sequence (CIS
 *                         `after`, SSE Last-Event-ID); the report counts reconnects, resets and OFFICIAL versions lost
 *   --overload-seconds [0], --overload-rate [10 x --rate]   after the measured window, publish straight to the RESULTS
 *                         stream at that rate for that long (more than results-distribution can fan out): the report
 *                         gives the clients' lag of those versions (Date/Time header = when it was published -> read) and
 *                         how fast results-distribution took the stream in meanwhile; lost versions are counted as ever
 *   --socket-queues       sample the kernel's TCP queues between results-distribution and the clients every second
 *                         (`ss`): bytes fanned out but not yet taken by a client's kernel (server Send-Q) or not yet
 *                         read by the client process (client Recv-Q), and the time they stand for at the clients' read
 *                         rate: where an update waits after the fan-out
 *   --json <file>         also write the summary as JSON (command line, git commit, options, rates, per channel
 *                         latency and counts, lost/out-of-order/conflated versions, lag, CPU, floor) for a script
 *
 * Out of order: an update whose version is not above the last version of its unit that client saw. CPU per delivery:
 * results-distribution's CPU in the measured window / the deliveries it wrote (its counter
 * results_distribution_deliveries_total when it has one, else the updates the clients read) in that window; CPU per
 * ingested message: results-ingest's CPU / the messages it accepted (answers received) in that window. CPU is sampled
 * every 500 ms over the measured window only: with --spawn, nats-server is the run's own and postgres is the backends
 * of the run's databases (pg_stat_activity); without it, both are the whole servers (other work on them counts too).
 */

import { envelopeFor, resultsDocumentPublished, resultsEventId, resultsSubjectOf, syntheticResultsData } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import type { ClientPlan, Command, Event, Manifest } from './clients';
import { Histogram } from './histogram';
import { SocketQueueSampler, type QueueSummary } from './socket-queues';
import { Client } from 'pg';
import { startNats, natsServerBinary, type RunNats } from './nats';
import { CpuWindow, gitInfo, machineBusySeconds, pidsNamed } from './proc';
import { spawnServices, type SpawnedServices } from './services';

const DISCIPLINES = ['ATH', 'SWM', 'CSP', 'ROW', 'CTR'];
const WARMUP_MS = 3_000;
const DRAIN_MS = 3_000;
/** The instant the overload phase's messages are built with, replaced when each is published. */
const PLACEHOLDER = '2000-01-01T00:00:00.000Z';
const PLACEHOLDER_ODF_DATE = '"date":"2000-01-01"';
const PLACEHOLDER_ODF_TIME = '"time":"000000000"';

interface Options {
  rate: number;
  seconds: number;
  cis: number;
  sse: number;
  units: number;
  competitors: number;
  officialEvery: number;
  workers: number;
  format: 'xml' | 'json';
  mode: 'ingest' | 'direct';
  spawn: boolean;
  ingestUrl: string;
  distributionUrl: string;
  prefix: string;
  nats: string;
  apiKey: string;
  floorSeconds: number;
  json: string | undefined;
  ingestReplicas: number;
  distributionReplicas: number;
  killDistributionAt: number | undefined;
  overloadSeconds: number;
  overloadRate: number;
  socketQueues: boolean;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
  };
  const num = (name: string, fallback: number): number => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0`);
    return value;
  };
  const mode = get('mode', 'ingest');
  const format = get('format', 'xml');
  if (mode !== 'ingest' && mode !== 'direct') throw new Error('--mode is ingest or direct');
  if (format !== 'xml' && format !== 'json') throw new Error('--format is xml or json');
  if (argv.includes('--kill-distribution-at')) {
    if (!argv.includes('--spawn')) throw new Error('--kill-distribution-at needs --spawn (the benchmark kills a replica it started)');
    if (num('distribution-replicas', 1) < 2) throw new Error('--kill-distribution-at needs --distribution-replicas 2 or more (its clients move to another)');
    if (num('kill-distribution-at', 0) >= num('seconds', 30)) throw new Error('--kill-distribution-at must fall within --seconds');
  }
  return {
    rate: num('rate', 200),
    seconds: num('seconds', 30),
    cis: num('cis', 1000),
    sse: num('sse', 5000),
    units: Math.max(1, num('units', 40)),
    competitors: num('competitors', 8),
    officialEvery: Math.max(1, num('official-every', 10)),
    workers: Math.max(1, num('workers', 2)),
    format,
    mode,
    spawn: argv.includes('--spawn'),
    ingestUrl: get('ingest-url', 'http://127.0.0.1:3006'),
    distributionUrl: get('distribution-url', 'http://127.0.0.1:3007'),
    prefix: get('prefix', ''),
    nats: get('nats', 'nats://127.0.0.1:4222'),
    apiKey: get('api-key', 'demo-venue-key'),
    floorSeconds: num('floor-seconds', 10),
    json: argv.includes('--json') ? get('json', '') || undefined : undefined,
    ingestReplicas: Math.max(1, Math.floor(num('ingest-replicas', 1))),
    distributionReplicas: Math.max(1, Math.floor(num('distribution-replicas', 1))),
    killDistributionAt: argv.includes('--kill-distribution-at') ? num('kill-distribution-at', 0) : undefined,
    overloadSeconds: num('overload-seconds', 0),
    socketQueues: argv.includes('--socket-queues'),
    overloadRate: num('overload-rate', 10 * num('rate', 200)),
  };
}

const log = (line: string): void => console.log(`[bench] ${line}`);

/** Unit RSCs: `<DIS>M100M…FNL-0001NN--`, spread over the disciplines. */
function unitCodes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const discipline = DISCIPLINES[i % DISCIPLINES.length] as string;
    return `${discipline}M100M----${'-'.repeat(10)}FNL-0001${String(i).padStart(2, '0').slice(-2)}--`;
  });
}

class Sender {
  readonly ack = new Histogram();
  readonly errors = new Map<string, number>();
  sent = 0;
  accepted = 0;
  /** Accepted answers received within the measured window (set by `window`). */
  acceptedInWindow = 0;
  window = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  inFlight = 0;
  lastAnswer = Date.now();
  /** The overload phase's versions (`publishPrepared`), sent and acknowledged. */
  overloadSent = 0;
  overloadAccepted = 0;
  /** Highest RESULTS stream sequence acknowledged. */
  maxSeq = 0;
  readonly manifest: Manifest = { units: {} };
  private readonly versions = new Map<string, number>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly options: Options,
    private readonly units: string[],
    private readonly competition: string,
    private readonly ingestUrls: string[],
    private readonly nc: NatsConnection,
    private readonly prefix: string,
  ) {}

  private error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  private readonly busy = new Set<string>();
  /** Per unit, the due times (epoch ms) of the versions waiting for the previous one to be answered, oldest first. */
  private readonly waiting = new Map<string, number[]>();
  /** Sends that waited for the previous version of their unit to be answered. */
  queued = 0;

  /**
   * Sends the next version of unit `index % units` now, or as soon as the previous version of that unit is answered:
   * like a venue system, versions of one document are sent in order (concurrent versions of one document would reach
   * ingest out of order and be refused as stale). Other units are not held up. `dueAt` (epoch ms) is when the
   * schedule of the run wanted it sent: every latency of the message (the ODF Date/Time header the clients measure
   * from, the HTTP answer) counts from then, including the time it waited behind its unit's previous version (no
   * coordinated omission).
   */
  send(index: number, measuredFrom: number, dueAt: number): void {
    const rsc = this.units[index % this.units.length] as string;
    if (this.busy.has(rsc)) {
      const queue = this.waiting.get(rsc) ?? [];
      queue.push(dueAt);
      this.waiting.set(rsc, queue);
      this.queued++;
      return;
    }
    this.sendNow(rsc, measuredFrom, dueAt);
  }

  private sendNow(rsc: string, measuredFrom: number, dueAt: number): void {
    this.busy.add(rsc);
    const version = (this.versions.get(rsc) ?? 0) + 1;
    this.versions.set(rsc, version);
    const resultStatus = version % this.options.officialEvery === 0 ? 'OFFICIAL' : 'LIVE';
    const at = new Date(dueAt);
    const message = makeResultMessage({
      rsc,
      version,
      resultStatus,
      competitors: this.options.competitors,
      seed: version,
      at,
      competitionCode: this.competition,
    });
    // The due time on the monotonic clock the HTTP answer is timed with.
    const started = performance.now() - (Date.now() - dueAt);
    this.sent++;
    this.inFlight++;
    const done = (ok: boolean, kind?: string, seq = 0): void => {
      this.maxSeq = Math.max(this.maxSeq, seq);
      this.inFlight--;
      this.lastAnswer = Date.now();
      this.busy.delete(rsc);
      const nextDue = this.waiting.get(rsc)?.shift();
      if (nextDue !== undefined) {
        this.inFlight++;
        setImmediate(() => {
          this.inFlight--;
          this.sendNow(rsc, measuredFrom, nextDue);
        });
      }
      if (!ok) return this.error(kind ?? 'error');
      this.accepted++;
      if (this.lastAnswer >= this.window.from && this.lastAnswer < this.window.to) this.acceptedInWindow++;
      if (at.getTime() >= measuredFrom && at.getTime() < this.window.to) this.ack.record(performance.now() - started);
      const unit = (this.manifest.units[rsc] ??= { last: 0, officials: [] });
      unit.last = Math.max(unit.last, version);
      if (resultStatus === 'OFFICIAL') unit.officials.push(version);
    };
    if (this.options.mode === 'direct') {
      const data = syntheticResultsData(message.json);
      const id = resultsEventId(data.documentKey, data.version);
      const envelope = envelopeFor(resultsDocumentPublished.subject, data as never, { id });
      this.nc
        .jetstream()
        .publish(`${this.prefix}${resultsSubjectOf(data)}`, Buffer.from(JSON.stringify(envelope)), { msgID: id })
        .then(
          (ack) => done(true, undefined, ack.seq),
          (err: unknown) => done(false, `publish: ${err instanceof Error ? err.message : String(err)}`),
        );
      return;
    }
    const body = this.options.format === 'xml' ? message.xml : JSON.stringify(message.json);
    // Spread over the ingest replicas (a unit's versions still go one after the other).
    const req = request(
      `${this.ingestUrls[this.sent % this.ingestUrls.length]}/v1/messages`,
      {
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': this.options.format === 'xml' ? 'application/xml' : 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-API-KEY': this.options.apiKey,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return done(false, `HTTP ${res.statusCode}`);
          const outcome = /"outcome":"(\w+)"/.exec(text)?.[1];
          const seq = Number(/"streamSeq":(\d+)/.exec(text)?.[1] ?? 0);
          const ok = outcome === 'applied' || outcome === 'quarantined';
          done(ok, ok ? undefined : `outcome ${outcome}`, seq);
        });
      },
    );
    req.on('error', (err) => done(false, `request: ${err.message}`));
    req.end(body);
  }

  /** The overload phase's messages, built before it starts (building them is slower than publishing them). */
  private prepared: { rsc: string; version: number; official: boolean; subject: string; id: string; json: string }[] = [];

  /**
   * Builds `count` next versions (round robin over the units) to publish straight to the stream, with a placeholder
   * instant that `publishPrepared` replaces by the moment of publishing (ODF Date/Time header, envelope time, receivedAt).
   */
  prepareOverload(count: number): void {
    const placeholder = new Date(PLACEHOLDER);
    for (let i = 0; i < count; i++) {
      const rsc = this.units[i % this.units.length] as string;
      const version = (this.versions.get(rsc) ?? 0) + 1;
      this.versions.set(rsc, version);
      const resultStatus = version % this.options.officialEvery === 0 ? 'OFFICIAL' : 'LIVE';
      const message = makeResultMessage({ rsc, version, resultStatus, competitors: this.options.competitors, seed: version, at: placeholder, competitionCode: this.competition });
      const data = syntheticResultsData(message.json);
      const id = resultsEventId(data.documentKey, data.version);
      const envelope = envelopeFor(resultsDocumentPublished.subject, data as never, { id });
      const json = JSON.stringify(envelope).replace(/"(time|receivedAt)":"\d{4}-\d{2}-\d{2}T[0-9:.]+Z"/g, `"$1":"${PLACEHOLDER}"`);
      this.prepared.push({ rsc, version, official: resultStatus === 'OFFICIAL', subject: `${this.prefix}${resultsSubjectOf(data)}`, id, json });
    }
  }

  /** Publishes the next prepared message, stamped now; false when none is left. */
  publishPrepared(): boolean {
    const next = this.prepared.shift();
    if (!next) return false;
    const iso = new Date().toISOString();
    const odfTime = iso.slice(11, 23).replace(/[:.]/g, '');
    const json = next.json.replaceAll(PLACEHOLDER, iso).replace(PLACEHOLDER_ODF_DATE, `"date":"${iso.slice(0, 10)}"`).replace(PLACEHOLDER_ODF_TIME, `"time":"${odfTime}"`);
    this.sent++;
    this.overloadSent++;
    this.inFlight++;
    const done = (ok: boolean, kind: string | undefined, seq: number): void => {
      this.maxSeq = Math.max(this.maxSeq, seq);
      this.inFlight--;
      this.lastAnswer = Date.now();
      if (!ok) return this.error(kind ?? 'error');
      this.accepted++;
      this.overloadAccepted++;
      const unit = (this.manifest.units[next.rsc] ??= { last: 0, officials: [] });
      unit.last = Math.max(unit.last, next.version);
      if (next.official) unit.officials.push(next.version);
    };
    this.nc
      .jetstream()
      .publish(next.subject, Buffer.from(json), { msgID: next.id })
      .then(
        (ack) => done(true, undefined, ack.seq),
        (err: unknown) => done(false, `publish: ${err instanceof Error ? err.message : String(err)}`, 0),
      );
    return true;
  }

  close(): void {
    this.agent.destroy();
  }
}

function forkWorkers(count: number): { child: ChildProcess; events: Event[] }[] {
  return Array.from({ length: count }, () => {
    const child = fork(join(__dirname, 'clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const events: Event[] = [];
    child.on('message', (event: Event) => events.push(event));
    return { child, events };
  });
}

async function waitEvent<E extends Event['evt']>(worker: { events: Event[] }, evt: E, timeoutMs: number): Promise<Extract<Event, { evt: E }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = worker.events.find((e) => e.evt === evt);
    if (found) return found as Extract<Event, { evt: E }>;
    if (Date.now() > deadline) throw new Error(`no '${evt}' from a client process within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every client process's status now (a fresh answer from each): clients down, updates and bytes read so far. */
async function statusAll(workers: { child: ChildProcess; events: Event[] }[]): Promise<{ down: number; updates: number; bytesRead: number }> {
  workers.forEach((w) => w.child.send({ cmd: 'status' } satisfies Command));
  const answers = await Promise.all(
    workers.map(async (w) => {
      const answer = await waitEvent(w, 'status', 30_000);
      w.events.splice(w.events.indexOf(answer), 1);
      return answer;
    }),
  );
  return answers.reduce((t, a) => ({ down: t.down + a.down, updates: t.updates + a.updates, bytesRead: t.bytesRead + a.bytesRead }), { down: 0, updates: 0, bytesRead: 0 });
}

/**
 * After a kill: a fresh SSE connection to a surviving replica every 250 ms for `seconds`, timed from the request to the
 * first byte of the stream (its `hello`). Tells how soon the replica answers a newcomer while it takes over the killed
 * one's clients, apart from how soon the load generator's own clients read their answers.
 */
function probeAnswers(url: string, seconds: number): Promise<Histogram> {
  const histogram = new Histogram();
  const until = Date.now() + seconds * 1000;
  const one = (): Promise<void> =>
    new Promise((done) => {
      const started = Date.now();
      const req = request(`${url}/v1/stream?all=true`, { agent: false, headers: { Accept: 'text/event-stream' }, timeout: 60_000 }, (res) => {
        res.once('data', () => {
          histogram.record(Date.now() - started);
          res.destroy();
          done();
        });
        res.once('error', () => done());
      });
      req.on('error', () => done());
      req.on('timeout', () => req.destroy());
      req.end();
    });
  return (async () => {
    const pending: Promise<void>[] = [];
    while (Date.now() < until) {
      pending.push(one());
      await new Promise((r) => setTimeout(r, 250));
    }
    await Promise.all(pending);
    return histogram;
  })();
}

/** After a kill: how long a client of the killed replica may take to be served again before it counts as still down. */
const RESUME_WAIT_MS = 120_000;

/** Raw NATS publish -> subscribe (core, then JetStream) of `payload`-sized messages at `rate`, as the floor. */
async function floor(nc: NatsConnection, rate: number, seconds: number, payloadBytes: number, prefix: string): Promise<{ core: Histogram; jetstream: Histogram }> {
  const core = new Histogram();
  const subject = `${prefix}bench.floor.${randomBytes(4).toString('hex')}`;
  const sub = nc.subscribe(subject);
  const pad = Buffer.alloc(payloadBytes, 0x61);
  void (async () => {
    for await (const m of sub) core.record(performance.timeOrigin + performance.now() - Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).readDoubleLE(0));
  })();
  const run = async (publish: (payload: Buffer) => void): Promise<void> => {
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      while (sent < due) {
        const payload = Buffer.from(pad);
        payload.writeDoubleLE(performance.timeOrigin + performance.now(), 0);
        publish(payload);
        sent++;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 500));
  };
  await run((payload) => nc.publish(subject, payload));
  sub.unsubscribe();

  const jetstream = new Histogram();
  const jsm = await nc.jetstreamManager();
  const stream = `${prefix.replace(/\./g, '_')}BENCH_FLOOR_${randomBytes(3).toString('hex')}`;
  const jsSubject = `${prefix}bench.floorjs.${randomBytes(4).toString('hex')}`;
  await jsm.streams.add({ name: stream, subjects: [jsSubject] });
  try {
    const consumer = await nc.jetstream().consumers.get(stream, { deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume();
    void (async () => {
      for await (const m of messages) jetstream.record(performance.timeOrigin + performance.now() - Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).readDoubleLE(0));
    })();
    await run((payload) => void nc.jetstream().publish(jsSubject, payload).catch(() => undefined));
    await messages.close();
  } finally {
    await jsm.streams.delete(stream);
  }
  return { core, jetstream };
}

const COUNTS = ['updates', 'updatesInWindow', 'clients', 'disconnected', 'errors', 'missingOfficial', 'missingFinal', 'outOfOrder', 'conflated', 'duplicates', 'reconnects', 'resets', 'reconnectFailures', 'down'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function row(name: string, report: Counts, histogram: Histogram): string[] {
  return [
    `${name.padEnd(5)} ${histogram.summary()}`,
    `      clients ${report.clients}, updates read ${report.updates}, disconnected ${report.disconnected}, errors ${report.errors}, ` +
      `OFFICIAL versions missing ${report.missingOfficial}, final versions missing ${report.missingFinal}, out of order ${report.outOfOrder}, ` +
      `LIVE versions conflated ${report.conflated}`,
  ];
}

/** A histogram's figures for the JSON summary (ms; null without samples). */
function stats(histogram: Histogram): { count: number; p50: number | null; p95: number | null; p99: number | null; max: number | null } {
  const at = (q: number): number | null => (histogram.count === 0 ? null : round(histogram.quantile(q), 1));
  return { count: histogram.count, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: histogram.count === 0 ? null : round(histogram.max, 1) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

interface Sample {
  name: string;
  labels: string;
  value: number;
}

/** The samples of a Prometheus text exposition (`name{labels} value`); [] when the service does not answer. */
async function scrapeMetrics(url: string): Promise<Sample[]> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const samples: Sample[] = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (match) samples.push({ name: match[1] as string, labels: match[2] ?? '', value: Number(match[3]) });
    }
    return samples;
  } catch {
    return [];
  }
}

/** The sum of a metric's samples (all labels, or those whose labels contain `labelPart`); undefined when absent. */
function metricSum(samples: Sample[], name: string, labelPart = ''): number | undefined {
  const found = samples.filter((x) => x.name === name && x.labels.includes(labelPart));
  return found.length === 0 ? undefined : found.reduce((t, x) => t + x.value, 0);
}

function metricMax(samples: Sample[], name: string): number | undefined {
  const found = samples.filter((x) => x.name === name);
  return found.length === 0 ? undefined : Math.max(...found.map((x) => x.value));
}

/** A histogram metric's mean in seconds; undefined when absent or empty. */
function metricMean(samples: Sample[], name: string, labelPart = ''): { mean: number; count: number } | undefined {
  const sum = metricSum(samples, `${name}_sum`, labelPart);
  const count = metricSum(samples, `${name}_count`, labelPart);
  return sum === undefined || !count ? undefined : { mean: sum / count, count };
}

/**
 * The mean of each results-ingest stage (results_ingest_stage_seconds) between two scrapes of every replica, in ms;
 * null for a stage no message went through.
 */
function ingestStages(before: Sample[][], after: Sample[][]): Record<'read' | 'wait' | 'store' | 'publish', number | null> {
  const delta = (name: string, stage: string): number =>
    after.reduce((t, samples, i) => t + (metricSum(samples, name, `stage="${stage}"`) ?? 0) - (metricSum(before[i] ?? [], name, `stage="${stage}"`) ?? 0), 0);
  const mean = (stage: string): number | null => {
    const count = delta('results_ingest_stage_seconds_count', stage);
    return count > 0 ? round((delta('results_ingest_stage_seconds_sum', stage) / count) * 1000, 2) : null;
  };
  return { read: mean('read'), wait: mean('wait'), store: mean('store'), publish: mean('publish') };
}

/** results-distribution's last RESULTS sequence taken into account (its metric). */
async function distributionSeq(url: string): Promise<number> {
  return metricSum(await scrapeMetrics(url), 'results_distribution_stream_sequence', 'stream="results"') ?? 0;
}


/**
 * Samples the CPU of the run's processes every 500 ms between `start` and `stop` (the measured window): fixed pids by
 * group, and the PostgreSQL backends connected to `databases` (pg_stat_activity), which come and go.
 */
class CpuSampler {
  private readonly window = new CpuWindow();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private pg: Client | undefined;
  private from = new Date();
  private machineFrom = 0;
  /** The whole machine's busy CPU seconds over the window (every process, the run's and any other). */
  machineBusy = 0;

  constructor(
    private readonly watched: Record<string, number[]>,
    private readonly databases: string[],
  ) {}

  /** Connects to PostgreSQL (before the window: the send loop is not held up by it). */
  async prepare(): Promise<void> {
    if (this.databases.length === 0) return;
    this.pg = new Client({ connectionString: process.env['ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await this.pg.connect();
  }

  async start(from: number): Promise<void> {
    this.from = new Date(from);
    this.machineFrom = machineBusySeconds();
    await this.sample();
    this.timer = setInterval(() => {
      this.pending = this.pending.then(() => this.sample());
    }, 500);
  }

  /** The last sample, then CPU seconds per group over the window (rounded to 10 ms). */
  async stop(): Promise<Record<string, number>> {
    clearInterval(this.timer);
    this.pending = this.pending.then(() => this.sample());
    await this.pending;
    this.machineBusy = machineBusySeconds() - this.machineFrom;
    await this.pg?.end();
    const used = this.window.used();
    return Object.fromEntries(Object.keys(this.watched).map((group) => [group, round(used[group] ?? 0, 2)]));
  }

  private async sample(): Promise<void> {
    for (const [group, pids] of Object.entries(this.watched)) for (const pid of pids) this.window.observe(group, pid);
    if (!this.pg) return;
    try {
      const { rows } = await this.pg.query<{ pid: number; born: boolean }>(
        'SELECT pid, backend_start >= $2 AS born FROM pg_stat_activity WHERE datname = ANY($1)',
        [this.databases, this.from],
      );
      for (const row of rows) this.window.observe('postgres', row.pid, row.born);
    } catch (error) {
      log(`sampling the run's PostgreSQL backends failed: ${String(error)}`);
    }
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runId = randomBytes(3).toString('hex');
  const startedAt = new Date();
  log(`run ${runId}: ${options.rate} results/s for ${options.seconds} s (+${WARMUP_MS / 1000} s warm-up), ${options.cis} CIS + ${options.sse} SSE clients, ` +
    `${options.units} units, ${options.competitors} competitors, every ${options.officialEvery}th version OFFICIAL, mode ${options.mode}` +
    (options.mode === 'direct' ? ' (publishing straight to the RESULTS stream: results-ingest is NOT in the path)' : ' (POST to results-ingest)'));

  let services: SpawnedServices<'results-ingest' | 'results-distribution'> | undefined;
  let runNats: RunNats | undefined;
  if (options.spawn) {
    const binary = natsServerBinary();
    if (binary) runNats = await startNats(binary, log);
    else log(`no nats-server binary (NATS_SERVER_BIN, /usr/sbin/nats-server, PATH): the run uses ${options.nats}, and its CPU figure is the whole server's`);
    try {
      services = await spawnServices({
        services: ['results-ingest', 'results-distribution'],
        replicas: { 'results-ingest': options.ingestReplicas, 'results-distribution': options.distributionReplicas },
        natsUrl: runNats?.url ?? options.nats,
        runId,
        log,
      });
    } catch (error) {
      await runNats?.stop();
      throw error;
    }
  }
  const natsUrl = runNats?.url ?? options.nats;
  const ingestUrls = services?.instances['results-ingest'].map((x) => x.url) ?? options.ingestUrl.split(',');
  const distributions = services?.instances['results-distribution'] ?? options.distributionUrl.split(',').map((url, i) => ({ name: `results-distribution${i === 0 ? '' : `-${i + 1}`}`, url, pid: 0 }));
  const distributionUrls = distributions.map((x) => x.url);
  const victim = options.killDistributionAt === undefined ? undefined : distributions[0];
  const prefix = services?.prefix ?? options.prefix;
  const nc = await connect({ servers: natsUrl, name: 'ods-bench' });
  const units = unitCodes(options.units);
  /** Client i starts on replica i mod M and knows the others, in order, to reconnect to. */
  const rotated = (urls: string[], i: number): string[] => urls.map((_, k) => urls[(i + k) % urls.length] as string);
  const wsUrls = distributionUrls.map((url) => url.replace(/^http/, 'ws') + '/v1/cis');

  const workers = forkWorkers(options.workers);
  try {
    const plans: ClientPlan[] = workers.map(() => ({ cis: [], sse: [] }));
    for (let i = 0; i < options.cis; i++) {
      const discipline = DISCIPLINES[i % Math.min(DISCIPLINES.length, units.length)] as string;
      plans[i % workers.length]?.cis.push({ urls: rotated(wsUrls, i), discipline, units: units.filter((u) => u.startsWith(discipline)) });
    }
    for (let i = 0; i < options.sse; i++) plans[i % workers.length]?.sse.push({ urls: rotated(distributionUrls, i), rsc: units[i % units.length] as string });
    workers.forEach((w, i) => w.child.send({ cmd: 'connect', plan: plans[i] } satisfies Command));
    const connected = await Promise.all(workers.map((w) => waitEvent(w, 'connected', 300_000)));
    const totals = connected.reduce((t, c) => ({ cis: t.cis + c.cis, sse: t.sse + c.sse, failed: t.failed + c.failed }), { cis: 0, sse: 0, failed: 0 });
    log(`connected ${totals.cis} CIS and ${totals.sse} SSE clients (${totals.failed} failed) in ${Math.max(...connected.map((c) => c.ms))} ms`);

    const sender = new Sender(options, units, `B${runId}`, ingestUrls, nc, prefix);
    const instances = (service: 'results-ingest' | 'results-distribution'): Record<string, number[]> =>
      services ? Object.fromEntries(services.instances[service].map((x) => [x.name, [x.pid]])) : { [service]: [] };
    const watched: Record<string, number[]> = {
      ...instances('results-distribution'),
      ...instances('results-ingest'),
      'nats-server': runNats ? [runNats.pid] : pidsNamed('nats-server'),
      // The run's backends are looked up at each sample (below); without --spawn, every postgres process.
      postgres: services ? [] : pidsNamed('postgres'),
      'bench (sender)': [process.pid],
      'bench (clients)': workers.map((w) => w.child.pid ?? 0),
    };
    const cpuScope = {
      'nats-server': runNats ? "the run's own nats-server" : 'whole server (not only this run)',
      postgres: services ? `the backends of the run's databases (${services.databases.join(', ')})` : 'whole server (not only this run)',
    };
    const sampler = new CpuSampler(watched, services?.databases ?? []);
    await sampler.prepare();

    const started = Date.now();
    const measuredFrom = started + WARMUP_MS;
    const measuredTo = measuredFrom + options.seconds * 1000;
    sender.window = { from: measuredFrom, to: measuredTo };
    workers.forEach((w) => w.child.send({ cmd: 'measure', fromMs: measuredFrom, toMs: measuredTo } satisfies Command));
    let cpuTaken = false;
    // Per replica, its metrics at the window's start and the last ones read (a killed replica's: just before the kill).
    let metricsBefore: Promise<Sample[][]> = Promise.resolve([]);
    let ingestBefore: Promise<Sample[][]> = Promise.resolve([]);
    const latest = new Map<string, Sample[]>();
    const scrapeEach = (urls: string[]): Promise<Sample[][]> =>
      Promise.all(
        urls.map(async (url) => {
          const samples = await scrapeMetrics(url);
          if (samples.length > 0) latest.set(url, samples);
          return samples;
        }),
      );
    const alive = (): string[] => distributionUrls.filter((url) => url !== victim?.url || !killed);
    let killed = false;
    let kill: Promise<void> = Promise.resolve();
    let probe: Promise<Histogram> | undefined;
    const killAt = options.killDistributionAt === undefined ? Number.POSITIVE_INFINITY : measuredFrom + options.killDistributionAt * 1000;
    let index = 0;
    let maxInFlight = 0;
    const queues = options.socketQueues ? new SocketQueueSampler(distributionUrls.map((url) => Number(new URL(url).port))) : undefined;
    let readBefore: Promise<{ bytesRead: number }> | undefined;
    while (Date.now() < measuredTo) {
      const now = Date.now();
      if (!cpuTaken && now >= measuredFrom) {
        await sampler.start(measuredFrom);
        cpuTaken = true;
        metricsBefore = scrapeEach(distributionUrls);
        if (options.mode === 'ingest') ingestBefore = Promise.all(ingestUrls.map(scrapeMetrics));
        if (queues) {
          queues.start();
          readBefore = statusAll(workers);
        }
      }
      if (victim && !killed && now >= killAt) {
        killed = true;
        kill = (async () => {
          await scrapeEach([victim.url]);
          process.kill(victim.pid, 'SIGKILL');
          probe = probeAnswers(alive()[0] as string, 15);
          log(`killed ${victim.name} (pid ${victim.pid}, ${victim.url}) with SIGKILL, ${((Date.now() - measuredFrom) / 1000).toFixed(1)} s into the measured window`);
        })();
      }
      const due = Math.floor(((now - started) / 1000) * options.rate);
      while (index < due) {
        // The (index + 1)-th message is due once (index + 1) / rate seconds have passed.
        sender.send(index, measuredFrom, started + ((index + 1) * 1000) / options.rate);
        index++;
      }
      maxInFlight = Math.max(maxInFlight, sender.inFlight);
      await new Promise((r) => setTimeout(r, 2));
    }
    await kill;
    const cpuUsed = await sampler.stop();
    // Everything else the machine ran meanwhile (other processes, the PostgreSQL server's own): a run is only a figure
    // when this is small.
    const otherCpu = round(Math.max(0, sampler.machineBusy - Object.values(cpuUsed).reduce((t, x) => t + x, 0)), 1);
    let socketQueues: (QueueSummary & { clientsReadBytesPerSecond: number }) | undefined;
    if (queues) {
      const queued = await queues.stop();
      const readAfter = await statusAll(workers);
      const read = readAfter.bytesRead - ((await readBefore)?.bytesRead ?? 0);
      socketQueues = { ...queued, clientsReadBytesPerSecond: Math.round(read / ((Date.now() - measuredFrom) / 1000)) };
    }
    await scrapeEach(alive());
    const metricsAfter = distributionUrls.map((url) => latest.get(url) ?? []);
    const windowSeconds = (Date.now() - measuredFrom) / 1000;
    log(`${sender.sent} sent so far (${sender.queued} waited for their unit's previous version; max ${maxInFlight} in flight); waiting for the rest, then ${DRAIN_MS / 1000} s`);
    const giveUp = Date.now() + 180_000;
    while (sender.inFlight > 0 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 50));
    if (sender.inFlight > 0) log(`${sender.inFlight} requests still unanswered after 180 s: counted as errors`);
    const measuredPhase = { sent: sender.sent, accepted: sender.accepted, lastAnswer: sender.lastAnswer };
    // Where results-ingest's time went for the messages of the window (its stage histograms, summed over replicas).
    const ingestStagesMs = options.mode === 'ingest' ? ingestStages(await ingestBefore, await Promise.all(ingestUrls.map(scrapeMetrics))) : null;

    let overload: { seqBefore: number; seqAfter: number; from: number; to: number } | undefined;
    if (options.overloadSeconds > 0) {
      const count = Math.round(options.overloadRate * options.overloadSeconds);
      const building = Date.now();
      sender.prepareOverload(count);
      log(`overload: ${count} versions built in ${((Date.now() - building) / 1000).toFixed(1)} s; publishing them straight to the RESULTS stream at ${options.overloadRate}/s for ${options.overloadSeconds} s`);
      const seqBefore = Math.min(...(await Promise.all(alive().map(distributionSeq))));
      const from = Date.now();
      const to = from + options.overloadSeconds * 1000;
      workers.forEach((w) => w.child.send({ cmd: 'overload', fromMs: from, toMs: to } satisfies Command));
      let sent = 0;
      while (Date.now() < to) {
        const due = Math.floor(((Date.now() - from) / 1000) * options.overloadRate);
        while (sent < due && sender.publishPrepared()) sent++;
        await new Promise((r) => setTimeout(r, 2));
      }
      const seqAfter = Math.min(...(await Promise.all(alive().map(distributionSeq))));
      overload = { seqBefore, seqAfter, from, to: Date.now() };
      while (sender.inFlight > 0 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 50));
    }
    // Report only once the distribution has taken in everything (else "missing" would mean "late").
    const lastAnswer = Date.now();
    let distributed = 0;
    while (Date.now() < lastAnswer + 180_000) {
      distributed = Math.min(...(await Promise.all(alive().map(distributionSeq))));
      if (distributed >= sender.maxSeq) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const behind = (Date.now() - lastAnswer) / 1000;
    log(`results-distribution${alive().length > 1 ? ' (every replica left)' : ''} at sequence ${distributed} of ${sender.maxSeq}, ${behind.toFixed(1)} s after the last answer`);
    if (victim) {
      // "Loses no OFFICIAL version once they reconnect": wait (bounded) until every client is served again and the
      // updates stop coming (the resumed clients' replays read), so that "missing" does not mean "not back yet".
      const waitFrom = Date.now();
      let status = await statusAll(workers);
      for (;;) {
        await new Promise((r) => setTimeout(r, 1_000));
        const next = await statusAll(workers);
        const settled = next.down === 0 && next.updates === status.updates;
        status = next;
        if (settled || Date.now() > waitFrom + RESUME_WAIT_MS) break;
      }
      log(
        status.down === 0
          ? `every client of ${victim.name} is served again; ${((Date.now() - waitFrom) / 1000).toFixed(1)} s waited after the catch-up`
          : `${status.down} clients still without a working connection ${RESUME_WAIT_MS / 1000} s after the catch-up`,
      );
    }
    await new Promise((r) => setTimeout(r, DRAIN_MS));

    workers.forEach((w) => w.child.send({ cmd: 'report', manifest: sender.manifest } satisfies Command));
    const reports = await Promise.all(workers.map((w) => waitEvent(w, 'report', 120_000)));
    const merge = (channel: 'cis' | 'sse'): { report: Counts; histogram: Histogram; overload: Histogram; resume: Histogram } => {
      const histogram = new Histogram();
      const overloadHistogram = new Histogram();
      const resumeHistogram = new Histogram();
      const report = Object.fromEntries(COUNTS.map((k) => [k, 0])) as Counts;
      for (const r of reports) {
        histogram.merge(r[channel].latency);
        overloadHistogram.merge(r[channel].overloadLatency);
        resumeHistogram.merge(r[channel].resumeMs);
        for (const k of COUNTS) report[k] += r[channel][k];
      }
      return { report, histogram, overload: overloadHistogram, resume: resumeHistogram };
    };
    const cis = merge('cis');
    const sse = merge('sse');
    const probed = probe ? await probe : undefined;
    // The load generator's own health: a client process whose event loop is late reads late, and the latencies above
    // then include its delay (the machine, not the service).
    const clientLoopDelayMs = {
      p99: round(Math.max(...reports.map((r) => r.loopDelayMs.p99)), 1),
      max: round(Math.max(...reports.map((r) => r.loopDelayMs.max)), 1),
    };
    await scrapeEach(alive());
    // Every replica's samples together: sums add up over replicas, a max is the largest of any.
    const metricsEnd = distributionUrls.flatMap((url) => latest.get(url) ?? []);

    // Lag: the largest ingest-accepted -> fanned-out lag since start (gauge), else the mean ingest -> applied.
    const lagMax = metricMax(metricsEnd, 'results_distribution_fanout_lag_max_seconds');
    const applyMean = metricMean(metricsEnd, 'results_distribution_ingest_to_apply_seconds', 'stream="results"');
    const fanoutMean = metricMean(metricsEnd, 'results_distribution_fanout_lag_seconds');
    const lag = {
      maxSeconds: lagMax ?? applyMean?.mean ?? null,
      maxSource: lagMax !== undefined ? 'results_distribution_fanout_lag_max_seconds' : applyMean ? 'results_distribution_ingest_to_apply_seconds (mean: no max gauge)' : null,
      fanoutMeanSeconds: fanoutMean?.mean ?? null,
      ingestToApplyMeanSeconds: applyMean?.mean ?? null,
      caughtUpSecondsAfterLastAnswer: round(behind, 1),
      /** Fan-out rounds results-distribution held back because it was behind on a stream (its metric, whole run). */
      holds: metricSum(metricsEnd, 'results_distribution_fanout_holds_total') ?? null,
    };

    // CPU per delivery and per ingested message, over the measured window.
    const before = await metricsBefore;
    const perReplica = distributionUrls.map((_, i) => {
      const a = metricSum(before[i] ?? [], 'results_distribution_deliveries_total');
      const b = metricSum(metricsAfter[i] ?? [], 'results_distribution_deliveries_total');
      return a === undefined || b === undefined ? undefined : b - a;
    });
    const fromCounter = perReplica.every((d) => d !== undefined);
    const deliveries = fromCounter ? perReplica.reduce<number>((t, d) => t + (d ?? 0), 0) : cis.report.updatesInWindow + sse.report.updatesInWindow;
    // Per replica, and the sum over a service's replicas.
    const ofService = (service: string): number => Object.entries(cpuUsed).reduce((t, [name, used]) => (name === service || name.startsWith(`${service}-`) ? t + used : t), 0);
    const distributionCpu = ofService('results-distribution');
    const ingestCpu = ofService('results-ingest');
    const cpuTotals = { 'results-distribution (all replicas)': round(distributionCpu, 2), 'results-ingest (all replicas)': round(ingestCpu, 2) };
    const perDeliveryMicros = services && deliveries > 0 ? round((distributionCpu / deliveries) * 1e6, 2) : null;
    const perIngestedMs = options.mode === 'ingest' && services && sender.acceptedInWindow > 0 ? round((ingestCpu / sender.acceptedInWindow) * 1e3, 3) : null;
    const reconnects = {
      reconnects: cis.report.reconnects + sse.report.reconnects,
      resets: cis.report.resets + sse.report.resets,
      duplicates: cis.report.duplicates + sse.report.duplicates,
      reconnectFailures: cis.report.reconnectFailures + sse.report.reconnectFailures,
      stillDown: cis.report.down + sse.report.down,
      newConnectionAfterKillMs: probed ? stats(probed) : null,
      lostToResumedMs: { cis: stats(cis.resume), sse: stats(sse.resume) },
    };

    const accepted = measuredPhase.accepted / ((measuredPhase.lastAnswer - started) / 1000);
    const overloadSummary = overload && {
      seconds: round((overload.to - overload.from) / 1000, 2),
      offeredPerSecond: options.overloadRate,
      published: sender.overloadAccepted,
      publishedPerSecond: round(sender.overloadAccepted / ((overload.to - overload.from) / 1000), 1),
      // RESULTS sequences results-distribution (the slowest replica) took into account during the phase, per second.
      distributionIntakePerSecond: round((overload.seqAfter - overload.seqBefore) / ((overload.to - overload.from) / 1000), 1),
      lagMs: { cis: stats(cis.overload), sse: stats(sse.overload) },
      maxLagMs: round(Math.max(cis.overload.max, sse.overload.max), 1),
    };
    const replicated = options.ingestReplicas > 1 || options.distributionReplicas > 1;
    const pad = Math.max(22, ...Object.keys({ ...cpuUsed, ...(replicated ? cpuTotals : {}) }).map((name) => name.length));
    const lines = [
      '',
      `=== ODS benchmark (${options.mode === 'ingest' ? 'POST results-ingest' : 'direct JetStream publish, results-ingest not in the path'}) ===`,
      `offered ${options.rate}/s for ${options.seconds} s (+ warm-up), ${options.units} units, ~${Math.round(Buffer.byteLength(makeResultMessage({ rsc: units[0] as string, competitors: options.competitors }).xml) / 1024)} KB per message (${options.format}); sent ${measuredPhase.sent}, accepted ${measuredPhase.accepted}`,
      `errors on send: ${sender.errors.size === 0 ? 'none' : [...sender.errors].map(([k, v]) => `${k} x${v}`).join(', ')}`,
      `due -> ${options.mode === 'ingest' ? 'HTTP 200 from ingest' : 'JetStream ack'}: ${sender.ack.summary()}`,
      `accepted throughput: ${accepted.toFixed(0)} messages/s (first send to last answer); ` +
        `results-distribution caught up ${behind.toFixed(1)} s after the last answer`,
      applyMean
        ? `ingest accepted -> distribution applied (server metric, mean): ${(applyMean.mean * 1000).toFixed(1)} ms over ${applyMean.count} messages`
        : 'ingest accepted -> distribution applied: n/a',
      `ingest accepted -> fanned out (server metrics): max ${lagMax === undefined ? 'n/a (no results_distribution_fanout_lag_max_seconds)' : `${(lagMax * 1000).toFixed(1)} ms`}, ` +
        `mean ${fanoutMean ? `${(fanoutMean.mean * 1000).toFixed(1)} ms` : 'n/a (no results_distribution_fanout_lag_seconds)'}`,
      ...(ingestStagesMs
        ? [
            `results-ingest, where a message's time went (server, mean over the window): read ${ingestStagesMs.read} ms, ` +
              `wait (behind its document's previous message) ${ingestStagesMs.wait} ms, store (PostgreSQL) ${ingestStagesMs.store} ms, ` +
              `publish (the relay's JetStream ack) ${ingestStagesMs.publish} ms`,
          ]
        : []),
      ...(victim
        ? [
            `killed ${victim.name} ${options.killDistributionAt} s into the window: reconnects ${reconnects.reconnects} (CIS ${cis.report.reconnects}, SSE ${sse.report.reconnects}), ` +
              `resumes answered with reset + snapshot ${reconnects.resets}, updates read twice ${reconnects.duplicates}, failed attempts ${reconnects.reconnectFailures}, ` +
              `still without a connection ${reconnects.stillDown}`,
            `connection lost -> served again: CIS ${cis.resume.summary()}`,
            `                                 SSE ${sse.resume.summary()}`,
            `a new SSE connection to the surviving replica (every 250 ms for 15 s after the kill), request -> first byte: ${probed?.summary() ?? 'n/a'}`,
          ]
        : []),
      ...(socketQueues
        ? [
            `kernel TCP queues after the fan-out (ss, ${socketQueues.samples} samples, 1/s in the window): ` +
              `server Send-Q mean ${mb(socketQueues.serverSendQ.meanBytes)} max ${mb(socketQueues.serverSendQ.maxBytes)}, ` +
              `client Recv-Q mean ${mb(socketQueues.clientRecvQ.meanBytes)} max ${mb(socketQueues.clientRecvQ.maxBytes)}; ` +
              `the clients read ${mb(socketQueues.clientsReadBytesPerSecond)}/s, so the mean queue is ` +
              `${((socketQueues.serverSendQ.meanBytes + socketQueues.clientRecvQ.meanBytes) / Math.max(1, socketQueues.clientsReadBytesPerSecond)).toFixed(2)} s of reading`,
          ]
        : []),
      'due -> client received (ms resolution: the ODF Date/Time header, set to the due time):',
      ...row('CIS', cis.report, cis.histogram),
      ...row('SSE', sse.report, sse.histogram),
      `client processes' event-loop delay (the load generator reading late): p99 ${clientLoopDelayMs.p99.toFixed(1)} ms, max ${clientLoopDelayMs.max.toFixed(1)} ms (worst process)`,
      `CPU seconds during the ${options.seconds} s measured (2 cores = ${options.seconds * 2} s available):`,
      ...Object.entries(cpuUsed).map(([name, used]) => `      ${name.padEnd(pad)} ${used.toFixed(1)} s${name in cpuScope ? `  (${cpuScope[name as keyof typeof cpuScope]})` : ''}`),
      ...(replicated ? Object.entries(cpuTotals).map(([name, used]) => `      ${name.padEnd(pad)} ${used.toFixed(1)} s`) : []),
      `      ${'anything else'.padEnd(pad)} ${otherCpu.toFixed(1)} s  (the whole machine's busy CPU minus the above: other processes disturbed the run when this is large)`,
      `CPU per delivery (results-distribution): ${perDeliveryMicros === null ? 'n/a' : `${perDeliveryMicros.toFixed(1)} µs`} ` +
        `(${deliveries} deliveries in the window, ${fromCounter ? 'its results_distribution_deliveries_total' : 'updates the clients read: no deliveries counter'})`,
      `CPU per ingested message (results-ingest): ${perIngestedMs === null ? 'n/a' : `${perIngestedMs.toFixed(2)} ms`} (${sender.acceptedInWindow} accepted in the window)`,
      ...(overloadSummary
        ? [
            `overload: ${overloadSummary.published} published straight to the stream in ${overloadSummary.seconds} s (${overloadSummary.publishedPerSecond}/s, offered ${options.overloadRate}/s); ` +
              `results-distribution took in ${overloadSummary.distributionIntakePerSecond} sequences/s meanwhile`,
            'overload: published -> client received (the Date/Time header set when published):',
            `CIS   ${cis.overload.summary()}`,
            `SSE   ${sse.overload.summary()}`,
          ]
        : []),
    ];
    lines.forEach((line) => console.log(line));

    let floorResult: { core: Histogram; jetstream: Histogram } | undefined;
    if (options.floorSeconds > 0) {
      const size = Buffer.byteLength(JSON.stringify(makeResultMessage({ rsc: units[0] as string, competitors: options.competitors }).json));
      log(`floor: raw NATS publish -> subscribe, ${size} bytes at ${options.rate}/s for ${options.floorSeconds} s (clients still connected, idle)`);
      floorResult = await floor(nc, options.rate, options.floorSeconds, size, prefix);
      console.log(`floor core NATS  ${floorResult.core.summary()}`);
      console.log(`floor JetStream  ${floorResult.jetstream.summary()}`);
    }
    const ratio = floorResult && cis.histogram.count > 0 && floorResult.jetstream.count > 0 ? round(cis.histogram.quantile(0.99) / floorResult.jetstream.quantile(0.99), 1) : null;
    if (ratio !== null) console.log(`CIS p99 / JetStream floor p99: ${ratio.toFixed(1)}x`);
    sender.close();

    if (options.json) {
      const lost = { official: cis.report.missingOfficial + sse.report.missingOfficial, final: cis.report.missingFinal + sse.report.missingFinal };
      const channel = (c: { report: Counts; histogram: Histogram }): Record<string, unknown> => ({ latencyMs: stats(c.histogram), ...c.report });
      const summary = {
        command: ['npx', 'tsx', 'tools/bench/ods.ts', ...process.argv.slice(2)].join(' '),
        date: startedAt.toISOString(),
        git: gitInfo(),
        runId,
        options,
        replicas: {
          'results-ingest': ingestUrls,
          'results-distribution': distributionUrls,
          killed: victim ? { name: victim.name, url: victim.url, atSeconds: options.killDistributionAt } : null,
        },
        reconnects,
        offered: { ratePerSecond: options.rate, seconds: options.seconds, sent: measuredPhase.sent },
        accepted: { count: measuredPhase.accepted, ratePerSecond: round(accepted, 1), inWindow: sender.acceptedInWindow },
        sendErrors: Object.fromEntries(sender.errors),
        sendErrorCount: [...sender.errors.values()].reduce((t, v) => t + v, 0),
        ackMs: stats(sender.ack),
        channels: { cis: channel(cis), sse: channel(sse) },
        lostOfficial: lost.official,
        missingFinal: lost.final,
        outOfOrder: cis.report.outOfOrder + sse.report.outOfOrder,
        conflatedLive: cis.report.conflated + sse.report.conflated,
        lag,
        cpu: {
          windowSeconds: round(windowSeconds, 2),
          secondsPerProcess: { ...cpuUsed, ...cpuTotals },
          otherProcessesSeconds: otherCpu,
          scope: cpuScope,
          perDeliveryMicros,
          deliveries,
          deliveriesSource: fromCounter ? 'results_distribution_deliveries_total' : 'updates read by the clients',
          perIngestedMessageMs: perIngestedMs,
          ingestedInWindow: sender.acceptedInWindow,
        },
        clientLoopDelayMs,
        ingestStagesMs,
        overload: overloadSummary ?? null,
        socketQueues: socketQueues ?? null,
        floor: floorResult ? { core: stats(floorResult.core), jetstream: stats(floorResult.jetstream), cisP99OverJetstreamP99: ratio } : null,
      };
      mkdirSync(dirname(resolve(options.json)), { recursive: true });
      writeFileSync(options.json, JSON.stringify(summary, null, 2) + '\n');
      log(`summary written to ${options.json}`);
    }
  } finally {
    workers.forEach((w) => w.child.send({ cmd: 'close' } satisfies Command));
    await new Promise((r) => setTimeout(r, 500));
    await nc.close();
    await services?.stop();
    await runNats?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
