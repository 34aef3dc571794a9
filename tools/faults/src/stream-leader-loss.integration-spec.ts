/**
 * A JetStream server lost in the middle of a burst of results (issue 10): three nats-server processes clustered on
 * loopback, every stream on all three (R3), results-ingest and results-distribution (the builds, run as processes)
 * with NATS_URL listing the three servers. 200 results are sent through results-ingest's HTTP API as a venue sends
 * them (one document's versions one after the other, ten documents at once, each message sent again until it is
 * answered 200, as ODF asks), and halfway through the server leading the RESULTS stream is killed (SIGKILL).
 *
 * Checked: every result answered 200 is in RESULTS exactly once, and is taken in by results-distribution exactly once
 * and in order per document (its replay buffer, read by a CIS client resuming from sequence 0), while its CIS client
 * connected throughout gets no version twice or out of order; the same service processes recover (ready again, never
 * restarted). The recovery times are printed. With one replica per stream (NATS_STREAM_REPLICAS=1) the streams on the killed server are gone
 * until it comes back, and the burst never completes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeResultMessage } from '@podium/odf-message';
import { type NatsCluster, type ServiceProcess, startNatsCluster, startServiceProcess, waitFor, workspaceRoot } from '@podium/testing';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { CisRecorder } from './cis-recorder';
import { ReadinessWatch } from './readiness-watch';

const REPLICAS = 3;
const DOCUMENTS = 10;
const VERSIONS = 20;
const TOTAL = DOCUMENTS * VERSIONS;
/** Results answered 200 before the RESULTS leader is killed. */
const KILL_AFTER = TOTAL / 2;
/** How long one result may take to be answered 200, retries included. */
const RESULT_DEADLINE_MS = 45_000;
const API_KEY = 'faults-venue-key-0123456789';
const UNITS = Array.from({ length: DOCUMENTS }, (_, i) => `ATHM100M--------------FNL-0001${String(i).padStart(2, '0')}--`);

/** A 4xx: the venue's message is refused, sending it again would not help. */
class Refused extends Error {}

interface Answer {
  rsc: string;
  version: number;
  documentKey: string;
  outcome: string;
  streamSeq: number | null;
  /** When the attempt that was answered 200 started, and when it was answered. */
  lastAttemptAt: number;
  answeredAt: number;
  attempts: number;
}

describe('a JetStream server lost in the middle of a burst of results', () => {
  const prefix = `f${randomBytes(4).toString('hex')}.`;
  const namePrefix = prefix.replace(/\./g, '_');
  let cluster: NatsCluster;
  let ingest: ServiceProcess;
  let distribution: ServiceProcess;
  let nc: NatsConnection;
  let cis: CisRecorder | undefined;
  const watches: ReadinessWatch[] = [];

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    const nats = { url: cluster.url, prefix };
    ingest = await startServiceProcess({
      service: 'results-ingest',
      nats,
      env: { NATS_STREAM_REPLICAS: String(REPLICAS), INGEST_API_KEYS: JSON.stringify({ [API_KEY]: '*' }) },
    });
    distribution = await startServiceProcess({
      service: 'results-distribution',
      nats,
      env: {
        NATS_STREAM_REPLICAS: String(REPLICAS),
        INSTANCE_ID: 'faults',
        // Conflation switched off as the benchmark does (docs/results-distribution.md#overload): by design, LIVE
        // versions superseded within a backlog (a consumer catching up after the failover is one) are neither applied
        // nor kept for resuming clients; this test counts every version.
        FANOUT_MAX_HOLD_MS: '0',
        FANOUT_BACKLOG_MESSAGES: '1',
        FANOUT_LATE_MS: '60000',
      },
    });
    nc = await connect({ servers: [...cluster.servers] });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(watches.map((w) => w.stop()));
    cis?.close();
    await nc?.close();
    await distribution?.stop();
    await ingest?.stop();
    // The services' and servers' logs, to read after a failure.
    const logs = join(workspaceRoot(), 'tmp', 'faults');
    mkdirSync(logs, { recursive: true });
    for (const service of [ingest, distribution]) if (service) writeFileSync(join(logs, `${service.service}.log`), service.logs());
    for (const node of cluster?.nodes ?? []) writeFileSync(join(logs, `nats-${node.name}.log`), node.logs());
    await cluster?.stop();
  }, 60_000);

  it('loses and duplicates nothing answered 200, and the same processes recover', async () => {
    const jsm = await nc.jetstreamManager({ timeout: 5_000 });
    await everyStreamOnAllServers(jsm, namePrefix);

    cis = await CisRecorder.open(`${distribution.wsUrl}/v1/cis`, { id: 'ath', discipline: 'ATH' });
    const live = cis;
    const pids = { ingest: ingest.pid, distribution: distribution.pid };

    const answers: Answer[] = [];
    const retries = new Map<string, number>();
    const fault: { killed?: { name: string; at: number; consumers: string[] } } = {};
    const readiness = { 'results-ingest': new ReadinessWatch(() => ingest.ready()), 'results-distribution': new ReadinessWatch(() => distribution.ready()) };
    watches.push(...Object.values(readiness));

    const started = Date.now();
    await Promise.all(
      UNITS.map(async (rsc) => {
        for (let version = 1; version <= VERSIONS; version++) {
          answers.push(await sendUntil200(ingest.url, rsc, version, retries));
          if (answers.length === KILL_AFTER) {
            const leader = await cluster.streamLeader(`${namePrefix}RESULTS`);
            const consumers = await consumersLedBy(jsm, namePrefix, leader.name);
            for (const watch of Object.values(readiness)) watch.start();
            fault.killed = { name: leader.name, at: Date.now(), consumers };
            await leader.kill('SIGKILL');
          }
        }
      }),
    );
    const burstMs = Date.now() - started;
    const killed = fault.killed;
    if (!killed) throw new Error('the RESULTS leader was never killed');
    const killedAt = killed.at;

    // RESULTS has a leader again, on a server that runs.
    const newLeader = await waitFor(
      async () => {
        const leader = await cluster.streamLeader(`${namePrefix}RESULTS`);
        return leader.running ? leader : undefined;
      },
      { timeoutMs: 30_000, description: 'a new RESULTS leader' },
    );
    // Every answer: 200, once per version.
    expect(answers).toHaveLength(TOTAL);
    for (const rsc of UNITS) {
      const mine = answers.filter((a) => a.rsc === rsc);
      expect(mine.map((a) => a.version)).toEqual(range(VERSIONS));
      expect(new Set(mine.map((a) => a.documentKey)).size).toBe(1);
      for (const a of mine) expect(['applied', 'quarantined', 'duplicate']).toContain(a.outcome);
    }
    const keyOf = new Map(answers.map((a) => [a.rsc, a.documentKey]));

    // The stream holds each of them exactly once, in order per document, at the sequence the answer gave.
    const stored = await readResults(jsm, `${namePrefix}RESULTS`);
    expect(stored).toHaveLength(TOTAL);
    expect(new Set(stored.map((m) => m.msgId)).size).toBe(TOTAL);
    const seqOf = new Map(stored.map((m) => [`${m.documentKey}#${m.version}`, m.seq]));
    for (const rsc of UNITS) {
      expect(stored.filter((m) => m.documentKey === keyOf.get(rsc)).map((m) => m.version)).toEqual(range(VERSIONS));
    }
    for (const a of answers) if (a.streamSeq !== null) expect(a.streamSeq).toBe(seqOf.get(`${a.documentKey}#${a.version}`));

    // results-distribution applied each exactly once and in order per document (a version after a newer one would
    // count as stale; the redeliveries of the failover as duplicates), and serves every document's last version.
    await waitFor(() => UNITS.every((rsc) => live.updates.some((u) => u.documentKey === keyOf.get(rsc) && u.version === VERSIONS)), {
      timeoutMs: 90_000,
      description: `the last version of every document on the CIS client (${live.updates.length} updates so far)`,
    });
    const taken = await resultsOutcomes(distribution);
    // Nothing else: no stale, conflated or invalid message.
    expect({ ...taken, duplicate: 0 }).toEqual({ applied: TOTAL, duplicate: 0 });
    for (const rsc of UNITS) {
      const res = await distribution.request(`/v1/units/${rsc}/results`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { seq: number; version: number; documentKey: string };
      expect(doc).toMatchObject({ version: VERSIONS, documentKey: keyOf.get(rsc), seq: seqOf.get(`${keyOf.get(rsc)}#${VERSIONS}`) });
    }
    // The client connected throughout got no version twice and none out of order (a LIVE version superseded before its
    // fan-out round is not sent: docs/results-distribution.md#overload), and every document's last one.
    expect(live.problems).toEqual([]);
    const liveSeqs = live.updates.map((u) => u.seq);
    expect(liveSeqs).toEqual([...new Set(liveSeqs)].sort((a, b) => a - b));
    for (const u of live.updates) expect(u.seq).toBe(seqOf.get(`${u.documentKey}#${u.version}`));

    // The same processes, ready again: nothing was restarted.
    await waitFor(async () => (await ingest.ready()) && (await distribution.ready()), { timeoutMs: 30_000, description: 'both services ready' });
    for (const watch of Object.values(readiness)) await watch.stop();
    expect(ingest.running && distribution.running).toBe(true);
    expect({ ingest: ingest.pid, distribution: distribution.pid }).toEqual(pids);

    const firstAfterKill = Math.min(...answers.filter((a) => a.lastAttemptAt > killedAt).map((a) => a.answeredAt));
    const delivered = [killedAt, ...live.updates.filter((u) => u.at > killedAt).map((u) => u.at)];
    const longestPause = Math.max(...delivered.slice(1).map((at, i) => at - (delivered[i] ?? at)));
    const lastAnswered = Math.max(...answers.map((a) => a.answeredAt));
    const lines = [
      `${TOTAL} results in ${burstMs} ms; RESULTS leader ${killed.name} killed (SIGKILL) after ${KILL_AFTER} answers, ` +
        `leading the consumers ${killed.consumers.join(', ') || '(none)'} too`,
      `RESULTS led by ${newLeader?.name ?? '?'} since; first result sent after the kill and answered 200: ${firstAfterKill - killedAt} ms after it`,
      `results-distribution's CIS client: longest pause in its updates from the kill on ${longestPause} ms, its last update ` +
        `${Math.max(...live.updates.map((u) => u.at)) - killedAt} ms after the kill (the last answer: ${lastAnswered - killedAt} ms)`,
      `results-distribution applied ${taken.applied}, ignored ${taken.duplicate ?? 0} redelivered as duplicates`,
      `answers other than 200 before a 200: ${[...retries].map(([what, n]) => `${what} x${n}`).join(', ') || 'none'}`,
      ...Object.entries(readiness).map(([service, watch]) => `${service}: ${watch.describe(killedAt)}`),
    ];
    console.log(`Recovery from the loss of a JetStream server:\n  ${lines.join('\n  ')}`);
  });
});

/** Every stream of the prefix was declared with REPLICAS (NATS_STREAM_REPLICAS); waits until each stream and consumer is on all servers. */
async function everyStreamOnAllServers(jsm: JetStreamManager, namePrefix: string): Promise<void> {
  const names: string[] = [];
  for await (const stream of jsm.streams.list()) if (stream.config.name.startsWith(namePrefix)) names.push(stream.config.name);
  expect(names).toEqual(expect.arrayContaining([`${namePrefix}RESULTS`, `${namePrefix}RESULTS_CURRENT`, `${namePrefix}DLQ`]));
  // The services declared them with NATS_STREAM_REPLICAS (NatsModule.forService hands it to the declarations).
  for (const name of names) expect({ name, replicas: (await jsm.streams.info(name)).config.num_replicas }).toEqual({ name, replicas: REPLICAS });
  await waitFor(
    async () => {
      for (const name of names) {
        const info = await jsm.streams.info(name);
        if (!onAll(info.cluster)) return false;
        for await (const consumer of jsm.consumers.list(name)) if (!onAll(consumer.cluster)) return false;
      }
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 250, description: `every stream and consumer of ${namePrefix} on ${REPLICAS} servers` },
  );
}

/** results-distribution's `results_distribution_messages_total{stream="results"}` by outcome (from its /metrics). */
async function resultsOutcomes(service: ServiceProcess): Promise<Record<string, number>> {
  const text = await (await service.request('/metrics')).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^results_distribution_messages_total\{([^}]*)\} (\d+)$/gm)) {
    const labels = m[1] ?? '';
    const outcome = /outcome="([^"]+)"/.exec(labels)?.[1];
    if (/stream="results"/.test(labels) && outcome) out[outcome] = Number(m[2]);
  }
  return out;
}

/**
 * Every message of the stream, read one by one from its leader (a direct get, no consumer: creating one waits for the
 * cluster's meta leader, which may be elected again for a while after a server is lost).
 */
async function readResults(jsm: JetStreamManager, stream: string): Promise<{ seq: number; msgId: string | undefined; documentKey: string; version: number }[]> {
  const { state } = await jsm.streams.info(stream);
  const out: { seq: number; msgId: string | undefined; documentKey: string; version: number }[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    const { data } = m.json<{ data: { documentKey: string; version: number } }>();
    out.push({ seq: m.seq, msgId: m.header.get('Nats-Msg-Id') || undefined, documentKey: data.documentKey, version: data.version });
  }
  return out;
}

/** The durable consumers of the prefix's streams whose leader is `server`. */
async function consumersLedBy(jsm: JetStreamManager, namePrefix: string, server: string): Promise<string[]> {
  const led: string[] = [];
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(namePrefix)) continue;
    for await (const consumer of jsm.consumers.list(stream.config.name)) {
      if (consumer.cluster?.leader === server) led.push(`${stream.config.name.slice(namePrefix.length)}/${consumer.name.slice(namePrefix.length)}`);
    }
  }
  return led;
}

function onAll(cluster: { leader?: string; replicas?: { current: boolean }[] } | undefined): boolean {
  const replicas = cluster?.replicas ?? [];
  return cluster?.leader !== undefined && replicas.length === REPLICAS - 1 && replicas.every((r) => r.current);
}

/** POSTs one result as a venue does: sent again after a 5xx or a failed connection, until it is answered 200. */
async function sendUntil200(url: string, rsc: string, version: number, retries: Map<string, number>): Promise<Answer> {
  const body = makeResultMessage({ rsc, version, resultStatus: 'LIVE', seed: version }).xml;
  const deadline = Date.now() + RESULT_DEADLINE_MS;
  for (let attempts = 1; ; attempts++) {
    const lastAttemptAt = Date.now();
    let what: string;
    try {
      const res = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', 'x-api-key': API_KEY },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 200) {
        const ack = JSON.parse(text) as { documentKey: string; version: number; outcome: string; streamSeq: number | null };
        if (ack.version !== version) throw new Refused(`${rsc} v${version} answered for version ${ack.version}`);
        return { rsc, version, documentKey: ack.documentKey, outcome: ack.outcome, streamSeq: ack.streamSeq, lastAttemptAt, answeredAt: Date.now(), attempts };
      }
      if (res.status < 500) throw new Refused(`${rsc} v${version}: ${res.status} ${text}`);
      what = String(res.status);
    } catch (error) {
      if (error instanceof Refused) throw error;
      what = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    retries.set(what, (retries.get(what) ?? 0) + 1);
    if (Date.now() > deadline) throw new Error(`${rsc} v${version} not answered 200 within ${RESULT_DEADLINE_MS} ms (${attempts} attempts, last: ${what})`);
    await sleep(200);
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
