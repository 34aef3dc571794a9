import { JUDO_M60, miniPack } from './__fixtures__/pack';
import { type AllocatedPlace, reallocate, type ReallocationInput } from './reallocation';

const pack = miniPack();
const rule = pack.events.find((r) => r.event === JUDO_M60)!;
const ranking = pack.rankings.find((r) => r.event === JUDO_M60);
const declined: AllocatedPlace = { id: 'M60-GEO', kind: 'ATHLETE', noc: 'GEO', athleteIfId: 'JUD-GEO-1' };
const jpnPlace: AllocatedPlace = { id: 'M60-JPN', kind: 'ATHLETE', noc: 'JPN', athleteIfId: 'JUD-JPN-1' };

function input(overrides: Partial<ReallocationInput> = {}): ReallocationInput {
  return {
    rule,
    eventGender: 'M',
    declined,
    ranking,
    places: [jpnPlace],
    decliningNocs: new Set(['GEO']),
    nocs: new Set(pack.nocs.map((n) => n.code)),
    athletes: new Map(),
    ...overrides,
  };
}

describe('reallocate', () => {
  it('passes the place to the next-ranked eligible athlete, explaining each candidate passed over', () => {
    const outcome = reallocate(input());
    expect(outcome.to).toEqual({ rank: 5, noc: 'FRA', athlete: 'JUD-FRA-1' });
    expect(outcome.kind).toBe('ATHLETE');
    expect(outcome.skipped).toEqual([
      { rank: 1, candidate: 'JUD-JPN-1 (JPN, IF id JUD-JPN-1)', reason: 'already holds quota place M60-JPN' },
      { rank: 2, candidate: 'JUD-GEO-1 (GEO, IF id JUD-GEO-1)', reason: 'NOC GEO declined a place in JUDM60KG' },
      { rank: 3, candidate: 'JUD-JPN-2 (JPN, IF id JUD-JPN-2)', reason: 'NOC JPN already holds 1 quota places in JUDM60KG, maximum 1' },
      { rank: 4, candidate: 'JUD-GEO-2 (GEO, IF id JUD-GEO-2)', reason: 'NOC GEO declined a place in JUDM60KG' },
    ]);
    expect(outcome.explanation[0]).toBe(
      'Reallocated from M60-GEO declined by NOC GEO: next-ranked eligible candidate JUD-FRA-1 (FRA, IF id JUD-FRA-1), rank 5',
    );
  });

  it('skips a registered athlete who fails the gender rule', () => {
    const outcome = reallocate(input({ athletes: new Map([['JUD-FRA-1', { gender: 'W', birthDate: '2000-01-01', noc: 'FRA' }]]) }));
    expect(outcome.to?.athlete).toBe('JUD-ITA-1');
    expect(outcome.skipped.at(-1)?.reason).toBe('JUDM60KG is for M; the athlete is W');
  });

  it('leaves the place unallocated when nobody is eligible or there is no ranking', () => {
    const none = reallocate(input({ nocs: new Set(['JPN', 'GEO']) }));
    expect(none.to).toBeNull();
    expect(none.explanation[0]).toBe('No eligible candidate in the ranking of JUDM60KG: place M60-GEO stays unallocated');
    expect(reallocate(input({ ranking: undefined })).explanation).toEqual([
      'JUDM60KG has no ranking in the rules pack: place M60-GEO stays unallocated',
    ]);
  });
});
