/**
 * Every service rides out its dependencies' restarts (issue 17). The suite starts its own PostgreSQL (a throwaway
 * initdb cluster, startPostgresCluster) and its own NATS (startNatsCluster: two nats-server processes, each restarted
 * on the same port and store; streams with one replica), runs the seven built services as processes against them, keeps each under a
 * steady load of its main write path, and applies one fault after the other:
 *
 * - PostgreSQL restarted with a fast shutdown (every session ended with 57P01), then with an immediate one (a crash:
 *   connections cut, recovery at start);
 * - NATS restarted (every server SIGTERM, then started again on the same ports and stores);
 * - PostgreSQL paused (SIGSTOP of the postmaster and its children for PAUSE_MS: slow, not down);
 * - each service killed with SIGKILL and started again (the full form; the short form kills results-ingest only).
 *
 * The load: schedules applies unit moves (dry run, then apply with the versions it returned) as a schedule manager;
 * entries registers athletes with a mark, renames them, enters each by name and withdraws the entry as an NOC official
 * (FRA); accreditation submits applications and takes each through vetting and approval to a card as accreditation
 * staff; volunteers takes applications from a manager's bulk path and from the public portal's form, and takes every
 * other one through the pipeline (a recruiter's moves and interview slot, the applicant's answer to the offer on the
 * portal) to its confirmation, a hand-over published through its outbox; workforce takes members from a manager (one
 * writer through the bulk path, one by the single create), each given a card by an accreditation card event the suite
 * publishes as accreditation would, assigned to a shift by a supervisor, checked in at the desk by its card number and
 * (every other one) checked out, while the suite also publishes volunteers' confirmed hand-overs (besides those of the
 * volunteers service) that workforce's durable consumer makes members of; results-ingest takes ODF results from
 * venues that send each message again until it is answered 200;
 * results-distribution follows those results with a CIS (WebSocket) client and an SSE client connected, which resume
 * (Last-Event-ID / `after`) when their connection ends. A write refused may have been carried out (its answer lost):
 * the loads look before sending it again (an athlete by IF id, an entry by athlete, an application by name and state;
 * a volunteer's application by name, also when the resend is answered duplicate-application; a workforce member by
 * name, an assignment in the member's roster, a check-in or check-out by the resend's 409 and the roster).
 * A request that is not answered 2xx must be a retryable refusal: 503 application/problem+json (the portal's pages:
 * text/html) with Retry-After (or, while the service itself is down, a refused connection), or a 409 serialization-conflict with Retry-After (a
 * write that lost to concurrent ones on every run: nothing applied; counted apart); a 500, another status or a hang
 * fails the test.
 *
 * After each fault: every process still runs with the same pid (but the one killed), readiness is back within
 * READY_BOUND_MS (printed), every load carries on (a request answered after all were ready), every write answered 2xx is there (results in RESULTS, changes in the history, athletes
 * with their last name, entries entered or withdrawn, applications at least as far as answered, cards; the quota's
 * places taken equal the applications; volunteers' applications found once by name, as far as answered, and each
 * confirmation's hand-over in VOLUNTEERS once; workforce's members found once by name, each assignment once in its
 * member's roster as far as answered, one member.changed / assignment.changed per version of each, every published
 * card taken in, every volunteer confirmed made exactly one member, its durable consumers with nothing pending),
 * nothing was published twice (each stream's Nats-Msg-Id unique; the outbox's event ids and the
 * stream's are the same set), every outbox is drained, and results-distribution's clients got every document's last
 * accepted version or a later one (a resume is conflated). A table of the recovery per fault and service ends the run.
 *
 * Short form (npm test, through faults:integration): PostgreSQL fast restart, NATS restart, PostgreSQL paused,
 * results-ingest killed. Full form (FAULTS=full, `npm run test:faults`): every fault, and every service killed.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CardState, VolunteerHandover } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { applyMigrations, ensureDatabase, withDatabase } from '@podium/platform';
import {
  type NatsCluster,
  type PostgresCluster,
  publishEvent,
  type ServiceProcess,
  startNatsCluster,
  startPostgresCluster,
  startServiceProcess,
  waitFor,
  workspaceRoot,
} from '@podium/testing';
import { SignJWT } from 'jose';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { CisRecorder } from './cis-recorder';
import { ReadinessWatch } from './readiness-watch';

const FULL = process.env['FAULTS'] === 'full';
/** How long PostgreSQL stays frozen (SIGSTOP). */
const PAUSE_MS = 5_000;
/** Readiness must be back within this, from the fault's start (printed with the figures). */
const READY_BOUND_MS = 30_000;
/** A request not answered within this is a hang (fails the test). */
const HANG_MS = 20_000;
/** Load kept on after a fault before the checks, so that the recovery is seen under load. */
const SETTLE_MS = 3_000;
const EDITION = 'OG2024';
const API_KEY = 'faults-venue-key-0123456789';
const DOCUMENTS = 4;
const RESULT_UNITS = Array.from({ length: DOCUMENTS }, (_, i) => `ATHM100M--------------FNL-0002${String(i).padStart(2, '0')}--`);
/** Units of the demo schedule (apps/schedules/data/demo-og2024.json) that the schedule writers move. */
const SCHEDULE_UNITS = ['ATHM100M--------------HEAT000100--', 'ATHM100M--------------HEAT000200--'];
/** Events entries' writers enter their athletes in (writer 1: men, writer 2: women), with a mark meeting the standard. */
const ENTRY_EVENTS = [
  { rsc: 'ATHW100M--------------------------', gender: 'W', mark: '10.90' },
  { rsc: 'ATHM100M--------------------------', gender: 'M', mark: '9.95' },
] as const;
/** The Responsible Organisation and category accreditation's writers apply for (the suite's pack gives a large quota). */
const ACCREDITATION_ORG = 'PARIS2024';
const ACCREDITATION_CATEGORY = 'OC';
/** The workflow's order up to a card: a state answered may only move forward. */
const APPLICATION_ORDER = ['submitted', 'vetting', 'approved', 'card-issued'];
/** Where a step answered 2xx took the application from its state (used when its state could not be read after). */
const ANSWERED_STATE: Record<string, string> = { submitted: 'vetting', vetting: 'vetting', approved: 'card-issued' };
/** The volunteers' pipeline up to a hand-over: a stage answered may only move forward. */
const VOLUNTEER_ORDER = ['applied', 'screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'accepted', 'confirmed'];
/** A workforce assignment's way through the day: a status answered may only move forward. */
const ASSIGNMENT_ORDER = ['assigned', 'checked-in', 'checked-out'];
/** The venue of workforce's shifts (made by the suite, in UTC: its local times are the UTC ones). */
const WORKFORCE_VENUE = 'FLT';
const SERVICES = ['schedules', 'entries', 'accreditation', 'volunteers', 'workforce', 'results-ingest', 'results-distribution'] as const;
/** The services with an outbox, and the stream it publishes to. */
const OUTBOXES = [
  ['schedules', 'SCHEDULES'],
  ['entries', 'ENTRIES'],
  ['accreditation', 'ACCREDITATION'],
  ['volunteers', 'VOLUNTEERS'],
  ['workforce', 'WORKFORCE'],
  ['results-ingest', 'RESULTS'],
] as const;
type Service = (typeof SERVICES)[number];

type FaultName = 'postgres-fast' | 'postgres-immediate' | 'nats-restart' | 'postgres-pause' | `kill-${Service}`;
const ALL_FAULTS: FaultName[] = ['postgres-fast', 'postgres-immediate', 'nats-restart', 'postgres-pause', ...SERVICES.map((s) => `kill-${s}` as const)];
/** FAULTS=full: every fault; FAULTS=<fault>,<fault>: those (to look into one); else the short form. */
const FAULTS: FaultName[] = FULL
  ? ALL_FAULTS
  : process.env['FAULTS']
    ? process.env['FAULTS'].split(',').map((name) => {
        const fault = ALL_FAULTS.find((f) => f === name.trim());
        if (!fault) throw new Error(`FAULTS: unknown fault ${name} (one of ${ALL_FAULTS.join(', ')}, or full)`);
        return fault;
      })
    : ['postgres-fast', 'nats-restart', 'postgres-pause', 'kill-results-ingest'];

/** One request of a load, as answered. */
interface Attempt {
  service: Service;
  startedAt: number;
  endedAt: number;
  /**
   * 'ok' (2xx or an expected 4xx of the protocol), '503' (a retryable problem), 'conflict' (409 serialization-conflict
   * with Retry-After: lost to concurrent writes on every attempt, nothing applied), 'unreachable' (no connection).
   */
  kind: 'ok' | '503' | 'conflict' | 'unreachable';
  /** For 'unreachable': the connection error's code or message. */
  error?: string;
}

/** Answers that break the contract: a 500, a 503 without problem+json (or the portal's HTML page) or Retry-After, a hang. */
const violations: string[] = [];

interface Answer {
  status: number;
  text: string;
}

/** One HTTP request of a load: 2xx (or `expected`) returned; a retryable refusal recorded and undefined returned. */
async function call(
  attempts: Attempt[],
  service: Service,
  url: string,
  init: RequestInit,
  expected: readonly number[] = [],
): Promise<Answer | undefined> {
  const startedAt = Date.now();
  let kind: Attempt['kind'];
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    const text = await res.text();
    if ((res.status >= 200 && res.status < 300) || expected.includes(res.status)) {
      attempts.push({ service, startedAt, endedAt: Date.now(), kind: 'ok' });
      return { status: res.status, text };
    }
    const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
    // volunteers' portal pages are for people: its retryable refusal is an HTML page (503 with Retry-After).
    const page = (res.headers.get('content-type') ?? '').startsWith('text/html') && /^\/(apply$|status\/)/.test(new URL(url).pathname);
    if (res.status === 503 && (problem || page) && res.headers.get('retry-after')) kind = '503';
    else if (res.status === 409 && problem && res.headers.get('retry-after') && text.includes('/problems/serialization-conflict')) kind = 'conflict';
    else {
      violations.push(`${service} ${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status} retry-after=${res.headers.get('retry-after')} ${text.slice(0, 300)}`);
      kind = '503';
    }
  } catch (error) {
    // Duck-typed: the test runs in a VM context where undici's errors are not this realm's Error.
    const outer = error as { cause?: unknown } | null;
    const cause = (typeof outer?.cause === 'object' && outer.cause !== null ? outer.cause : error) as { name?: unknown; code?: unknown; message?: unknown };
    const name = typeof cause?.name === 'string' ? cause.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') violations.push(`${service} ${init.method ?? 'GET'} ${new URL(url).pathname}: no answer within ${HANG_MS} ms`);
    kind = 'unreachable';
    attempts.push({ service, startedAt, endedAt: Date.now(), kind, error: typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? cause) });
    await sleep(200);
    return undefined;
  }
  attempts.push({ service, startedAt, endedAt: Date.now(), kind });
  await sleep(200);
  return undefined;
}

/** A service process the suite may kill and start again (same database, NATS prefix and environment). */
class Managed {
  process!: ServiceProcess;
  /** Processes replaced after a kill (stopped at the end). */
  readonly previous: ServiceProcess[] = [];

  constructor(
    readonly service: Service,
    private readonly start: () => Promise<ServiceProcess>,
  ) {}

  async boot(): Promise<void> {
    this.process = await this.start();
  }

  get url(): string {
    return this.process.url;
  }

  async killAndStart(): Promise<void> {
    const old = this.process;
    process.kill(old.pid, 'SIGKILL');
    await waitFor(() => !old.running, { timeoutMs: 10_000, description: `${this.service} exited after SIGKILL` });
    this.previous.push(old);
    this.process = await this.start();
  }
}

interface Row {
  fault: FaultName;
  service: Service;
  /** ms from the fault's start until the last refused request ended (0: none refused). */
  writesBackMs: number;
  refused: number;
  conflicts: number;
  unreachable: number;
  /** ms from the fault's start until ready again; undefined: ready throughout. */
  unready?: { fromMs: number; backMs: number };
  longestRequestMs: number;
  note: string;
}

describe('every service rides out its dependencies restarting', () => {
  const prefix = `d${randomBytes(4).toString('hex')}.`;
  const namePrefix = prefix.replace(/\./g, '_');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let pg: PostgresCluster;
  let nats: NatsCluster;
  let nc: NatsConnection;
  const services = new Map<Service, Managed>();
  const databaseUrls = new Map<Service, string>();
  const attempts: Attempt[] = [];
  const rows: Row[] = [];
  let stopLoad = false;
  const loads: Promise<void>[] = [];
  let followers: { cis?: ResumingCis } = {};
  /** Readiness watchers of the fault under way: stopped in afterAll too when a check fails mid-fault. */
  const watching: ReadinessWatch[] = [];
  let sse: SseFollower | undefined;

  const managed = (service: Service): Managed => {
    const found = services.get(service);
    if (!found) throw new Error(`${service} is not started`);
    return found;
  };

  beforeAll(async () => {
    pg = await startPostgresCluster();
    // Two servers (the smallest JetStream cluster nats-server starts; streams have one replica): restarted together.
    nats = await startNatsCluster({ size: 2 });
    nc = await connect({ servers: [...nats.servers], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const env: Record<Service, Record<string, string>> = {
      schedules: {},
      entries: {},
      // Keys made for the run (a deployment's come from Secrets): the card signing key and the personal-data key.
      accreditation: {
        ACCREDITATION_SIGNING_KEYS: JSON.stringify({
          signing: 'faults-1',
          keys: { 'faults-1': generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') },
        }),
        ACCREDITATION_DATA_KEYS: JSON.stringify({ current: 'faults-1', keys: { 'faults-1': randomBytes(32).toString('base64') } }),
      },
      // The personal-data keys and the duplicate secret made for the run; no per-address limit on the portal's posts.
      volunteers: {
        VOLUNTEERS_DATA_KEYS: JSON.stringify({ current: 'faults-1', keys: { 'faults-1': randomBytes(32).toString('base64') } }),
        VOLUNTEERS_DUPLICATE_SECRET: randomBytes(32).toString('base64'),
        VOLUNTEERS_PORTAL_POSTS_PER_ADDRESS: '0',
      },
      // The personal-data keys made for the run.
      workforce: { WORKFORCE_DATA_KEYS: JSON.stringify({ current: 'faults-1', keys: { 'faults-1': randomBytes(32).toString('base64') } }) },
      'results-ingest': { INGEST_API_KEYS: JSON.stringify({ [API_KEY]: '*' }) },
      // Conflation off, as in the stream-leader-loss test: every version is fanned out, so that every one is counted.
      'results-distribution': { INSTANCE_ID: 'faults', FANOUT_MAX_HOLD_MS: '0', FANOUT_BACKLOG_MESSAGES: '1', FANOUT_LATE_MS: '60000' },
    };
    for (const service of SERVICES) {
      const url = withDatabase(pg.url, `faults_${service.replace(/-/g, '_')}`);
      await ensureDatabase(url);
      await applyMigrations({ databaseUrl: url, migrationsDir: join(workspaceRoot(), 'apps', service, 'prisma', 'migrations') });
      databaseUrls.set(service, url);
      const start = () =>
        startServiceProcess({
          service,
          database: false,
          nats: { url: nats.url, prefix },
          env: { DATABASE_URL: url, AUTH_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(), ...env[service] },
        });
      const m = new Managed(service, start);
      services.set(service, m);
    }
    // schedules first: entries and results-ingest follow its schedule.
    await managed('schedules').boot();
    await Promise.all(SERVICES.filter((s) => s !== 'schedules').map((s) => managed(s).boot()));
  }, 180_000);

  afterAll(async () => {
    stopLoad = true;
    await Promise.allSettled([...loads, ...watching.map((w) => w.stop())]);
    followers.cis?.close();
    sse?.close();
    await nc?.close().catch(() => undefined);
    const logs = join(workspaceRoot(), 'tmp', 'faults');
    mkdirSync(logs, { recursive: true });
    for (const m of services.values()) {
      for (const [i, p] of [...m.previous, m.process].entries()) {
        if (!p) continue;
        await p.stop();
        writeFileSync(join(logs, `dependency-faults-${m.service}-${i}.log`), p.logs());
      }
    }
    if (pg) writeFileSync(join(logs, 'dependency-faults-postgres.log'), pg.logs());
    for (const node of nats?.nodes ?? []) writeFileSync(join(logs, `dependency-faults-nats-${node.name}.log`), node.logs());
    await nats?.stop();
    await pg?.stop();
  }, 120_000);

  it(`keeps every process running, loses and duplicates nothing, and recovers from ${FAULTS.join(', ')}`, async () => {
    const tokens = {
      manager: await token(privateKey, 'faults-manager', ['schedule-manager', 'oc-admin']),
      noc: await token(privateKey, 'faults-noc', ['noc-official'], 'FRA'),
      accreditation: await token(privateKey, 'faults-accreditation', ['accreditation-officer', 'accreditation-security']),
      admin: await token(privateKey, 'faults-admin', ['oc-admin']),
      volunteerManager: await token(privateKey, 'faults-volunteer-manager', ['volunteer-manager']),
      recruiter: await token(privateKey, 'faults-recruiter', ['volunteer-recruiter']),
      workforceManager: await token(privateKey, 'faults-workforce-manager', ['workforce-manager']),
      supervisor: await token(privateKey, 'faults-supervisor', ['workforce-supervisor']),
      desk: await token(privateKey, 'faults-desk', ['workforce-checkin']),
    };
    // The demo schedule (schedules publishes it; entries and results-ingest follow it), then entries' rules.
    const pack = await readFile(join(workspaceRoot(), 'apps', 'schedules', 'data', 'demo-og2024.json'), 'utf8');
    const imported = await fetch(`${managed('schedules').url}/v1/data-packs`, { method: 'POST', headers: json(tokens.manager), body: pack });
    expect(imported.status).toBe(200);
    const rules = await readFile(join(workspaceRoot(), 'apps', 'entries', 'data', 'rules-og2024.json'), 'utf8');
    await waitFor(
      async () => (await fetch(`${managed('entries').url}/v1/editions/${EDITION}/rules`, { method: 'PUT', headers: json(tokens.manager), body: rules })).status === 200,
      { timeoutMs: 30_000, intervalMs: 500, description: 'entries accepts the rules pack (it follows the schedule first)' },
    );
    for (const event of ENTRY_EVENTS) {
      const declared = await fetch(`${managed('entries').url}/v1/editions/${EDITION}/entry-numbers`, {
        method: 'PUT',
        headers: json(tokens.noc),
        body: JSON.stringify({ noc: 'FRA', event: event.rsc, count: 3 }),
      });
      expect({ event: event.rsc, status: declared.status }).toEqual({ event: event.rsc, status: 200 });
    }
    // accreditation's reference data: the demo pack, with room in the writers' quota for the whole run.
    const accreditationPack = JSON.parse(await readFile(join(workspaceRoot(), 'apps', 'accreditation', 'data', 'demo-og2024.json'), 'utf8')) as {
      organisations: { code: string; quotas: Record<string, number> }[];
    };
    const organisation = accreditationPack.organisations.find((o) => o.code === ACCREDITATION_ORG);
    if (!organisation) throw new Error(`${ACCREDITATION_ORG} is not in accreditation's demo pack`);
    organisation.quotas[ACCREDITATION_CATEGORY] = 100_000;
    const referenceData = await fetch(`${managed('accreditation').url}/v1/editions/${EDITION}/reference-data`, {
      method: 'POST',
      headers: json(tokens.admin),
      body: JSON.stringify(accreditationPack),
    });
    expect({ referenceData: referenceData.status }).toEqual({ referenceData: 200 });
    // volunteers' campaign: the demo's (read as data, as the demo loader does: a tool does not import an app).
    const campaign = await fetch(`${managed('volunteers').url}/v1/editions/${EDITION}/campaign`, {
      method: 'PUT',
      headers: json(tokens.volunteerManager),
      body: await readFile(join(workspaceRoot(), 'apps', 'volunteers', 'data', 'demo-campaign-og2024.json'), 'utf8'),
    });
    expect({ campaign: campaign.status }).toEqual({ campaign: 200 });
    // workforce: a venue of the suite's (UTC) and a shift per writer, open for check-in now (from 90 min before its
    // start) and starting in an hour (so that the no-show sweep never takes it: it is a draft, and not started).
    const workforceBase = () => `${managed('workforce').url}/v1/editions/${EDITION}`;
    const venue = await fetch(`${workforceBase()}/venues/${WORKFORCE_VENUE}`, {
      method: 'PUT',
      headers: json(tokens.workforceManager),
      body: JSON.stringify({ name: 'Fault suite venue', timeZone: 'UTC' }),
    });
    expect({ venue: venue.status }).toEqual({ venue: 200 });
    const shiftStart = Math.floor(Date.now() / 60_000) * 60_000 + 60 * 60_000;
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const workforceShifts: string[] = [];
    for (const writer of [1, 2]) {
      const created = await fetch(`${workforceBase()}/shifts`, {
        method: 'POST',
        headers: json(tokens.workforceManager),
        body: JSON.stringify({ venue: WORKFORCE_VENUE, functionalArea: 'VEN', role: `Fault suite usher ${writer}`, start: local(shiftStart), end: local(shiftStart + 8 * 3_600_000), headcount: 10_000 }),
      });
      expect({ shift: created.status }).toEqual({ shift: 201 });
      workforceShifts.push(((await created.json()) as { id: string }).id);
    }

    // The loads.
    const accepted = {
      results: [] as { rsc: string; version: number; documentKey: string }[],
      changes: [] as { rsc: string; changeId: string | null }[],
      athletes: new Map<string, { id: string; familyName: string; inFlight?: string }>(),
      entries: new Map<string, { status: 'ENTERED' | 'WITHDRAWN'; inFlight?: 'WITHDRAWN' }>(),
      applications: new Map<string, { state: string }>(),
      cards: new Set<string>(),
      /** volunteers: each application answered 201 (or found stored), by family name, as far as answered. */
      volunteers: new Map<string, { id: string; stage: string }>(),
      /** volunteers answered confirmed (a hand-over each). */
      handovers: new Set<string>(),
      /** workforce: each member answered 201 (or found stored), by family name. */
      members: new Map<string, string>(),
      /** workforce: each assignment answered 201 (or found in the roster), as far as answered. */
      assignments: new Map<string, { memberId: string; shiftId: string; status: string }>(),
      /** workforce: the cards published (card number -> member id), kept for the whole run. */
      memberCards: new Map<string, string>(),
      /** The volunteers' confirmed hand-overs published by the suite (volunteer ids), kept for the whole run. */
      handoversPublished: new Set<string>(),
      /** workforce: what its loads were answered over the run (members, assignments, check-ins, check-outs). */
      workforce: { members: 0, assignments: 0, checkIns: 0, checkOuts: 0 },
    };
    for (const rsc of RESULT_UNITS) loads.push(resultsLoad(rsc));
    for (const rsc of SCHEDULE_UNITS) loads.push(scheduleLoad(rsc));
    for (const writer of [1, 2]) loads.push(entriesLoad(writer), accreditationLoad(writer), volunteersLoad(writer), workforceLoad(writer));
    loads.push(handoverPublisher());

    async function resultsLoad(rsc: string): Promise<void> {
      for (let version = 1; !stopLoad && version < 100_000; ) {
        const body = makeResultMessage({ rsc, version, resultStatus: 'LIVE', seed: version }).xml;
        const answer = await call(attempts, 'results-ingest', `${managed('results-ingest').url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/xml', 'x-api-key': API_KEY },
          body,
        });
        if (!answer) continue;
        const ack = JSON.parse(answer.text) as { documentKey: string; version: number };
        accepted.results.push({ rsc, version, documentKey: ack.documentKey });
        version++;
        await sleep(100);
      }
    }

    async function scheduleLoad(rsc: string): Promise<void> {
      const base = Date.parse('2024-08-02T08:00:00Z');
      for (let k = 1; !stopLoad && k < 100_000; ) {
        const start = new Date(base + (k % 120) * 60_000).toISOString();
        const change = { kind: 'moveUnit', rsc, start };
        const url = `${managed('schedules').url}/v1/editions/${EDITION}/changes`;
        const planned = await call(attempts, 'schedules', `${url}?dryRun=true`, { method: 'POST', headers: json(tokens.manager), body: JSON.stringify({ change }) });
        if (!planned) continue;
        const { versions } = JSON.parse(planned.text) as { versions: { units: Record<string, number>; sessions: Record<string, number> } };
        const applied = await call(
          attempts,
          'schedules',
          url,
          { method: 'POST', headers: json(tokens.manager), body: JSON.stringify({ change, expectedVersions: versions, allowConflicts: true, reason: 'fault suite' }) },
          [409],
        );
        if (!applied) continue;
        if (applied.status === 409) continue; // stale-version: an earlier attempt applied it meanwhile; planned again
        accepted.changes.push({ rsc, changeId: (JSON.parse(applied.text) as { changeId: string | null }).changeId });
        k++;
        await sleep(100);
      }
    }

    async function entriesLoad(writer: number): Promise<void> {
      const event = ENTRY_EVENTS[writer % 2];
      // The current process's address at each request (a killed service comes back on another port).
      const base = () => `${managed('entries').url}/v1/editions/${EDITION}`;
      for (let k = 1; !stopLoad && k < 100_000; ) {
        // An athlete with a mark meeting the event's entry standard (registered, then renamed).
        const ifId = `FLT-${writer}-${k}`;
        const url = () => `${base()}/athletes`;
        const body = {
          noc: 'FRA',
          ifId,
          familyName: `Fault${k}`,
          gender: event.gender,
          birthDate: '2000-01-01',
          performances: [{ event: event.rsc, mark: event.mark, date: '2024-01-10' }],
        };
        const created = await call(attempts, 'entries', url(), { method: 'POST', headers: json(tokens.noc), body: JSON.stringify(body) }, [409]);
        if (!created) continue;
        let id: string | undefined;
        if (created.status === 409) {
          // athlete-exists: an attempt whose answer was lost had registered it.
          const list = await call(attempts, 'entries', `${url()}?noc=FRA&limit=1000`, { headers: json(tokens.noc) });
          if (!list) continue;
          id = (JSON.parse(list.text) as { id: string; ifId: string }[]).find((a) => a.ifId === ifId)?.id;
          if (!id) throw new Error(`${ifId}: 409 athlete-exists, yet not in the list`);
        } else id = (JSON.parse(created.text) as { id: string }).id;
        accepted.athletes.set(ifId, { id, familyName: body.familyName });
        const familyName = `Renamed${k}`;
        while (!stopLoad) {
          // Sent, not yet answered: the checks may see either name meanwhile.
          accepted.athletes.set(ifId, { id, familyName: body.familyName, inFlight: familyName });
          const patched = await call(attempts, 'entries', `${url()}/${id}`, { method: 'PATCH', headers: json(tokens.noc), body: JSON.stringify({ familyName }) });
          if (!patched) continue;
          accepted.athletes.set(ifId, { id, familyName });
          break;
        }
        // Entered by name, then withdrawn (which frees the NOC's place for the next one: at most 3 per NOC).
        let entryId: string | undefined;
        while (!stopLoad && !entryId) {
          const entered = await call(attempts, 'entries', `${base()}/entries`, {
            method: 'POST',
            headers: json(tokens.noc),
            body: JSON.stringify({ event: event.rsc, athleteId: id, eligibilityConfirmed: true }),
          });
          if (entered) {
            entryId = (JSON.parse(entered.text) as { id: string }).id;
            break;
          }
          // Refused: an attempt whose answer was lost may have entered the athlete; look before sending it again.
          const list = await call(attempts, 'entries', `${base()}/entries?event=${event.rsc}&noc=FRA&status=ENTERED&limit=2000`, { headers: json(tokens.noc) });
          if (!list) continue;
          entryId = (JSON.parse(list.text) as { id: string; members: { athleteId: string }[] }[]).find((e) => e.members.some((m) => m.athleteId === id))?.id;
        }
        if (!entryId) return;
        accepted.entries.set(entryId, { status: 'ENTERED' });
        while (!stopLoad) {
          accepted.entries.set(entryId, { status: 'ENTERED', inFlight: 'WITHDRAWN' });
          // 409 entry-not-active: an attempt whose answer was lost withdrew it.
          const withdrawn = await call(attempts, 'entries', `${base()}/entries/${entryId}/withdraw`, { method: 'POST', headers: json(tokens.noc), body: JSON.stringify({ reason: 'fault suite' }) }, [409]);
          if (!withdrawn) continue;
          accepted.entries.set(entryId, { status: 'WITHDRAWN' });
          break;
        }
        k++;
        await sleep(100);
      }
    }

    async function accreditationLoad(writer: number): Promise<void> {
      // The current process's address at each request (a killed service comes back on another port).
      const url = () => `${managed('accreditation').url}/v1/editions/${EDITION}/applications`;
      const get = async (id: string) => {
        const got = await call(attempts, 'accreditation', `${managed('accreditation').url}/v1/editions/${EDITION}/applications/${id}`, { headers: json(tokens.accreditation) });
        return got ? (JSON.parse(got.text) as { state: string; vetting?: { result: string | null } }) : undefined;
      };
      for (let k = 1; !stopLoad && k < 100_000; ) {
        const familyName = `Fault${writer}x${k}`;
        const body = { organisation: ACCREDITATION_ORG, category: ACCREDITATION_CATEGORY, familyName, givenName: 'Suite', dateOfBirth: '1990-01-01', nationality: 'FRA' };
        let id: string | undefined;
        while (!stopLoad && !id) {
          const submitted = await call(attempts, 'accreditation', url(), { method: 'POST', headers: json(tokens.accreditation), body: JSON.stringify(body) });
          if (submitted) {
            id = (JSON.parse(submitted.text) as { id: string }).id;
            break;
          }
          // Refused: an attempt whose answer was lost may have taken the place; look before sending it again.
          id = await findApplication(familyName);
        }
        if (!id) return;
        accepted.applications.set(id, { state: 'submitted' });
        // Through the workflow to a card: each step as the application's state says (a step whose answer was lost is
        // seen done, not sent again).
        let state: { state: string; vetting?: { result: string | null } } | undefined = { state: 'submitted' };
        for (let steps = 0; !stopLoad && state?.state !== 'card-issued' && steps < 1_000; steps++) {
          let answer: Answer | undefined;
          const current = state?.state;
          if (current === 'submitted') {
            answer = await call(attempts, 'accreditation', `${url()}/${id}/transitions`, { method: 'POST', headers: json(tokens.accreditation), body: JSON.stringify({ to: 'vetting', reason: 'fault suite' }) }, [409]);
          } else if (current === 'vetting' && state?.vetting?.result !== 'cleared') {
            answer = await call(attempts, 'accreditation', `${url()}/${id}/vetting`, { method: 'PUT', headers: json(tokens.accreditation), body: JSON.stringify({ result: 'cleared' }) }, [409]);
          } else if (current === 'vetting') {
            answer = await call(attempts, 'accreditation', `${url()}/${id}/transitions`, { method: 'POST', headers: json(tokens.accreditation), body: JSON.stringify({ to: 'approved', reason: 'fault suite' }) }, [409]);
          } else if (current === 'approved') {
            answer = await call(attempts, 'accreditation', `${url()}/${id}/card`, { method: 'POST', headers: json(tokens.accreditation), body: JSON.stringify({ reason: 'fault suite' }) }, [409]);
            if (answer?.status === 201) accepted.cards.add((JSON.parse(answer.text) as { cardNumber: string }).cardNumber);
          } else if (current !== undefined) throw new Error(`application ${id}: unexpected state ${current}`);
          // Where it stands now (after a refusal or a 409 too: an attempt whose answer was lost may have moved it).
          state = await get(id);
          if (state) accepted.applications.set(id, { state: state.state });
          else if (answer && answer.status < 300 && current) accepted.applications.set(id, { state: ANSWERED_STATE[current] ?? current });
        }
        k++;
        await sleep(100);
      }
    }

    /**
     * volunteers: writer 1 is a manager loading one applicant at a time through the bulk path, writer 2 an applicant
     * posting the portal's form; every other application is then taken by a recruiter through the pipeline (screened,
     * an interview slot booked, interviewed, trained, offered), accepted by its applicant on the portal with the status
     * token, and confirmed: a hand-over published through the VOLUNTEERS outbox.
     */
    async function volunteersLoad(writer: number): Promise<void> {
      const base = () => `${managed('volunteers').url}/v1/editions/${EDITION}`;
      const recruiter = json(tokens.recruiter);
      const get = async (id: string) => {
        const got = await call(attempts, 'volunteers', `${base()}/applications/${id}`, { headers: recruiter });
        return got ? (JSON.parse(got.text) as { stage: string }).stage : undefined;
      };
      for (let k = 1; !stopLoad && k < 100_000; ) {
        const familyName = `Volunteer${writer}x${k}`;
        const input = {
          familyName,
          givenName: 'Suite',
          email: `v${writer}x${k}@example.org`,
          dateOfBirth: '1990-01-01',
          nationality: 'FRA',
          languages: [{ code: 'fr', level: 'native' }],
          drivingLicence: false,
          availability: [{ from: '2024-07-20', to: '2024-08-11' }],
          fields: ['sport'],
          tshirtSize: 'M',
          consent: true,
          locale: 'fr',
        };
        let id: string | undefined;
        let statusToken: string | undefined;
        while (!stopLoad && !id) {
          if (writer === 1) {
            const answer = await call(attempts, 'volunteers', `${base()}/applications/bulk`, {
              method: 'POST',
              headers: json(tokens.volunteerManager),
              body: JSON.stringify({ applications: [input] }),
            });
            const row = answer ? (JSON.parse(answer.text) as { rows: { status: string; id?: string; token?: string; reason?: string }[] }).rows[0] : undefined;
            if (row?.status === 'created') [id, statusToken] = [row.id, row.token];
            else if (row && row.reason !== 'duplicate-application') throw new Error(`${familyName}: bulk row refused: ${JSON.stringify(row)}`);
          } else {
            const form = new URLSearchParams({
              familyName,
              givenName: input.givenName,
              email: input.email,
              dateOfBirth: input.dateOfBirth,
              nationality: input.nationality,
              'language.fr': 'native',
              drivingLicence: 'no',
              'availability.0.from': '2024-07-20',
              'availability.0.to': '2024-08-11',
              'fields.0': 'sport',
              tshirtSize: 'M',
              consent: 'yes',
              locale: 'fr',
            });
            const answer = await call(attempts, 'volunteers', `${managed('volunteers').url}/apply`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, [409]);
            if (answer?.status === 201) {
              statusToken = /\/status\/([A-Za-z0-9_-]{43})/.exec(answer.text)?.[1];
              if (!statusToken) throw new Error(`${familyName}: the portal answered 201 without a status link`);
            }
            // Else a 409 duplicate-application (a post whose answer was lost had stored it) or a refusal: looked up below.
          }
          if (id) break;
          // Refused, or a duplicate: an attempt whose answer was lost may have stored it; look before sending it again.
          id = await findVolunteer(familyName);
        }
        if (!id) return;
        accepted.volunteers.set(familyName, { id, stage: 'applied' });
        // Every other application through the pipeline to its hand-over (only with its status token: a token whose
        // answer was lost is not shown again, and the applicant answers the offer with it).
        let stage: string | undefined = 'applied';
        for (let steps = 0; !stopLoad && statusToken && k % 2 === 1 && stage !== 'confirmed' && steps < 1_000; steps++) {
          let answer: Answer | undefined;
          const move = (body: Record<string, unknown>) =>
            call(attempts, 'volunteers', `${base()}/applications/${id}/transitions`, { method: 'POST', headers: recruiter, body: JSON.stringify({ reason: 'fault suite', ...body }) }, [409]);
          if (stage === 'applied') answer = await move({ to: 'screened' });
          else if (stage === 'screened') {
            // A slot of its own (a slot created twice after a lost answer is an unused slot).
            const slot = await call(attempts, 'volunteers', `${base()}/interview-slots`, {
              method: 'POST',
              headers: recruiter,
              body: JSON.stringify({ startsAt: new Date(Date.now() + 86_400_000).toISOString(), location: 'Fault suite room', capacity: 1 }),
            });
            if (slot) answer = await move({ to: 'interview-booked', slotId: (JSON.parse(slot.text) as { id: string }).id });
          } else if (stage === 'interview-booked') answer = await move({ to: 'interviewed' });
          else if (stage === 'interviewed') answer = await move({ to: 'trained' });
          else if (stage === 'trained') {
            answer = await move({ to: 'offered', role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: new Date(Date.now() + 86_400_000).toISOString() });
          } else if (stage === 'offered') {
            // The applicant's answer on the portal: 303 back to the status page; 409 when no longer offered.
            answer = await call(
              attempts,
              'volunteers',
              `${managed('volunteers').url}/status/${statusToken}/answer`,
              { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=accept', redirect: 'manual' },
              [303, 409],
            );
          } else if (stage === 'accepted') answer = await move({ to: 'confirmed' });
          else if (stage !== undefined) throw new Error(`volunteer ${id}: unexpected stage ${stage}`);
          if (answer?.status === 409 && !answer.text.includes('illegal-transition') && stage !== 'offered') {
            throw new Error(`volunteer ${id} from ${stage}: 409 ${answer.text.slice(0, 300)}`);
          }
          // Where it stands now (after a refusal or a 409 too: an attempt whose answer was lost may have moved it).
          stage = await get(id);
          if (stage) accepted.volunteers.set(familyName, { id, stage });
          if (stage === 'confirmed') accepted.handovers.add(id);
        }
        k++;
        await sleep(100);
      }
    }

    /** The volunteer application of `familyName`, if one was stored (the recruiters' name search). */
    async function findVolunteer(familyName: string): Promise<string | undefined> {
      for (;;) {
        const page = await call(attempts, 'volunteers', `${managed('volunteers').url}/v1/editions/${EDITION}/applications?q=${familyName}&limit=500`, { headers: json(tokens.recruiter) });
        if (!page) continue;
        // A word of q is a prefix: Volunteer1x1 finds Volunteer1x12 too.
        return (JSON.parse(page.text) as { items: { id: string; familyName: string }[] }).items.find((a) => a.familyName === familyName)?.id;
      }
    }

    /**
     * workforce: writer 1 is a manager creating one member at a time through the bulk path, writer 2 one through the
     * single create; each member then gets a card (an accreditation card event published as accreditation would, its
     * source the member), is assigned to the writer's shift by a supervisor (sent again while the card is not taken in
     * yet: 422 rule-violated accreditation), checked in at the desk by its card number and, every other one, checked out.
     */
    async function workforceLoad(writer: number): Promise<void> {
      const shiftId = workforceShifts[writer - 1] ?? '';
      const supervisor = json(tokens.supervisor);
      const desk = json(tokens.desk);
      for (let k = 1; !stopLoad && k < 100_000; ) {
        const familyName = `Worker${writer}x${k}`;
        const body = {
          type: 'staff',
          familyName,
          givenName: 'Suite',
          dateOfBirth: '1990-01-01',
          nationality: 'FRA',
          organisation: ACCREDITATION_ORG,
          role: 'Usher',
          functionalArea: 'VEN',
          homeVenue: WORKFORCE_VENUE,
        };
        let memberId: string | undefined;
        while (!stopLoad && !memberId) {
          if (writer === 1) {
            const answer = await call(attempts, 'workforce', `${workforceBase()}/members/bulk`, { method: 'POST', headers: json(tokens.workforceManager), body: JSON.stringify({ members: [body] }) });
            const row = answer ? (JSON.parse(answer.text) as { rows: { status: string; id?: string }[] }).rows[0] : undefined;
            if (row?.status === 'created') memberId = row.id;
            else if (row) throw new Error(`${familyName}: bulk row refused: ${JSON.stringify(row)}`);
          } else {
            const answer = await call(attempts, 'workforce', `${workforceBase()}/members`, { method: 'POST', headers: json(tokens.workforceManager), body: JSON.stringify(body) });
            if (answer) memberId = (JSON.parse(answer.text) as { id: string }).id;
          }
          // Refused: an attempt whose answer was lost may have stored it; look before sending it again.
          if (!memberId) memberId = await findMember(familyName);
        }
        if (!memberId) return;
        accepted.members.set(familyName, memberId);
        accepted.workforce.members++;
        // Its card, as accreditation publishes it (sent again with the same envelope id until JetStream acknowledges it).
        const cardNumber = `FLT-${writer}-${k}`;
        const card: CardState = {
          cardNumber,
          edition: EDITION,
          holder: randomUUID(),
          category: ACCREDITATION_CATEGORY,
          venues: ['ALL'],
          zones: ['ALL'],
          transport: [],
          dining: [],
          validFrom: '2024-01-01T00:00:00.000Z',
          validTo: '2099-12-31T00:00:00.000Z',
          status: 'active',
          credentialId: null,
          version: 1,
          updatedAt: new Date().toISOString(),
          source: { service: 'workforce', id: memberId },
        };
        if (!(await publishUntilAcked((id) => publishEvent(nc, { prefix }, 'oms.accreditation.v1.card.{edition}.changed', card, { tokens: { edition: EDITION }, id })))) return;
        accepted.memberCards.set(cardNumber, memberId);
        // Assigned to the writer's shift.
        let assignmentId: string | undefined;
        const waitingSince = Date.now();
        while (!stopLoad && !assignmentId) {
          const answer = await call(
            attempts,
            'workforce',
            `${workforceBase()}/shifts/${shiftId}/assignments`,
            { method: 'POST', headers: supervisor, body: JSON.stringify({ memberId, reason: 'fault suite' }) },
            [409, 422],
          );
          if (answer?.status === 201) {
            assignmentId = (JSON.parse(answer.text) as { id: string }).id;
            break;
          }
          if (answer?.status === 422) {
            // The card not taken in yet by workforce's card consumer: the only rule this member may break.
            const { violations } = JSON.parse(answer.text) as { violations?: { rule: string }[] };
            if (!violations?.every((v) => v.rule === 'accreditation')) throw new Error(`${familyName}: assignment refused: ${answer.text.slice(0, 300)}`);
            if (Date.now() - waitingSince > 60_000) throw new Error(`${familyName}: card ${cardNumber} not taken in by workforce within 60 s`);
            await sleep(250);
            continue;
          }
          if (answer?.status === 409 && !answer.text.includes('/problems/already-assigned')) throw new Error(`${familyName}: assignment refused: ${answer.text.slice(0, 300)}`);
          // Refused, or already-assigned (an attempt whose answer was lost assigned it): look in the member's roster.
          assignmentId = (await roster(memberId)).find((a) => a.shiftId === shiftId)?.id;
        }
        if (!assignmentId) return;
        accepted.assignments.set(assignmentId, { memberId, shiftId, status: 'assigned' });
        accepted.workforce.assignments++;
        // Checked in at the desk by its card number (409 already-checked-in: an attempt whose answer was lost did it).
        let checkedIn = false;
        while (!stopLoad && !checkedIn) {
          const answer = await call(attempts, 'workforce', `${workforceBase()}/venues/${WORKFORCE_VENUE}/check-ins`, { method: 'POST', headers: desk, body: JSON.stringify({ cardNumber }) }, [409]);
          if (answer?.status === 409 && !answer.text.includes('/problems/already-checked-in')) throw new Error(`${familyName}: check-in refused: ${answer.text.slice(0, 300)}`);
          checkedIn = answer !== undefined;
        }
        if (!checkedIn) return;
        accepted.assignments.set(assignmentId, { memberId, shiftId, status: 'checked-in' });
        accepted.workforce.checkIns++;
        // Every other one checked out (409 not-checked-in: done already if the roster says so).
        for (let out = false; !stopLoad && !out && k % 2 === 1; ) {
          const answer = await call(attempts, 'workforce', `${workforceBase()}/venues/${WORKFORCE_VENUE}/check-outs`, { method: 'POST', headers: desk, body: JSON.stringify({ cardNumber }) }, [409]);
          if (answer?.status === 409) {
            const status = (await roster(memberId)).find((a) => a.id === assignmentId)?.status;
            if (status !== 'checked-out') throw new Error(`${familyName}: check-out refused while ${status}: ${answer.text.slice(0, 300)}`);
          }
          out = answer !== undefined;
          if (out) {
            accepted.assignments.set(assignmentId, { memberId, shiftId, status: 'checked-out' });
            accepted.workforce.checkOuts++;
          }
        }
        k++;
        await sleep(100);
      }
    }

    /** The workforce member of `familyName`, if one was stored (the member list by name). */
    async function findMember(familyName: string): Promise<string | undefined> {
      for (;;) {
        const page = await call(attempts, 'workforce', `${workforceBase()}/members?name=${familyName}&limit=500`, { headers: json(tokens.supervisor) });
        if (!page) continue;
        // The name is a prefix: Worker1x1 finds Worker1x12 too.
        return (JSON.parse(page.text) as { items: { id: string; familyName: string }[] }).items.find((m) => m.familyName === familyName)?.id;
      }
    }

    /** A workforce member's roster (its assignments), read until answered. */
    async function roster(memberId: string): Promise<{ id: string; shiftId: string; status: string; version: number }[]> {
      for (;;) {
        const page = await call(attempts, 'workforce', `${workforceBase()}/members/${memberId}/assignments`, { headers: json(tokens.supervisor) });
        if (page) return (JSON.parse(page.text) as { items: { id: string; shiftId: string; status: string; version: number }[] }).items;
      }
    }

    /**
     * Volunteers confirmed, published on the suite's NATS as the volunteers service does (a hand-over each 500 ms, every
     * fourth one published once more under another envelope id, as a resend would be): each must become one member.
     */
    async function handoverPublisher(): Promise<void> {
      for (let k = 1; !stopLoad && k < 100_000; k++) {
        const handover: VolunteerHandover = {
          id: randomUUID(),
          edition: EDITION,
          familyName: `Handover${k}`,
          givenName: 'Suite',
          dateOfBirth: '1995-05-14',
          nationality: 'FRA',
          role: 'Spectator services',
          functionalArea: 'SPS',
          venue: WORKFORCE_VENUE,
          languages: ['fr'],
          skills: [],
          drivingLicence: false,
          availability: [{ from: '2024-07-20', to: '2024-08-11' }],
          version: 1,
          updatedAt: new Date().toISOString(),
        };
        const confirmed = (id: string) => publishEvent(nc, { prefix }, 'oms.volunteers.v1.volunteer.{edition}.confirmed', handover, { tokens: { edition: EDITION }, id });
        if (!(await publishUntilAcked(confirmed))) return;
        accepted.handoversPublished.add(handover.id);
        if (k % 4 === 0 && !(await publishUntilAcked(confirmed))) return;
        await sleep(500);
      }
    }

    /**
     * Publishes an event (`send` given its envelope id), sent again under the same envelope id (Nats-Msg-Id) until
     * JetStream acknowledges it; false when the load stopped first.
     */
    async function publishUntilAcked(send: (id: string) => Promise<unknown>): Promise<boolean> {
      const id = randomUUID();
      while (!stopLoad) {
        try {
          await send(id);
          return true;
        } catch (error) {
          // NATS restarting (nats.js errors carry a code): the same envelope again (JetStream drops it if the first was
          // stored after all). Anything else (a payload the contract refuses) is the suite's own bug.
          if (typeof (error as { code?: unknown } | null)?.code !== 'string') throw error;
          await sleep(250);
        }
      }
      return false;
    }

    /** The application of the suite's person `familyName`, if one was submitted. */
    async function findApplication(familyName: string): Promise<string | undefined> {
      let cursor: string | null = null;
      for (let pages = 0; pages < 1_000; pages++) {
        const page = await call(
          attempts,
          'accreditation',
          `${managed('accreditation').url}/v1/editions/${EDITION}/applications?organisation=${ACCREDITATION_ORG}&name=${familyName}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { headers: json(tokens.accreditation) },
        );
        if (!page) return findApplication(familyName);
        const { items, nextCursor } = JSON.parse(page.text) as { items: { id: string; familyName: string }[]; nextCursor: string | null };
        const found = items.find((a) => a.familyName === familyName);
        if (found) return found.id;
        if (!nextCursor) return undefined;
        cursor = nextCursor;
      }
      return undefined;
    }

    // results-distribution's followers: a CIS client and an SSE client, each resuming when its connection ends.
    const cis = new ResumingCis(() => managed('results-distribution').process.wsUrl);
    followers = { cis };
    await cis.open();
    sse = new SseFollower(() => managed('results-distribution').url);
    sse.start();

    await waitFor(() => accepted.results.length >= 20 && accepted.changes.length >= 4 && accepted.entries.size >= 4 && accepted.cards.size >= 4 && accepted.handovers.size >= 2 && accepted.workforce.checkIns >= 4 && accepted.handoversPublished.size >= 2, {
      timeoutMs: 60_000,
      description: 'the loads running (20 results, 4 schedule changes, 4 entries, 4 cards, 2 volunteers confirmed, 4 workforce check-ins, 2 hand-overs published)',
    });
    const jsm = await nc.jetstreamManager({ timeout: 10_000 });
    const pids = new Map(SERVICES.map((s) => [s, managed(s).process.pid]));

    for (const fault of FAULTS) {
      await sleep(SETTLE_MS);
      const watches = new Map(SERVICES.map((s) => [s, new ReadinessWatch(() => managed(s).process.ready())]));
      for (const w of watches.values()) w.start();
      watching.splice(0, watching.length, ...watches.values());
      const since = attempts.length;
      const faultAt = Date.now();
      let note = '';
      let killed: Service | undefined;
      if (fault === 'postgres-fast' || fault === 'postgres-immediate') {
        const { downMs } = await pg.restart(fault === 'postgres-fast' ? 'fast' : 'immediate');
        note = `PostgreSQL down ${downMs} ms`;
      } else if (fault === 'nats-restart') {
        // Every server of the cluster: NATS is gone as a whole, then back on the same ports and stores.
        await Promise.all(nats.nodes.map((node) => node.kill('SIGTERM')));
        await Promise.all(nats.nodes.map((node) => node.start()));
        note = `NATS down ${Date.now() - faultAt} ms`;
      } else if (fault === 'postgres-pause') {
        await pg.pause();
        await sleep(PAUSE_MS);
        await pg.resume();
        note = `PostgreSQL frozen ${Date.now() - faultAt} ms`;
      } else {
        killed = fault.slice('kill-'.length) as Service;
        await managed(killed).killAndStart();
        pids.set(killed, managed(killed).process.pid);
        note = `${killed} killed and ready again after ${Date.now() - faultAt} ms`;
      }
      // Recovery under load, then the checks.
      // Every service ready again within the bound; a process that exited never will be: said at once, with its log.
      for (let polls = 0; ; polls++) {
        const exited = SERVICES.find((s) => !managed(s).process.running);
        if (exited) throw new Error(`${exited} exited during ${fault}:\n${managed(exited).process.logs().slice(-3_000)}`);
        const ready = await Promise.all(SERVICES.map((s) => managed(s).process.ready()));
        if (ready.every(Boolean)) break;
        if (Date.now() - faultAt > READY_BOUND_MS || polls > 1_000) {
          throw new Error(`not ready ${READY_BOUND_MS} ms after ${fault}: ${SERVICES.filter((_, i) => !ready[i]).join(', ')}`);
        }
        await sleep(200);
      }
      const readyAt = Date.now();
      await sleep(SETTLE_MS);
      for (const w of watches.values()) await w.stop();

      // The processes still run, the same ones (but the one killed).
      for (const s of SERVICES) {
        expect({ service: s, running: managed(s).process.running, pid: managed(s).process.pid }).toEqual({ service: s, running: true, pid: pids.get(s) });
      }
      expect({ fault, readyWithinMs: readyAt - faultAt <= READY_BOUND_MS }).toEqual({ fault, readyWithinMs: true });
      for (const s of SERVICES) {
        const w = watches.get(s);
        const mine = attempts.slice(since).filter((a) => a.service === s);
        const failed = mine.filter((a) => a.kind !== 'ok');
        rows.push({
          fault,
          service: s,
          writesBackMs: Math.max(0, ...failed.filter((a) => a.kind !== 'conflict').map((a) => a.endedAt - faultAt)),
          refused: failed.filter((a) => a.kind === '503').length,
          conflicts: failed.filter((a) => a.kind === 'conflict').length,
          unreachable: failed.filter((a) => a.kind === 'unreachable').length,
          unready: w?.firstUnready === undefined ? undefined : { fromMs: w.firstUnready - faultAt, backMs: (w.readyAgain ?? readyAt) - faultAt },
          longestRequestMs: Math.max(0, ...mine.map((a) => a.endedAt - a.startedAt)),
          note,
        });
      }
      // Every load carries on: each writing service answered a request sent after all were ready again (a load stuck
      // on a gone process's address, or a service that stopped serving, shows here).
      for (const [s] of OUTBOXES) {
        const progressed = attempts.slice(since).some((a) => a.service === s && a.kind === 'ok' && a.startedAt >= readyAt);
        expect({ fault, service: s, answeredAfterReady: progressed }).toEqual({ fault, service: s, answeredAfterReady: true });
      }
      await checkInvariants(fault);
      // The followers as they are once they caught up (reconnections included).
      const last = rows.at(-1);
      if (last) last.note = `${note}; ${cis.describe()}; ${sse?.describe() ?? ''}`;
    }

    stopLoad = true;
    await Promise.all(loads);
    await checkInvariants('end');
    printTable(rows);
    const byService = SERVICES.map((s) => {
      const mine = attempts.filter((a) => a.service === s);
      const errors = new Map<string, number>();
      for (const a of mine) if (a.error) errors.set(a.error, (errors.get(a.error) ?? 0) + 1);
      const unreachable = [...errors].map(([e, n]) => `${n} ${e}`).join(', ') || 'none';
      return `${s} ${mine.length} requests, ${mine.filter((a) => a.kind === 'ok').length} answered, ${mine.filter((a) => a.kind === 'conflict').length} serialization conflicts, unreachable: ${unreachable}`;
    });
    console.log(`Over the run: ${byService.join('; ')}`);
    const w = accepted.workforce;
    console.log(
      `workforce's loads: ${w.members} members, ${w.assignments} assignments, ${w.checkIns} check-ins, ${w.checkOuts} check-outs, ${accepted.memberCards.size} cards published; ` +
        `volunteers confirmed made members: ${accepted.handoversPublished.size} published by the suite, ${accepted.handovers.size} by the volunteers service`,
    );
    expect(violations).toEqual([]);

    /**
     * workforce's invariants: every member answered 201 (or found stored) is there once by name; every assignment
     * answered 201 (or found) is once in its member's roster, at least as far as answered; every card published is
     * taken in for its member and every volunteer confirmed (the suite's and the volunteers service's) made exactly one
     * member; the durable consumers have nothing left behind; one member.changed / assignment.changed per version of
     * each of those (the versions read before the outbox is seen drained again, so that each of them is in the stream).
     */
    async function checkWorkforce(after: string, volunteersConfirmed: string[]): Promise<void> {
      const versions: { kind: 'member' | 'assignment'; id: string; version: number }[] = [];
      for (const [familyName, id] of [...accepted.members]) {
        accepted.members.delete(familyName);
        const res = await fetch(`${workforceBase()}/members?name=${familyName}&limit=500`, { headers: json(tokens.supervisor) });
        const found = res.status === 200 ? ((await res.json()) as { items: { id: string; familyName: string; version: number }[] }).items.filter((m) => m.familyName === familyName) : [];
        expect({ after, familyName, status: res.status, ids: found.map((m) => m.id) }).toEqual({ after, familyName, status: 200, ids: [id] });
        versions.push({ kind: 'member', id, version: found[0]?.version ?? 0 });
      }
      for (const [id, { memberId, shiftId, status }] of [...accepted.assignments]) {
        if (accepted.assignments.get(id)?.status === status) accepted.assignments.delete(id);
        const res = await fetch(`${workforceBase()}/members/${memberId}/assignments`, { headers: json(tokens.supervisor) });
        const found = res.status === 200 ? ((await res.json()) as { items: { id: string; shiftId: string; status: string; version: number }[] }).items.filter((a) => a.shiftId === shiftId) : [];
        const got = found.map((a) => (a.id === id && ASSIGNMENT_ORDER.indexOf(a.status) >= ASSIGNMENT_ORDER.indexOf(status) ? status : `${a.id} ${a.status}`));
        expect({ after, assignment: id, status: res.status, statuses: got }).toEqual({ after, assignment: id, status: 200, statuses: [status] });
        versions.push({ kind: 'assignment', id, version: found[0]?.version ?? 0 });
      }
      // The consumers: every card published taken in for its member, every volunteer confirmed one member.
      const cards = [...accepted.memberCards];
      const handedOver = [...new Set([...accepted.handoversPublished, ...volunteersConfirmed])];
      const url = databaseUrls.get('workforce') ?? '';
      const behind = async () =>
        withPg(url, async (c) => {
          const kept = new Map((await c.query<{ card_number: string; member_id: string | null }>('SELECT card_number, member_id FROM member_card WHERE card_number = ANY($1)', [cards.map(([n]) => n)])).rows.map((r) => [r.card_number, r.member_id]));
          const members = new Map(
            (await c.query<{ volunteer_id: string; n: string; id: string; version: number }>(
              'SELECT volunteer_id, count(*) OVER (PARTITION BY volunteer_id) AS n, id, version FROM member WHERE edition = $1 AND volunteer_id = ANY($2::uuid[])',
              [EDITION, handedOver],
            )).rows.map((r) => [r.volunteer_id, r]),
          );
          return {
            cards: cards.filter(([n, memberId]) => kept.get(n) !== memberId).map(([n]) => n),
            volunteers: handedOver.filter((v) => Number(members.get(v)?.n ?? 0) !== 1),
            members: [...members.values()],
          };
        });
      let state = await behind();
      for (const started = Date.now(); (state.cards.length > 0 || state.volunteers.length > 0) && Date.now() - started < 30_000; ) {
        await sleep(250);
        state = await behind();
      }
      expect({ after, cardsNotTakenIn: state.cards, volunteersNotOneMember: state.volunteers }).toEqual({ after, cardsNotTakenIn: [], volunteersNotOneMember: [] });
      for (const m of state.members) versions.push({ kind: 'member', id: m.id, version: m.version });
      // workforce's durable consumers: each has acknowledged what its streams held when the check began (or has
      // nothing pending at all): none stuck on a message after the fault.
      for (const stream of ['VOLUNTEERS', 'ACCREDITATION', 'SCHEDULES']) {
        const name = `${namePrefix}${stream}`;
        const lastSeq = (await jsm.streams.info(name)).state.last_seq;
        const durables = (await jsm.consumers.list(name).next()).filter((ci) => ci.name.startsWith(`${namePrefix}workforce-`)).map((ci) => ci.name);
        expect({ after, stream, durables: durables.length > 0 }).toEqual({ after, stream, durables: true });
        for (const durable of durables) {
          let info = await jsm.consumers.info(name, durable);
          const caughtUp = () => (info.num_pending === 0 && info.num_ack_pending === 0) || info.ack_floor.stream_seq >= lastSeq;
          for (const started = Date.now(); !caughtUp() && Date.now() - started < 30_000; ) {
            await sleep(200);
            info = await jsm.consumers.info(name, durable);
          }
          expect({ after, durable, pending: info.num_pending, ackPending: info.num_ack_pending, caughtUp: caughtUp() }).toEqual({
            after,
            durable,
            pending: info.num_pending,
            ackPending: info.num_ack_pending,
            caughtUp: true,
          });
        }
      }
      // One event per version: each version from 1 to the one read is in WORKFORCE once (later ones may follow).
      await waitFor(async () => (await outboxPending(url)) === 0, { timeoutMs: 30_000, intervalMs: 250, description: `workforce's outbox drained after ${after}` });
      const events = new Map<string, number>();
      for (const m of await streamMessages(jsm, `${namePrefix}WORKFORCE`)) {
        const { type, data } = JSON.parse(m.data) as { type: string; data: { id: string; version: number } };
        const key = `${type.includes('.assignment.') ? 'assignment' : 'member'} ${data.id} v${data.version}`;
        events.set(key, (events.get(key) ?? 0) + 1);
      }
      const notOnce = versions.flatMap(({ kind, id, version }) =>
        Array.from({ length: Math.max(1, version) }, (_, i) => `${kind} ${id} v${i + 1}`).filter((key) => events.get(key) !== 1).map((key) => `${key}: ${events.get(key) ?? 0}`),
      );
      expect({ after, versions: versions.length, eventsNotOnce: notOnce }).toEqual({ after, versions: versions.length, eventsNotOnce: [] });
    }

    /** The invariants that must hold after every fault (see the file's comment). */
    async function checkInvariants(after: string): Promise<void> {
      expect({ after, violations }).toEqual({ after, violations: [] });
      // The hand-overs answered so far (before the outboxes are seen drained: each of them then is in its stream).
      const confirmed = [...accepted.handovers];
      // Every outbox drained.
      for (const [s] of OUTBOXES) {
        await waitFor(async () => (await outboxPending(databaseUrls.get(s) ?? '')) === 0, {
          timeoutMs: 30_000,
          intervalMs: 250,
          description: `${s}'s outbox drained after ${after}`,
        });
      }
      // Nothing published twice, nothing lost between the outbox and the stream.
      for (const [s, stream] of OUTBOXES) {
        // The outbox's published rows first: the load goes on, and rows published after the stream was read are not in it.
        const outbox = await outboxEventIds(databaseUrls.get(s) ?? '');
        const ids = await msgIds(jsm, `${namePrefix}${stream}`);
        const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
        expect({ after, stream, duplicates: dupes }).toEqual({ after, stream, duplicates: [] });
        const published = new Set(ids);
        expect({ after, stream, missing: outbox.filter((id) => !published.has(id)) }).toEqual({ after, stream, missing: [] });
      }
      // Every result answered 200 is in RESULTS once.
      // (Those answered so far: the load goes on while the stream is read.)
      const answered = [...accepted.results];
      const stored = await resultKeys(jsm, `${namePrefix}RESULTS`);
      const lost = answered.filter((r) => (stored.get(`${r.documentKey}#${r.version}`) ?? 0) !== 1);
      expect({ after, results: answered.length, lostOrTwice: lost }).toEqual({ after, results: answered.length, lostOrTwice: [] });
      // Every schedule change answered 200 is in the history.
      for (const { changeId } of accepted.changes.splice(0)) {
        if (changeId === null) continue;
        const res = await fetch(`${managed('schedules').url}/v1/editions/${EDITION}/changes/${changeId}`, { headers: json(tokens.manager) });
        expect({ after, changeId, status: res.status }).toEqual({ after, changeId, status: 200 });
      }
      // Every write is checked once, after the fault that follows its answer (then forgotten: a later answer about the
      // same athlete, entry or application puts it back), so that the checks do not grow with the run.
      // Every athlete answered 2xx is there, with the last name answered 200.
      for (const [ifId, { id, familyName, inFlight }] of [...accepted.athletes]) {
        if (accepted.athletes.get(ifId)?.inFlight === undefined) accepted.athletes.delete(ifId);
        const res = await fetch(`${managed('entries').url}/v1/editions/${EDITION}/athletes/${id}`, { headers: json(tokens.noc) });
        const got = res.status === 200 ? ((await res.json()) as { familyName: string }).familyName : `HTTP ${res.status}`;
        // The rename still in flight may have been applied already; any other name is a lost or unanswered write.
        expect({ after, ifId, familyName: got === inFlight ? familyName : got }).toEqual({ after, ifId, familyName });
      }
      // Every entry answered 201 is there, withdrawn when its withdrawal was answered.
      for (const [entryId, { status, inFlight }] of [...accepted.entries]) {
        if (accepted.entries.get(entryId)?.inFlight === undefined) accepted.entries.delete(entryId);
        const res = await fetch(`${managed('entries').url}/v1/editions/${EDITION}/entries/${entryId}`, { headers: json(tokens.noc) });
        const got = res.status === 200 ? ((await res.json()) as { status: string }).status : `HTTP ${res.status}`;
        expect({ after, entryId, status: got === inFlight ? status : got }).toEqual({ after, entryId, status });
      }
      // Every application answered 201 is there, at least as far as the last step answered; every card answered 201
      // is there; the quota counts each application once (a place neither lost nor taken twice).
      for (const [id, { state }] of [...accepted.applications]) {
        if (accepted.applications.get(id)?.state === state) accepted.applications.delete(id);
        const res = await fetch(`${managed('accreditation').url}/v1/editions/${EDITION}/applications/${id}`, { headers: json(tokens.accreditation) });
        const got = res.status === 200 ? ((await res.json()) as { state: string }).state : `HTTP ${res.status}`;
        const forward = APPLICATION_ORDER.indexOf(got) >= APPLICATION_ORDER.indexOf(state);
        expect({ after, id, state: forward ? state : got }).toEqual({ after, id, state });
      }
      for (const cardNumber of [...accepted.cards]) {
        accepted.cards.delete(cardNumber);
        const res = await fetch(`${managed('accreditation').url}/v1/cards/${cardNumber}`, { headers: json(tokens.accreditation) });
        expect({ after, cardNumber, status: res.status }).toEqual({ after, cardNumber, status: 200 });
      }
      const quota = await withPg(databaseUrls.get('accreditation') ?? '', async (c) => {
        const { rows } = await c.query<{ used: number; applications: string }>(
          `SELECT q.used, (SELECT count(*) FROM application a WHERE a.edition = q.edition AND a.organisation = q.organisation
             AND a.category = q.category AND a.state <> 'rejected') AS applications
           FROM quota q WHERE q.edition = $1 AND q.organisation = $2 AND q.category = $3`,
          [EDITION, ACCREDITATION_ORG, ACCREDITATION_CATEGORY],
        );
        return { used: rows[0]?.used, applications: Number(rows[0]?.applications) };
      });
      expect({ after, quotaUsed: quota.used }).toEqual({ after, quotaUsed: quota.applications });
      // Every volunteer application answered 201 (or found stored) is there once, at least as far as answered; every
      // hand-over answered (confirmed) is in VOLUNTEERS once.
      for (const [familyName, { id, stage }] of [...accepted.volunteers]) {
        if (accepted.volunteers.get(familyName)?.stage === stage) accepted.volunteers.delete(familyName);
        const res = await fetch(`${managed('volunteers').url}/v1/editions/${EDITION}/applications?q=${familyName}&limit=500`, { headers: json(tokens.recruiter) });
        const found = res.status === 200 ? ((await res.json()) as { items: { id: string; familyName: string; stage: string }[] }).items.filter((a) => a.familyName === familyName) : [];
        const got = found.map((a) => (a.id === id && VOLUNTEER_ORDER.indexOf(a.stage) >= VOLUNTEER_ORDER.indexOf(stage) ? stage : `${a.id} ${a.stage}`));
        expect({ after, familyName, status: res.status, stages: got }).toEqual({ after, familyName, status: 200, stages: [stage] });
      }
      const handovers = new Map<string, number>();
      for (const m of await streamMessages(jsm, `${namePrefix}VOLUNTEERS`)) {
        const { type, data } = JSON.parse(m.data) as { type: string; data: { id: string } };
        if (type.endsWith('.confirmed.v1')) handovers.set(data.id, (handovers.get(data.id) ?? 0) + 1);
      }
      expect({ after, handovers: confirmed.length, missingOrTwice: confirmed.filter((id) => handovers.get(id) !== 1) }).toEqual({ after, handovers: confirmed.length, missingOrTwice: [] });
      await checkWorkforce(after, confirmed);
      // results-distribution's clients got the last accepted version of every document (resuming where needed).
      const last = new Map<string, number>();
      for (const r of accepted.results) last.set(r.documentKey, Math.max(last.get(r.documentKey) ?? 0, r.version));
      const missing = () => [...last].filter(([key, version]) => !(cis.has(key, version) && (sse?.has(key, version) ?? false)));
      try {
        await waitFor(() => missing().length === 0, { timeoutMs: 30_000, intervalMs: 200 });
      } catch (error) {
        // Said as things stand at the end of the wait (a description given to waitFor is made before it).
        const late = missing().map(([key, version]) => `${key} v${version}: CIS ${cis.has(key, version)}, SSE ${sse?.has(key, version) ?? false}`);
        throw new Error(`results-distribution's CIS and SSE clients did not get every document's last version within 30 s after ${after}: ${late.join('; ')} (${cis.describe()}; ${sse?.describe() ?? ''})`, { cause: error });
      }
      expect({ after, cis: cis.problems() }).toEqual({ after, cis: [] });
    }
  }, (FULL ? 20 : 8) * 60_000);
});

function json(bearer: string): Record<string, string> {
  return { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
}

/** A token the services accept (public-key mode, signed with the run's key). */
function token(key: KeyObject, sub: string, roles: string[], noc?: string): Promise<string> {
  return new SignJWT({ roles, ...(noc ? { noc } : {}) })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(key);
}

async function withPg<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function outboxPending(url: string): Promise<number> {
  return withPg(url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM outbox_event WHERE published_at IS NULL')).rows[0]?.n));
}

async function outboxEventIds(url: string): Promise<string[]> {
  return withPg(url, async (c) => (await c.query<{ event_id: string }>('SELECT event_id FROM outbox_event WHERE published_at IS NOT NULL')).rows.map((r) => r.event_id));
}

/** Each message's Nats-Msg-Id, read one by one (direct gets; the streams hold a few thousand at most). */
const readCache = new Map<string, { seq: number; msgId: string; data: string }[]>();
async function streamMessages(jsm: JetStreamManager, stream: string): Promise<{ seq: number; msgId: string; data: string }[]> {
  const cached = readCache.get(stream) ?? [];
  readCache.set(stream, cached);
  const { state } = await jsm.streams.info(stream);
  const from = Math.max(state.first_seq, (cached.at(-1)?.seq ?? 0) + 1);
  for (let seq = from; seq <= state.last_seq && state.messages > 0; seq++) {
    try {
      const m = await jsm.streams.getMessage(stream, { seq });
      cached.push({ seq: m.seq, msgId: m.header.get('Nats-Msg-Id'), data: new TextDecoder().decode(m.data) });
    } catch (error) {
      if (!/no message found/i.test(String(error))) throw error;
    }
  }
  return cached;
}

async function msgIds(jsm: JetStreamManager, stream: string): Promise<string[]> {
  return (await streamMessages(jsm, stream)).map((m) => m.msgId);
}

async function resultKeys(jsm: JetStreamManager, stream: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await streamMessages(jsm, stream)) {
    const { data } = JSON.parse(m.data) as { data: { documentKey: string; version: number } };
    const key = `${data.documentKey}#${data.version}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A CIS client that opens again (resuming after the last sequence it got) when its connection ends. */
class ResumingCis {
  private current?: CisRecorder;
  private readonly closed: CisRecorder[] = [];
  private reconnects = 0;
  private opening?: Promise<void>;
  private lastOpenError?: string;

  constructor(private readonly url: () => string) {}

  async open(): Promise<void> {
    const after = this.lastSeq();
    this.current = await CisRecorder.open(`${this.url()}/v1/cis`, { id: 'ath', discipline: 'ATH', ...(after > 0 ? { after } : {}) });
  }

  private all(): CisRecorder[] {
    return [...this.closed, ...(this.current ? [this.current] : [])];
  }

  private lastSeq(): number {
    return Math.max(0, ...this.all().flatMap((r) => r.updates.map((u) => u.seq)));
  }

  /**
   * Has `version` of `documentKey`, or a later one (reopening first when its connection ended): a resume is conflated,
   * so a LIVE version superseded by a later one in the missed range is rightly left out.
   */
  has(documentKey: string, version: number): boolean {
    if (this.current && this.current.closeCode !== null) {
      this.closed.push(this.current);
      this.current = undefined;
      this.reconnects++;
    }
    if (!this.current && !this.opening) {
      this.opening = this.open()
        .catch((error: unknown) => {
          this.lastOpenError = error instanceof Error ? error.message : String(error);
        })
        .finally(() => (this.opening = undefined));
    }
    return this.all().some((r) => r.updates.some((u) => u.documentKey === documentKey && u.version >= version));
  }

  problems(): string[] {
    return this.all().flatMap((r) => r.problems);
  }

  describe(): string {
    const subscribed = this.current?.subscribed;
    return (
      `CIS: ${this.all().reduce((n, r) => n + r.updates.length, 0)} updates, ${this.reconnects} reconnection(s), ` +
      `${this.current ? this.current.state() : 'reconnecting'}${subscribed ? `, subscribed resumed ${String(subscribed.resumed)} missed ${subscribed.missed}` : ''}` +
      `${this.lastOpenError ? `, last failed open: ${this.lastOpenError}` : ''}`
    );
  }

  close(): void {
    this.current?.close();
  }
}

/** An SSE client of /v1/stream that connects again with Last-Event-ID when its stream ends. */
class SseFollower {
  /** The latest version seen of each document. */
  private readonly seen = new Map<string, number>();
  private controller?: AbortController;
  private running = false;
  private reconnects = 0;
  private lastEventId?: string;
  private loop?: Promise<void>;

  constructor(private readonly url: () => string) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      for (let i = 0; this.running && i < 1_000; i++) {
        this.controller = new AbortController();
        try {
          const res = await fetch(`${this.url()}/v1/stream?discipline=ATH`, {
            headers: this.lastEventId ? { 'last-event-id': this.lastEventId } : {},
            signal: this.controller.signal,
          });
          if (res.body) {
            let buffer = '';
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
              buffer += Buffer.from(chunk).toString();
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                this.record(buffer.slice(0, end));
                buffer = buffer.slice(end + 2);
              }
            }
          }
        } catch {
          // The connection ended (the service restarted, or close()).
        }
        if (!this.running) break;
        this.reconnects++;
        await sleep(250);
      }
    })();
  }

  private record(event: string): void {
    let data = '';
    for (const line of event.split('\n')) {
      if (line.startsWith('id:')) this.lastEventId = line.slice(3).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (!data) return;
    try {
      // A document event, or a snapshot's part: every object with a documentKey and a version.
      const walk = (value: unknown, depth: number): void => {
        if (depth > 4 || typeof value !== 'object' || value === null) return;
        const v = value as { documentKey?: unknown; version?: unknown };
        if (typeof v.documentKey === 'string' && typeof v.version === 'number') this.seen.set(v.documentKey, Math.max(this.seen.get(v.documentKey) ?? 0, v.version));
        for (const child of Object.values(value)) walk(child, depth + 1);
      };
      walk(JSON.parse(data), 0);
    } catch {
      // Not a document event.
    }
  }

  /** Has `version` of `documentKey`, or a later one (a resume is conflated, as CIS's). */
  has(documentKey: string, version: number): boolean {
    return (this.seen.get(documentKey) ?? 0) >= version;
  }

  describe(): string {
    return `SSE: ${this.seen.size} documents, ${this.reconnects} reconnection(s)`;
  }

  close(): void {
    this.running = false;
    this.controller?.abort();
    void this.loop;
  }
}

function printTable(rows: Row[]): void {
  const header = ['fault', 'service', 'writes back (ms)', 'refused 503', 'conflicts 409', 'unreachable', 'unready (ms from fault)', 'longest request (ms)'];
  const lines = rows.map((r) => [
    r.fault,
    r.service,
    String(r.writesBackMs),
    String(r.refused),
    String(r.conflicts),
    String(r.unreachable),
    r.unready ? `${r.unready.fromMs} -> ${r.unready.backMs}` : 'ready throughout',
    String(r.longestRequestMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const notes = [...new Map(rows.filter((r) => r.service === 'results-distribution').map((r) => [r.fault, r.note])).entries()].map(([f, n]) => `  ${f}: ${n}`);
  console.log(
    [
      `Faults (${FULL ? 'full' : 'short'} form; readiness bound ${READY_BOUND_MS} ms, PostgreSQL paused ${PAUSE_MS} ms):`,
      fmt(header),
      fmt(widths.map((w) => '-'.repeat(w))),
      ...lines.map(fmt),
      ...notes,
    ].join('\n'),
  );
}
