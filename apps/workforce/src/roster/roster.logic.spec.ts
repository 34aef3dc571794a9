import { checkAssignment, DEFAULT_RULES } from '../rules/rules.logic';
import type { CardFacts, MemberFacts, ShiftFacts } from '../rules/rules.types';
import { addLocalDays, generateInstance, localShift } from './roster.generator';
import { type RosterInput, type RosterPlan, type RosterShift, planGreedy, planRoster } from './roster.logic';

const DAY = '2024-08-02';
const card: CardFacts = {
  cardNumber: 'C1',
  status: 'active',
  venues: ['ALL'],
  validFrom: Date.parse('2024-07-01T00:00:00Z'),
  validTo: Date.parse('2024-09-01T00:00:00Z'),
};

function member(id: string, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    id,
    type: 'volunteer',
    status: 'active',
    functionalArea: 'SPT',
    homeVenue: 'STA',
    skills: [],
    languages: ['fr'],
    availableDates: [],
    cards: [card],
    preferences: {},
    ...over,
  };
}

function open(facts: ShiftFacts, headcount: number, assigned: RosterShift['assigned'] = []): RosterShift {
  return { facts, headcount, assigned };
}

function input(members: MemberFacts[], shifts: RosterShift[], others: Record<string, ShiftFacts[]> = {}): RosterInput {
  return { members, shifts, others: new Map(Object.entries(others)), rules: DEFAULT_RULES, searchMs: 200 };
}

/** Every assignment of the plan, re-checked from scratch: rules, headcounts, no duplicates. */
function assertHardRules(data: RosterInput, plan: RosterPlan): void {
  const byMember = new Map<string, ShiftFacts[]>();
  const perShift = new Map<string, Set<string>>();
  const shiftById = new Map(data.shifts.map((s) => [s.facts.id, s]));
  const manual = new Set(data.shifts.flatMap((s) => s.assigned.filter((a) => a.source === 'manual').map((a) => `${a.memberId}:${s.facts.id}`)));
  for (const a of [...plan.keep, ...plan.add]) {
    const shift = shiftById.get(a.shiftId);
    if (shift === undefined) throw new Error(`unknown shift ${a.shiftId}`);
    const set = perShift.get(a.shiftId) ?? new Set<string>();
    expect(set.has(a.memberId)).toBe(false);
    set.add(a.memberId);
    perShift.set(a.shiftId, set);
    byMember.set(a.memberId, [...(byMember.get(a.memberId) ?? []), shift.facts]);
  }
  for (const [shiftId, set] of perShift) expect(set.size).toBeLessThanOrEqual(shiftById.get(shiftId)?.headcount ?? 0);
  const members = new Map(data.members.map((m) => [m.id, m]));
  for (const a of [...plan.keep, ...plan.add]) {
    if (manual.has(`${a.memberId}:${a.shiftId}`)) continue;
    const m = members.get(a.memberId);
    if (m === undefined) throw new Error(`unknown member ${a.memberId}`);
    const shift = shiftById.get(a.shiftId)?.facts as ShiftFacts;
    const mine = (byMember.get(a.memberId) ?? []).filter((s) => s.id !== a.shiftId);
    const violations = checkAssignment(data.rules[m.type], m, shift, [...(data.others.get(a.memberId) ?? []), ...mine]);
    expect({ assignment: a, violations }).toEqual({ assignment: a, violations: [] });
  }
  expect(plan.verification.dropped).toBe(0);
}

describe('planRoster on seeded random instances', () => {
  const seeds = Array.from({ length: 30 }, (_, i) => 1000 + i);
  it.each(seeds)('seed %i: every hard rule holds, at least the greedy baseline filled, metrics consistent', (seed) => {
    const { input: data } = generateInstance({ members: 60, shifts: 18, seed, placesPerMember: 0.85 });
    data.searchMs = 100;
    const plan = planRoster(data);
    const greedy = planGreedy(data);
    assertHardRules(data, plan);
    assertHardRules(data, greedy);
    expect(plan.metrics.filled).toBeGreaterThanOrEqual(greedy.metrics.filled);
    expect(plan.metrics.filled).toBe(plan.add.length + plan.keep.length);
    const open = data.shifts.reduce((t, s) => t + s.headcount, 0) - plan.metrics.filled;
    expect(plan.unfilled.reduce((t, u) => t + u.open, 0)).toBe(open);
    expect(plan.metrics.hours.spread).toBeCloseTo(plan.metrics.hours.max - plan.metrics.hours.min, 5);
  });

  it('re-plans after changes: published assignments still valid are kept, the withdrawn members\' ones counted as moved', () => {
    const { input: data } = generateInstance({ members: 200, shifts: 50, seed: 7 });
    const first = planRoster(data);
    assertHardRules(data, first);
    const assignedBy = new Map<string, RosterShift['assigned'][number][]>();
    for (const a of first.add) {
      assignedBy.set(a.shiftId, [...(assignedBy.get(a.shiftId) ?? []), { memberId: a.memberId, assignmentId: `a-${a.memberId}-${a.shiftId}`, published: true, source: 'roster' }]);
    }
    const withdrawn = new Set(first.add.slice(0, 10).map((a) => a.memberId));
    const extra = Array.from({ length: 5 }, (_, i) => open(localShift(`new-${i}`, 'STA', 'SPT', DAY, 8, 8), 2));
    const second: RosterInput = {
      ...data,
      members: data.members.filter((m) => !withdrawn.has(m.id)),
      shifts: [...data.shifts.map((s) => ({ ...s, assigned: assignedBy.get(s.facts.id) ?? [] })), ...extra],
    };
    const plan = planRoster(second);
    assertHardRules(second, plan);
    const publishedValid = first.add.filter((a) => !withdrawn.has(a.memberId));
    const kept = new Set(plan.keep.map((k) => `${k.memberId}:${k.shiftId}`));
    for (const a of publishedValid) expect(kept.has(`${a.memberId}:${a.shiftId}`)).toBe(true);
    const withdrawnPlaces = first.add.filter((a) => withdrawn.has(a.memberId)).length;
    expect(plan.counts).toMatchObject({ kept: publishedValid.length, keptPublished: publishedValid.length, moved: withdrawnPlaces, removed: withdrawnPlaces });
    for (const r of plan.remove) expect(r.reason).toEqual([expect.objectContaining({ rule: 'member-released' })]);
  });
});

describe('planRoster', () => {
  const morning = localShift('s-morning', 'STA', 'SPT', DAY, 6, 8);

  it('keeps the rest rule with the member\'s earlier assignments and says why a place stays open', () => {
    const lateLastNight = localShift('o-1', 'STA', 'SPT', addLocalDays(DAY, -1), 16, 8); // ends 00:00, 6 h before
    const members = [member('a'), member('b'), member('c', { skills: ['first-aid'] })];
    const data = input(members, [open({ ...morning, requiredSkills: [] }, 3)], { a: [lateLastNight] });
    const plan = planRoster(data);
    assertHardRules(data, plan);
    expect(plan.add.map((a) => a.memberId).sort()).toEqual(['b', 'c']);
    expect(plan.unfilled).toEqual([
      {
        shiftId: 's-morning',
        open: 1,
        eligibleButTaken: 0,
        reasons: [{ rule: 'min-rest', members: 1 }],
        message: 'no eligible member: 1 would break min-rest',
      },
    ]);
  });

  it('names the lacking skill and the other reasons of an unfilled shift', () => {
    const needs = { ...morning, requiredSkills: ['first-aid'] };
    const members = [
      member('a'),
      member('b'),
      member('c'),
      member('d', { skills: ['first-aid'], cards: [] }),
      member('e', { skills: ['first-aid'], availableDates: ['2024-08-03'] }),
    ];
    const plan = planRoster(input(members, [open(needs, 2)]));
    expect(plan.add).toEqual([]);
    expect(plan.unfilled[0]?.message).toBe('no eligible member: 3 lack skill first-aid, 1 lack an accreditation for the venue and time, 1 are not available');
    expect(plan.metrics).toMatchObject({ places: 2, filled: 0, filledShare: 0 });
  });

  it('fills more than the greedy baseline where the order matters (augmenting paths)', () => {
    // Greedy takes a (first in order) for the open shift; the first-aid shift then has nobody. The roster moves a.
    const plain = open(localShift('s-plain', 'STA', 'SPT', DAY, 6, 8), 1);
    const aid = open(localShift('s-aid', 'AQU', 'SPT', DAY, 7, 8, { requiredSkills: ['first-aid'] }), 1);
    const members = [member('a', { skills: ['first-aid'] }), member('b')];
    const data = input(members, [plain, aid]);
    expect(planGreedy(data).metrics.filled).toBe(1);
    const plan = planRoster(data);
    assertHardRules(data, plan);
    expect(plan.add.map((a) => `${a.memberId}:${a.shiftId}`).sort()).toEqual(['a:s-aid', 'b:s-plain']);
    expect(plan.unfilled).toEqual([]);
  });

  it('lets a member work two shifts of a day when rest allows, never three, within the weekly hours', () => {
    const early = open(localShift('e', 'STA', 'SPT', DAY, 0, 4), 1); // 00-04
    const late = open(localShift('l', 'STA', 'SPT', DAY, 14, 4), 1); // 14-18: 10 h after
    const mid = open(localShift('m', 'STA', 'SPT', DAY, 8, 2), 1); // 08-10: too close to both
    const data = input([member('a')], [early, late, mid]);
    const plan = planRoster(data);
    assertHardRules(data, plan);
    expect(plan.add.map((a) => a.shiftId).sort()).toEqual(['e', 'l']);
    expect(plan.unfilled.map((u) => u.message)).toEqual(['not enough members: 1 eligible but placed on other shifts of the plan']);
  });

  it('never moves a manual assignment, which takes its place (even of a member outside the plan)', () => {
    const shift = open(morning, 2, [
      { memberId: 'x', assignmentId: 'm1', published: false, source: 'manual' },
      { memberId: 'a', assignmentId: 'm2', published: true, source: 'manual' },
    ]);
    const data = input([member('a'), member('b')], [shift]);
    const plan = planRoster(data);
    expect(plan.keep.map((k) => k.assignmentId).sort()).toEqual(['m1', 'm2']);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it('keeps an unchanged plan as it is (unpublished roster assignments still valid), and removes the invalid ones', () => {
    const shift = open(morning, 2, [
      { memberId: 'a', assignmentId: 'r1', published: false, source: 'roster' },
      { memberId: 'b', assignmentId: 'r2', published: true, source: 'roster' },
      { memberId: 'c', assignmentId: 'r3', published: true, source: 'roster' },
    ]);
    const data = input([member('a'), member('b'), member('c', { status: 'released' }), member('d')], [shift]);
    const plan = planRoster(data);
    assertHardRules(data, plan);
    expect(plan.keep.map((k) => k.assignmentId).sort()).toEqual(['r1', 'r2']);
    expect(plan.remove).toEqual([
      expect.objectContaining({ assignmentId: 'r3', published: true, reason: [expect.objectContaining({ rule: 'member-released' })] }),
    ]);
    expect(plan.counts).toEqual({ added: 0, removed: 1, kept: 2, keptPublished: 1, moved: 1 });
  });

  it('removes unpublished roster assignments beyond a reduced headcount, published ones first kept', () => {
    const shift = open(morning, 1, [
      { memberId: 'a', assignmentId: 'r1', published: false, source: 'roster' },
      { memberId: 'b', assignmentId: 'r2', published: true, source: 'roster' },
    ]);
    const plan = planRoster(input([member('a'), member('b')], [shift]));
    expect(plan.keep.map((k) => k.assignmentId)).toEqual(['r2']);
    expect(plan.remove).toEqual([expect.objectContaining({ assignmentId: 'r1', reason: 're-planned' })]);
  });

  it('balances hours: the member with fewer hours this week gets the shift', () => {
    const busy = [1, 2, 3].map((d) => localShift(`o-${d}`, 'STA', 'SPT', addLocalDays(DAY, -d - 1), 8, 8));
    const data = input([member('busy', { type: 'staff' }), member('idle', { type: 'staff' })], [open(morning, 1)], { busy });
    expect(planRoster(data).add.map((a) => a.memberId)).toEqual(['idle']);
  });

  it('honours a preferred venue between members of equal hours', () => {
    const aqu = open(localShift('aqu', 'AQU', 'SPT', DAY, 6, 8), 1);
    const sta = open(morning, 1);
    const data = input([member('likes-sta', { homeVenue: 'STA' }), member('likes-aqu', { homeVenue: 'VEL', preferences: { venues: ['AQU'] } })], [sta, aqu]);
    const plan = planRoster(data);
    expect(plan.add.map((a) => `${a.memberId}:${a.shiftId}`).sort()).toEqual(['likes-aqu:aqu', 'likes-sta:s-morning']);
  });
});
