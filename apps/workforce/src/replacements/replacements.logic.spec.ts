import { DEFAULT_RULES } from '../rules/rules.logic';
import type { MemberFacts, ShiftFacts } from '../rules/rules.types';
import { type Candidate, hoursInWeek, rankReplacements, replacementScore, weekStart } from './replacements.logic';

const H = 3_600_000;
const day = (localDate: string, startHourUtc: number, hours: number, id: string, over: Partial<ShiftFacts> = {}): ShiftFacts => {
  const start = Date.parse(`${localDate}T00:00:00Z`) + startHourUtc * H;
  return { id, venue: 'STA', functionalArea: 'SPS', start, end: start + hours * H, localDate, requiredSkills: [], requiredLanguages: [], ...over };
};

const SHIFT = day('2024-08-02', 8, 6, 'shift');

function member(id: string, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    id,
    type: 'volunteer',
    status: 'active',
    functionalArea: 'SPS',
    homeVenue: 'STA',
    skills: [],
    languages: [],
    availableDates: [],
    cards: [{ cardNumber: `C-${id}`, status: 'active', venues: ['ALL'], validFrom: Date.parse('2024-07-01T00:00:00Z'), validTo: Date.parse('2024-09-01T00:00:00Z') }],
    preferences: {},
    ...over,
  };
}

const rules = (type: MemberFacts['type']) => DEFAULT_RULES[type];

describe('weeks and hours', () => {
  it('starts a week on Monday', () => {
    expect(weekStart('2024-08-02')).toBe('2024-07-29'); // a Friday
    expect(weekStart('2024-07-29')).toBe('2024-07-29');
    expect(weekStart('2024-08-04')).toBe('2024-07-29'); // a Sunday
  });

  it("counts the hours of the shift's week only, without the shift itself", () => {
    const shifts = [day('2024-07-28', 8, 5, 'a'), day('2024-07-29', 8, 4, 'b'), day('2024-08-04', 8, 3.5, 'c'), day('2024-08-02', 8, 6, 'shift')];
    expect(hoursInWeek(shifts, '2024-08-02', 'shift')).toBe(7.5);
  });

  it('scores venue before functional area before hours', () => {
    expect(replacementScore({ homeVenue: 'STA', functionalArea: 'SPS' }, SHIFT, 10)).toBe(140);
    expect(replacementScore({ homeVenue: 'STA', functionalArea: 'X' }, SHIFT, 0)).toBe(100);
    expect(replacementScore({ homeVenue: 'X', functionalArea: 'SPS' }, SHIFT, 0)).toBe(50);
  });
});

describe('rankReplacements', () => {
  it('suggests only members the rules allow, best score first, then fewest hours, then id; at most the limit', () => {
    const candidates: Candidate[] = [
      { member: member('m-away', { homeVenue: 'AQU' }), others: [] },
      { member: member('m-busy'), others: [day('2024-07-30', 8, 8, 'x'), day('2024-07-31', 8, 8, 'y')] },
      { member: member('m-free'), others: [] },
      { member: member('m-free2'), others: [] },
      { member: member('m-overlap'), others: [day('2024-08-02', 10, 4, 'o')] },
      { member: member('m-nocard', { cards: [] }), others: [] },
      { member: member('m-released', { status: 'released' }), others: [] },
      { member: member('m-skill', { functionalArea: 'TEC', homeVenue: 'AQU' }), others: [] },
      { member: member('m-replaced'), others: [] },
      { member: member('m-onshift'), others: [SHIFT] },
    ];
    const ranked = rankReplacements(SHIFT, candidates, { rules, exclude: new Set(['m-replaced']) });
    expect(ranked).toEqual([
      { memberId: 'm-free', score: 150, hoursThatWeek: 0 },
      { memberId: 'm-free2', score: 150, hoursThatWeek: 0 },
      { memberId: 'm-busy', score: 134, hoursThatWeek: 16 },
      { memberId: 'm-away', score: 50, hoursThatWeek: 0 },
      { memberId: 'm-skill', score: 0, hoursThatWeek: 0 },
    ]);
    expect(rankReplacements(SHIFT, candidates, { rules, limit: 2 }).map((r) => r.memberId)).toEqual(['m-free', 'm-free2']);
  });

  it("applies each candidate's own type's rules", () => {
    const longShift = day('2024-08-02', 6, 11, 'long'); // 11 h: over a volunteer's 10 h, within staff's 12 h
    const ranked = rankReplacements(longShift, [{ member: member('v'), others: [] }, { member: member('s', { type: 'staff' }), others: [] }], { rules });
    expect(ranked.map((r) => r.memberId)).toEqual(['s']);
  });
});
