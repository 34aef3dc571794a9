import { makeEntry } from '../state/document';
import { result, SWIM_UNIT, UNIT } from '../test-support/messages';
import { DistributionHub, type HubClient } from './hub';

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
