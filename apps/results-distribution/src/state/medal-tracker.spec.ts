import type { OdfElement } from '@podium/odf-message';
import { HEAT, medallists, result, UNIT } from '../test-support/messages';
import { makeEntry } from './document';
import { MedalTracker } from './medal-tracker';

const EVENT = 'ATHM100M--------------------------';
let seq = 0;
const entry = (data: Parameters<typeof makeEntry>[0]) => makeEntry(data, 'RESULTS', ++seq, 'subject');
const podium = (gold: string, silver: string, bronze: string) => [
  { medal: 'GOLD' as const, noc: gold },
  { medal: 'SILVER' as const, noc: silver },
  { medal: 'BRONZE' as const, noc: bronze },
];

describe('MedalTracker', () => {
  it('counts an OFFICIAL medal unit by rank, and not a non-medal unit or a LIVE result', () => {
    const medalUnits = new Map([[UNIT, true], [HEAT, false]]);
    const tracker = new MedalTracker((rsc) => medalUnits.get(rsc));
    expect(tracker.apply(entry(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE', competitors: 3 })))).toBe(false);
    expect(tracker.apply(entry(result({ rsc: HEAT, version: 1, resultStatus: 'OFFICIAL', competitors: 3 })))).toBe(false);
    expect(tracker.apply(entry(result({ rsc: UNIT, version: 2, resultStatus: 'OFFICIAL', competitors: 3 })))).toBe(true);
    expect(tracker.table.totals).toEqual({ gold: 1, silver: 1, bronze: 1, total: 3 });
    expect(tracker.table.seq).toBe(seq);
  });

  it('prefers DT_MEDALLISTS over unit results, and recomputes on a correction', () => {
    const tracker = new MedalTracker(() => true);
    tracker.apply(entry(result({ rsc: UNIT, version: 1, resultStatus: 'OFFICIAL', competitors: 3 })));
    tracker.apply(entry(medallists({ eventRsc: EVENT, version: 1, medals: podium('USA', 'JAM', 'GBR') })));
    expect(tracker.table.rows.map((r) => [r.rank, r.noc, r.gold, r.silver, r.bronze, r.total])).toEqual([
      [1, 'USA', 1, 0, 0, 1],
      [2, 'JAM', 0, 1, 0, 1],
      [3, 'GBR', 0, 0, 1, 1],
    ]);
    expect(tracker.apply(entry(medallists({ eventRsc: EVENT, version: 2, medals: podium('USA', 'CAN', 'GBR') })))).toBe(true);
    expect(tracker.table.rows.map((r) => r.noc)).toEqual(['USA', 'CAN', 'GBR']);
    // The same medals again change nothing.
    expect(tracker.apply(entry(medallists({ eventRsc: EVENT, version: 3, medals: podium('USA', 'CAN', 'GBR') })))).toBe(false);
    // Withdrawing DT_MEDALLISTS brings the unit's OFFICIAL result back.
    expect(tracker.apply(entry(medallists({ eventRsc: EVENT, version: 4, medals: [], withdrawal: true })))).toBe(true);
    expect(tracker.table.totals.total).toBe(3);
  });

  it('counts a unit the schedule does not know only when its result names the medals', () => {
    const tracker = new MedalTracker(() => undefined);
    expect(tracker.apply(entry(result({ rsc: UNIT, version: 1, resultStatus: 'OFFICIAL', competitors: 3 })))).toBe(false);
    const named = result({ rsc: UNIT, version: 2, resultStatus: 'OFFICIAL', competitors: 3 });
    const results = (named.competition?.['Result'] ?? []) as OdfElement[];
    results.forEach((r, i) => (r['Medal'] = ['ME_GOLD', 'ME_SILVER', 'ME_BRONZE'][i] ?? ''));
    expect(tracker.apply(entry(named))).toBe(true);
    expect(tracker.table.totals.total).toBe(3);
  });

  it("re-evaluates a unit's results when the schedule changes its medal flag", () => {
    const flags = new Map<string, boolean>([[UNIT, false]]);
    const tracker = new MedalTracker((rsc) => flags.get(rsc));
    const official = entry(result({ rsc: UNIT, version: 1, resultStatus: 'OFFICIAL', competitors: 3 }));
    tracker.apply(official);
    expect(tracker.table.totals.total).toBe(0);
    flags.set(UNIT, true);
    expect(tracker.unitChanged(UNIT, [official], 10)).toBe(true);
    expect(tracker.table.totals.total).toBe(3);
    flags.set(UNIT, false);
    expect(tracker.unitChanged(UNIT, [official], 11)).toBe(true);
    expect(tracker.table.rows).toEqual([]);
  });
});
