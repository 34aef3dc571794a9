import { makeEntry } from '../state/document';
import { result, SWIM_UNIT, UNIT } from '../test-support/messages';
import { DistributionHub, type HubClient, type Subscription } from './hub';

function client(id: number): HubClient & { got: number[] } {
  const got: number[] = [];
  return {
    id,
    channel: 'cis',
    hubStamp: 0,
    got,
    onDocument: (e) => got.push(e.seq),
    onCurrent: (e) => got.push(-e.seq),
    onMedals: () => got.push(0),
    onScheduleUnit: () => got.push(0.5),
  };
}

const ath = makeEntry(result({ rsc: UNIT, version: 1 }), 'RESULTS', 1, 's');
const swm = makeEntry(result({ rsc: SWIM_UNIT, version: 1 }), 'RESULTS', 2, 's');

describe('DistributionHub', () => {
  it('sends each document once to every client with a matching subscription', () => {
    const hub = new DistributionHub();
    const [a, b, c] = [client(1), client(2), client(3)];
    hub.subscribe(a, 'x', { discipline: 'ATH' });
    hub.subscribe(a, 'y', { rsc: UNIT });
    hub.subscribe(b, 'x', { documentType: 'DT_RESULT' });
    hub.subscribe(c, 'x', { discipline: 'ATH', documentType: 'DT_PHASE_RESULT' });
    hub.document(ath);
    hub.document(swm);
    expect(a.got).toEqual([]);
    hub.flush();
    expect([a.got, b.got, c.got]).toEqual([[1], [1, 2], []]);
  });

  it('fans out after the batch: a LIVE update superseded in the same batch is skipped, OFFICIAL ones never', async () => {
    const hub = new DistributionHub();
    const a = client(1);
    hub.subscribe(a, 'x', {});
    const v = (version: number, seq: number, resultStatus: 'LIVE' | 'OFFICIAL', rsc = UNIT) =>
      makeEntry(result({ rsc, version, resultStatus }), 'RESULTS', seq, 's');
    hub.document(v(1, 10, 'LIVE'));
    hub.document(v(2, 11, 'OFFICIAL'));
    hub.document(v(3, 12, 'LIVE'));
    hub.document(v(1, 13, 'LIVE', SWIM_UNIT));
    hub.document(v(4, 14, 'LIVE'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.got).toEqual([11, 13, 14]);
    expect(hub.conflated).toBe(2);
  });

  it('reports per document fanned out the lanes (channels) it reached, and when each lane was written', () => {
    const reported: { seqs: number[]; lanes: number[]; laneAt: number[]; at: number }[] = [];
    const hub = new DistributionHub({
      maxHoldMs: 100,
      onFannedOut: (entries, at, lanes, laneAt) => reported.push({ seqs: entries.map((e) => e.seq), lanes: [...lanes], laneAt: [...laneAt], at }),
    });
    const written: number[] = [];
    // A client of a lane whose outlet holds its frames in the round's write batch, as CIS (0) and SSE (1) sessions do.
    const laneClient = (id: number, lane: number): HubClient & { got: number[] } => {
      const c = client(id);
      return { ...c, lane, onDocument: (e) => (c.got.push(e.seq), hub.batch.join({ release: () => written.push(lane) }, lane)) };
    };
    const cis = laneClient(1, 0);
    const sse = laneClient(2, 1);
    hub.subscribe(cis, 'x', { rsc: UNIT });
    hub.subscribe(sse, 'x', {});
    const before = Date.now();
    hub.document(ath);
    hub.document(swm);
    hub.flush();
    expect([cis.got, sse.got]).toEqual([[1], [1, 2]]);
    expect(written).toEqual([0, 1, 1]);
    expect(reported).toHaveLength(1);
    const [round] = reported;
    expect(round?.seqs).toEqual([1, 2]);
    expect(round?.lanes).toEqual([0b11, 0b10]);
    expect(round?.laneAt[0]).toBeGreaterThanOrEqual(before);
    expect(round?.laneAt[1]).toBeGreaterThanOrEqual(round?.laneAt[0] ?? Infinity);
    expect(round?.at).toBeGreaterThanOrEqual(round?.laneAt[1] ?? Infinity);

    // A round that reached only SSE: lane 0 wrote nothing (0), and a document nobody follows reaches no lane.
    hub.unsubscribe(hub.subscriptionsOf(sse)[0] as Subscription);
    hub.document(makeEntry(result({ rsc: SWIM_UNIT, version: 2 }), 'RESULTS', 3, 's'));
    hub.flush();
    expect(reported[1]?.lanes).toEqual([0]);
    expect(reported[1]?.laneAt.every((t) => t === 0)).toBe(true);
  });

  it('does not send a subscriber what its snapshot already held', () => {
    const hub = new DistributionHub();
    const a = client(1);
    hub.subscribe(a, 'x', {}, 1);
    hub.document(ath);
    hub.document(swm);
    hub.flush();
    expect(a.got).toEqual([2]);
  });

  it('forgets unsubscribed and removed clients', () => {
    const hub = new DistributionHub();
    const a = client(1);
    const subscription = hub.subscribe(a, 'x', {});
    hub.watchMedals(a);
    expect(hub.clientCount).toBe(1);
    hub.unsubscribe(subscription);
    hub.document(ath);
    hub.remove(a);
    hub.medals({ seq: 1, rows: [], totals: { gold: 0, silver: 0, bronze: 0, total: 0 }, events: 0 });
    hub.flush();
    expect(a.got).toEqual([]);
    expect(hub.clientCount).toBe(0);
    expect(hub.subscriptionsOf(a)).toEqual([]);
  });

  describe('when a stream has a backlog on the server', () => {
    const v = (version: number, seq: number, resultStatus: 'LIVE' | 'OFFICIAL', rsc = UNIT) =>
      makeEntry(result({ rsc, version, resultStatus }), 'RESULTS', seq, 's');
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    it('holds the round until the backlog is read, conflating LIVE updates across reads, OFFICIAL ones kept in order', async () => {
      const fanned: number[][] = [];
      const hub = new DistributionHub({ maxHoldMs: 60_000, onFannedOut: (entries) => fanned.push(entries.map((e) => e.seq)) });
      const a = client(1);
      hub.subscribe(a, 'x', {});
      hub.document(v(1, 10, 'LIVE'));
      hub.setBacklog('results', 3);
      await turn();
      hub.document(v(2, 11, 'LIVE'));
      hub.document(v(3, 12, 'OFFICIAL'));
      await turn();
      hub.document(v(4, 13, 'LIVE'));
      hub.document(v(1, 14, 'LIVE', SWIM_UNIT));
      hub.setBacklog('current', 1);
      hub.setBacklog('results', 0);
      await turn();
      expect(a.got).toEqual([]);
      hub.document(v(5, 15, 'LIVE'));
      hub.setBacklog('current', 0);
      await turn();
      expect(a.got).toEqual([12, 14, 15]);
      expect(hub.conflated).toBe(3);
      expect(fanned).toEqual([[12, 14, 15]]);
      expect(hub.rounds).toBe(1);
      expect(hub.holds).toEqual({ 'backlog-read': 1, 'max-hold': 0 });
    });

    it('fans out after at most maxHoldMs when the backlog does not clear', async () => {
      const hub = new DistributionHub({ maxHoldMs: 30 });
      const a = client(1);
      hub.subscribe(a, 'x', {});
      hub.setBacklog('results', 1_000);
      const started = Date.now();
      hub.document(v(1, 10, 'LIVE'));
      await turn();
      expect(a.got).toEqual([]);
      while (a.got.length === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(a.got).toEqual([10]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(29);
      expect(hub.backlogMessages).toBe(1_000);
      expect(hub.holds).toEqual({ 'backlog-read': 0, 'max-hold': 1 });
    });

    it('does not hold when nothing is waiting on the server', async () => {
      const hub = new DistributionHub({ maxHoldMs: 60_000 });
      const a = client(1);
      hub.subscribe(a, 'x', {});
      hub.setBacklog('results', 0);
      hub.document(v(1, 10, 'LIVE'));
      await turn();
      expect(a.got).toEqual([10]);
    });
  });
});
