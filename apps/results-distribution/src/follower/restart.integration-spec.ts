/**
 * The service restarted mid-stream loses nothing: after a graceful restart, and after a "crash" (no checkpoint
 * written after some point), the new instance holds the latest version of every document and a CIS client that
 * reconnects with its last sequence receives every update it missed.
 */
import { waitFor } from '@podium/testing';
import { Client } from 'pg';
import { CheckpointRepository } from '../checkpoint/checkpoint.repository';
import { CisClient } from '../test-support/clients';
import { type Distribution, distributionForThisFile } from '../test-support/distribution';
import { publishResult, result } from '../test-support/messages';

const rd = distributionForThisFile();

/** 12 units of 3 disciplines. */
const UNITS = ['ATH', 'SWM', 'ROW'].flatMap((d) => [1, 2, 3, 4].map((n) => `${d}M100M--------------FNL-00010${n}--`));
const latest = new Map<string, number>();
const published: { seq: number; rsc: string; official: boolean }[] = [];
let version = 0;

async function publishRound(count: number): Promise<number> {
  let seq = 0;
  for (let i = 0; i < count; i++) {
    version++;
    const rsc = UNITS[i % UNITS.length]!;
    const resultStatus = version % 7 === 0 ? 'OFFICIAL' : 'LIVE';
    seq = await publishResult(rd.app, result({ rsc, version, resultStatus, competitors: 4, splits: 1 }));
    latest.set(rsc, version);
    published.push({ seq, rsc, official: resultStatus === 'OFFICIAL' });
  }
  return seq;
}

async function checkpointSeq(): Promise<number> {
  const pg = new Client({ connectionString: rd.app.db!.url });
  await pg.connect();
  try {
    const rows = await pg.query<{ stream_seq: string }>("SELECT stream_seq FROM checkpoint WHERE stream = 'RESULTS'");
    return Number(rows.rows[0]?.stream_seq ?? 0);
  } finally {
    await pg.end();
  }
}

function expectLatestEverywhere(app: Distribution): void {
  for (const [rsc, v] of latest) {
    expect({ rsc, version: app.state.documents.find(rsc, 'DT_RESULT')?.data.version }).toEqual({ rsc, version: v });
  }
}

describe('restart', () => {
  it('a graceful restart while messages keep coming loses nothing, and CIS clients resume', async () => {
    const first = rd.app;
    const cis = await CisClient.connect(first.cisUrl);
    cis.send({ action: 'subscribe', id: 'all', discipline: 'ATH' });
    const subscribedAt = Number((await cis.next((m) => m.type === 'snapshot'))['seq']);
    await publishRound(60);

    // Keep publishing while the instance stops and a new one starts.
    const publishing = publishRound(120);
    await waitFor(() => first.state.resultsSeq > 80, { timeoutMs: 20_000 });
    await cis.close();
    const lastSeen = cis.lastSeq();
    const second = await rd.restart();
    const last = await publishing;
    await waitFor(() => second.state.resultsSeq === last, { timeoutMs: 20_000 });
    expectLatestEverywhere(second);

    const again = await CisClient.connect(second.cisUrl);
    again.send({ action: 'subscribe', id: 'all', discipline: 'ATH', after: lastSeen });
    const ack = await again.next((m) => m.type === 'subscribed');
    expect(ack['resumed']).toBe(true);
    // Resuming replays the ATH updates after the last one seen, from the replay buffer, in order: all of them but the
    // LIVE versions the new instance conflated while it took in the backlog of its restart (a newer one follows).
    const athAfter = published.filter((p) => p.rsc.startsWith('ATH') && p.seq > lastSeen).map((p) => p.seq);
    await waitFor(() => again.updates().some((m) => Number(m['seq']) === athAfter.at(-1)), { timeoutMs: 10_000 });
    const resumed = again.updates().map((m) => Number(m['seq']));
    expect(resumed).toEqual(athAfter.filter((seq) => resumed.includes(seq)));
    // Together, the two connections saw every ATH OFFICIAL update and the last version of every ATH unit (LIVE
    // versions may be conflated by the service when it falls behind, never those).
    const seen = new Set([...cis.updates(), ...again.updates()].map((m) => Number(m['seq'])));
    const ath = published.filter((p) => p.rsc.startsWith('ATH') && p.seq > subscribedAt);
    const mustSee = [
      ...ath.filter((p) => p.official).map((p) => p.seq),
      ...[...new Set(ath.map((p) => p.rsc))].map((rsc) => Math.max(...ath.filter((p) => p.rsc === rsc).map((p) => p.seq))),
    ];
    expect(mustSee.filter((seq) => !seen.has(seq))).toEqual([]);
    expect(mustSee.length).toBeGreaterThan(10);
    await again.close();
  });

  it('after a crash (checkpoints stopped earlier), the next instance replays from the last checkpoint', async () => {
    // A fresh instance, restored from the checkpoint the previous test's instance wrote when it stopped.
    const app = await rd.restart();
    await publishRound(30);
    await waitFor(async () => (await checkpointSeq()) === app.state.resultsSeq, { timeoutMs: 10_000 });
    const persisted = await checkpointSeq();

    // From now on nothing reaches the database, as if the process had died right after this checkpoint.
    jest.spyOn(app.app.get(CheckpointRepository), 'write').mockResolvedValue(undefined);
    const last = await publishRound(40);
    await waitFor(() => app.state.resultsSeq === last);
    await app.stop();
    expect(await checkpointSeq()).toBe(persisted);

    const next = await rd.restart();
    expect(next.state.resultsSeq).toBe(last);
    expectLatestEverywhere(next);
    // The updates after the checkpoint were replayed; those before it were read again into the replay buffer
    // (RESTART_REPLAY_MESSAGES), so clients that saw any of them on the dead instance resume.
    // (After the checkpoint, LIVE versions superseded within that backlog were conflated: holes, not entries.)
    const replay = next.state.replay.since(persisted);
    expect(replay.ok && replay.entries.length + next.state.replay.holeCount).toBe(40);
    const before = next.state.replay.since(persisted - 30);
    const seqs = before.ok ? before.entries.map((e) => e.seq) : [];
    expect(seqs.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => persisted - 29 + i));
    expect(seqs.length + next.state.replay.holeCount).toBe(70);
  });
});
