import { addDays, checkAssignment, DEFAULT_RULES, parseRuleSet } from './rules.logic';
import type { CardFacts, MemberFacts, RuleSetData, ShiftFacts } from './rules.types';

const HOUR = 3_600_000;
const rules: RuleSetData = DEFAULT_RULES.volunteer;
const staffRules: RuleSetData = DEFAULT_RULES.staff;

const card = (over: Partial<CardFacts> = {}): CardFacts => ({
  cardNumber: 'OG2024-000001',
  status: 'active',
  venues: ['STA'],
  validFrom: Date.parse('2024-07-01T00:00:00Z'),
  validTo: Date.parse('2024-09-01T00:00:00Z'),
  ...over,
});

const member = (over: Partial<MemberFacts> = {}): MemberFacts => ({
  id: 'm1',
  type: 'volunteer',
  status: 'active',
  functionalArea: 'SPT',
  homeVenue: 'STA',
  skills: ['first-aid'],
  languages: ['en', 'fr'],
  availableDates: [],
  cards: [card()],
  preferences: {},
  ...over,
});

/** A shift at STA (UTC+2 in summer) from `start` for `hours` hours; localDate from the UTC+2 clock. */
function shift(id: string, start: string, hours: number, over: Partial<ShiftFacts> = {}): ShiftFacts {
  const t = Date.parse(start);
  return {
    id,
    venue: 'STA',
    functionalArea: 'SPT',
    start: t,
    end: t + hours * HOUR,
    localDate: new Date(t + 2 * HOUR).toISOString().slice(0, 10),
    requiredSkills: [],
    requiredLanguages: [],
    ...over,
  };
}

const rulesOf = (list: ReturnType<typeof checkAssignment>) => list.map((v) => v.rule);

describe('checkAssignment', () => {
  const s = shift('s1', '2024-08-02T06:00:00Z', 8);

  it('allows a member who meets every rule', () => {
    expect(checkAssignment(rules, member(), s, [])).toEqual([]);
  });

  describe('no-overlap', () => {
    it('refuses two shifts that overlap, naming the other shift', () => {
      const other = shift('s0', '2024-08-02T10:00:00Z', 4);
      const v = checkAssignment(rules, member(), s, [other]);
      expect(v).toEqual([expect.objectContaining({ rule: 'no-overlap', shiftId: 's0' })]);
    });
    it('allows overlap when the rule is off (no rest rule either for an overlapping pair)', () => {
      const other = shift('s0', '2024-08-02T10:00:00Z', 4);
      expect(checkAssignment({ ...rules, noOverlap: false }, member(), s, [other])).toEqual([]);
    });
    it('ignores a shift with the same id (re-checking an existing assignment)', () => {
      expect(checkAssignment(rules, member(), s, [s])).toEqual([]);
    });
  });

  describe('min-rest', () => {
    it('refuses 8 h of rest before the shift, with the numbers', () => {
      const before = shift('s0', '2024-08-01T14:00:00Z', 8); // ends 22:00Z, shift starts 06:00Z
      expect(checkAssignment(rules, member(), s, [before])).toEqual([
        { rule: 'min-rest', message: 'rest between shifts 8 h, minimum 10 h', actual: 8, limit: 10, shiftId: 's0' },
      ]);
    });
    it('refuses too little rest after the shift (the other direction)', () => {
      const after = shift('s2', '2024-08-02T23:30:00Z', 4); // shift ends 14:00Z: 9.5 h
      expect(checkAssignment(rules, member(), s, [after])).toEqual([
        expect.objectContaining({ rule: 'min-rest', message: 'rest between shifts 9.5 h, minimum 10 h', actual: 9.5 }),
      ]);
    });
    it('allows exactly 10 h of rest', () => {
      const before = shift('s0', '2024-08-01T12:00:00Z', 8); // ends 20:00Z
      const after = shift('s2', '2024-08-03T00:00:00Z', 4); // starts 10 h after 14:00Z
      expect(checkAssignment(rules, member(), s, [before, after])).toEqual([]);
    });
    it('never prints a rest just short of the minimum as the minimum', () => {
      const before = shift('s0', '2024-08-01T12:00:00.001Z', 8);
      const [v] = checkAssignment(rules, member(), s, [before]);
      expect(v.message).toBe('rest between shifts 9.99 h, minimum 10 h');
    });
    it('is not checked when null', () => {
      const before = shift('s0', '2024-08-02T03:00:00Z', 2);
      expect(checkAssignment({ ...rules, minRestHours: null }, member(), s, [before])).toEqual([]);
    });
  });

  describe('max-shift-length', () => {
    it('refuses a 13 h shift for staff (maximum 12)', () => {
      const long = shift('s9', '2024-08-02T06:00:00Z', 13);
      expect(checkAssignment(staffRules, member({ type: 'staff' }), long, [])).toEqual([
        { rule: 'max-shift-length', message: 'shift 13 h, maximum 12 h', actual: 13, limit: 12 },
      ]);
    });
    it('allows exactly the maximum', () => {
      expect(checkAssignment(staffRules, member(), shift('s9', '2024-08-02T06:00:00Z', 12), [])).toEqual([]);
    });
    it('measures the real duration across a DST change (20:00 to 08:00 local on the autumn night lasts 13 h)', () => {
      // Europe/Paris, 27 October 2024: 03:00 CEST becomes 02:00 CET. 20:00 CEST = 18:00Z; 08:00 CET = 07:00Z.
      const night: ShiftFacts = { ...shift('n1', '2024-10-26T18:00:00Z', 13), localDate: '2024-10-26' };
      const cards = [card({ validTo: Date.parse('2024-12-31T00:00:00Z') })];
      expect(night.end).toBe(Date.parse('2024-10-27T07:00:00Z'));
      expect(checkAssignment(staffRules, member({ cards }), night, [])).toEqual([
        { rule: 'max-shift-length', message: 'shift 13 h, maximum 12 h', actual: 13, limit: 12 },
      ]);
      // And the spring night (31 March 2024: 02:00 CET becomes 03:00 CEST): 20:00 to 08:00 local lasts 11 h.
      const spring: ShiftFacts = { ...shift('n2', '2024-03-30T19:00:00Z', 11), localDate: '2024-03-30' };
      const springCards = [card({ validFrom: Date.parse('2024-03-01T00:00:00Z') })];
      expect(checkAssignment(staffRules, member({ cards: springCards }), spring, [])).toEqual([]);
    });
  });

  describe('max-consecutive-days', () => {
    const day = (date: string, id = date): ShiftFacts => ({ ...shift(id, `${date}T06:00:00Z`, 6), localDate: date });
    it('refuses a 6th consecutive day for a volunteer, counting both sides of the shift', () => {
      const others = ['2024-07-30', '2024-07-31', '2024-08-01', '2024-08-03', '2024-08-04'].map((d) => day(d));
      expect(checkAssignment(rules, member(), day('2024-08-02', 'x'), others)).toEqual([
        { rule: 'max-consecutive-days', message: '6 consecutive days, maximum 5', actual: 6, limit: 5 },
      ]);
    });
    it('allows the 5th day, and a gap resets the count', () => {
      const others = ['2024-07-29', '2024-07-30', '2024-08-01', '2024-08-03', '2024-08-04'].map((d) => day(d));
      // 07-29, 07-30, gap, 08-01, [08-02], 08-03, 08-04: a run of 4
      expect(checkAssignment(rules, member(), day('2024-08-02', 'x'), others)).toEqual([]);
    });
    it('follows local dates, not UTC dates', () => {
      // A shift at 23:00 local on 08-01 in UTC+2 starts 21:00Z on 08-01; one at 01:00 local on 08-03 is 23:00Z on
      // 08-02: UTC dates would call them consecutive with 08-02, local dates 08-01 and 08-03 do too; what matters is
      // that the given localDate is used.
      const others = ['2024-07-28', '2024-07-29', '2024-07-30', '2024-07-31'].map((d) => day(d));
      const late: ShiftFacts = { ...shift('late', '2024-07-31T23:00:00Z', 6), localDate: '2024-08-02' };
      expect(checkAssignment(rules, member(), late, others)).toEqual([]);
    });
    it('is not capped for staff by default', () => {
      const others = Array.from({ length: 9 }, (_, i) => day(addDays('2024-07-24', i)));
      expect(rulesOf(checkAssignment(staffRules, member(), day('2024-08-02', 'x'), others))).not.toContain('max-consecutive-days');
    });
  });

  describe('max-hours-per-week', () => {
    const day = (date: string, hours: number, id = date): ShiftFacts => ({ ...shift(id, `${date}T04:00:00Z`, hours), localDate: date });
    it('refuses 52 h in a 7-day window, naming the window', () => {
      const others = [day('2024-08-01', 10), day('2024-08-03', 10), day('2024-08-04', 10), day('2024-08-06', 10), day('2024-08-07', 4)];
      const v = checkAssignment({ ...rules, maxConsecutiveDays: null }, member(), day('2024-08-02', 8, 'x'), others);
      expect(v).toEqual([{ rule: 'max-hours-per-week', message: '52 h in the 7 days from 2024-08-01, maximum 48', actual: 52, limit: 48 }]);
    });
    it('allows exactly 48 h, and ignores hours outside every window containing the shift', () => {
      const others = [day('2024-07-20', 10), day('2024-08-01', 10), day('2024-08-03', 10), day('2024-08-04', 10), day('2024-08-06', 10)];
      expect(checkAssignment({ ...rules, maxConsecutiveDays: null }, member(), day('2024-08-02', 8, 'x'), others)).toEqual([]);
    });
  });

  describe('skills and languages', () => {
    const needs = shift('s1', '2024-08-02T06:00:00Z', 8, { requiredSkills: ['first-aid', 'forklift'], requiredLanguages: ['fr', 'ja'] });
    it('names each missing skill and language', () => {
      expect(checkAssignment(rules, member(), needs, []).map((v) => v.message)).toEqual(['missing skill forklift', 'missing language ja']);
    });
    it('allows a member with every one (codes compared without case)', () => {
      expect(checkAssignment(rules, member({ skills: ['first-aid', 'Forklift'], languages: ['FR', 'ja'] }), needs, [])).toEqual([]);
    });
    it('are not checked when switched off', () => {
      expect(checkAssignment({ ...rules, requireSkills: false, requireLanguages: false }, member(), needs, [])).toEqual([]);
    });
  });

  describe('availability', () => {
    it('refuses a day the member is not available', () => {
      expect(checkAssignment(rules, member({ availableDates: ['2024-08-01', '2024-08-03'] }), s, [])).toEqual([
        { rule: 'availability', message: 'not available on 2024-08-02', actual: '2024-08-02', limit: ['2024-08-01', '2024-08-03'] },
      ]);
    });
    it('allows a listed day, and an empty list means every day', () => {
      expect(checkAssignment(rules, member({ availableDates: ['2024-08-02'] }), s, [])).toEqual([]);
      expect(checkAssignment(rules, member({ availableDates: [] }), s, [])).toEqual([]);
    });
  });

  describe('accreditation', () => {
    it('refuses without any card', () => {
      expect(checkAssignment(rules, member({ cards: [] }), s, [])[0]).toMatchObject({ rule: 'accreditation', message: 'no accreditation' });
    });
    it('refuses a suspended or revoked card', () => {
      const v = checkAssignment(rules, member({ cards: [card({ status: 'suspended' })] }), s, []);
      expect(v).toEqual([expect.objectContaining({ rule: 'accreditation', message: 'no active accreditation (card suspended)' })]);
    });
    it('refuses a card of another venue, allows ALL', () => {
      expect(checkAssignment(rules, member({ cards: [card({ venues: ['AQU'] })] }), s, [])[0].message).toBe('accreditation does not grant venue STA');
      expect(checkAssignment(rules, member({ cards: [card({ venues: ['ALL'] })] }), s, [])).toEqual([]);
    });
    it('refuses a card that expires before the shift ends; a card ending exactly at the end will do', () => {
      const expiring = card({ validTo: s.end - 1 });
      expect(rulesOf(checkAssignment(rules, member({ cards: [expiring] }), s, []))).toEqual(['accreditation']);
      expect(checkAssignment(rules, member({ cards: [card({ validTo: s.end, validFrom: s.start })] }), s, [])).toEqual([]);
    });
    it('takes any one good card among several', () => {
      expect(checkAssignment(rules, member({ cards: [card({ status: 'revoked' }), card({ cardNumber: 'x', venues: ['ALL'] })] }), s, [])).toEqual([]);
    });
  });

  it('refuses a released member', () => {
    expect(rulesOf(checkAssignment(rules, member({ status: 'released' }), s, []))).toEqual(['member-released']);
  });

  it('names every broken rule at once', () => {
    const before = shift('s0', '2024-08-02T04:00:00Z', 4);
    const v = checkAssignment(rules, member({ status: 'released', cards: [], skills: [] }), shift('s1', '2024-08-02T06:00:00Z', 11, { requiredSkills: ['first-aid'] }), [before]);
    expect(rulesOf(v)).toEqual(['member-released', 'accreditation', 'required-skill', 'max-shift-length', 'no-overlap']);
  });
});

describe('parseRuleSet', () => {
  it('accepts every default rule set', () => {
    for (const set of Object.values(DEFAULT_RULES)) expect(parseRuleSet(set)).toEqual({ ok: true, rules: set });
  });
  it('names the bad, missing and unknown fields', () => {
    const { weights, ...noWeights } = DEFAULT_RULES.volunteer;
    void weights;
    const result = parseRuleSet({ ...noWeights, minRestHours: -1, maxConsecutiveDays: 2.5, extra: true });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.errors.map((e) => e.field).sort();
    expect(fields).toEqual(['body.extra', 'body.maxConsecutiveDays', 'body.minRestHours', 'body.weights']);
    expect(result.ok ? [] : result.errors.find((e) => e.field === 'body.weights')?.message).toBe('Required');
  });
  it('accepts null limits (not checked) and refuses negative weights', () => {
    const open = { ...DEFAULT_RULES.staff, minRestHours: null, maxShiftHours: null, maxHoursPerWeek: null };
    expect(parseRuleSet(open).ok).toBe(true);
    const bad = parseRuleSet({ ...DEFAULT_RULES.staff, weights: { ...DEFAULT_RULES.staff.weights, fairness: -1 } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['body.weights.fairness']);
  });
});
