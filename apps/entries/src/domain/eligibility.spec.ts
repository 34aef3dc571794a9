import { athlete, context, JUDO_M60, JUDO_TEAM, JUDO_W48, M100, member, miniPack, RELAY } from './__fixtures__/pack';
import { checkStandard, evaluateEntry, evaluateEntryNumber, type PlaceFacts } from './eligibility';
import { deadlinesFor } from './rules-pack';

const pack = miniPack();
const fast = (overrides = {}) =>
  athlete({
    familyName: 'Yamada',
    givenName: 'Taro',
    performances: [{ event: M100, mark: '9.98', value: 9.98, achievedOn: '2024-05-12' }],
    ...overrides,
  });
const rules = (e: { violations: { rule: string }[] }) => e.violations.map((v) => v.rule);

describe('evaluateEntry: individual events', () => {
  it('accepts an athlete who met the standard in the window, and explains why', () => {
    const e = evaluateEntry(context(pack, M100, { members: [member(fast())] }));
    expect(e.violations).toEqual([]);
    expect(e).toMatchObject({ accepted: true, basis: 'ENTRY_STANDARD', quotaPlaceId: null });
    expect(e.decisions.map((d) => d.message)).toContain(
      'Entry standard met: Taro YAMADA achieved 9.98 on 2024-05-12 (standard 10.00, lower is better, window 2023-07-01 to 2024-06-30)',
    );
  });

  it('rejects a fourth entry of an NOC with the numbers', () => {
    const e = evaluateEntry(context(pack, M100, { members: [member(fast())], nocEntries: 3, totalEntries: 3 }));
    expect(e.accepted).toBe(false);
    expect(e.violations).toContainEqual({
      rule: 'max-entries-per-noc',
      field: 'body',
      message: 'NOC JPN already has 3 entries in ATHM100M, maximum 3',
    });
  });

  it('rejects an entry when the field is full', () => {
    const e = evaluateEntry(context(pack, M100, { members: [member(fast())], nocEntries: 1, totalEntries: 4 }));
    expect(e.violations.map((v) => v.message)).toEqual(['ATHM100M is full: 4 of 4 places are taken']);
  });

  it('rejects an athlete whose best mark misses the standard, naming both marks', () => {
    const slow = fast({ performances: [{ event: M100, mark: '10.12', value: 10.12, achievedOn: '2024-05-12' }] });
    const e = evaluateEntry(context(pack, M100, { members: [member(slow)] }));
    expect(rules(e)).toEqual(['standard-not-met', 'no-quota-place']);
    expect(e.violations[0]?.message).toBe(
      'Entry standard not met: best mark of Taro YAMADA in ATHM100M between 2023-07-01 and 2024-06-30 is 10.12, standard 10.00 (lower is better)',
    );
    expect(e.violations[0]?.field).toBe('body.athleteId');
  });

  it('does not count a mark achieved after the qualification window closed', () => {
    const late = fast({ performances: [{ event: M100, mark: '9.95', value: 9.95, achievedOn: '2024-07-02' }] });
    const e = evaluateEntry(context(pack, M100, { members: [member(late)] }));
    expect(rules(e)[0]).toBe('standard-outside-window');
    expect(e.violations[0]?.message).toBe(
      "Entry standard not met within the qualification window of ATHM100M (2023-07-01 to 2024-06-30): Taro YAMADA's 9.95 on 2024-07-02 was achieved after the window closed (standard 10.00)",
    );
  });

  it('lets an NOC enter one athlete without the standard on its universality place', () => {
    const places: PlaceFacts[] = [{ id: 'M100-U-GEO', kind: 'UNIVERSALITY', noc: 'GEO', athleteIfId: null, usedBy: null }];
    const geo = athlete({ noc: 'GEO', familyName: 'Beridze', givenName: 'Giorgi' });
    const e = evaluateEntry(context(pack, M100, { noc: 'GEO', members: [member(geo)], places }));
    expect(e).toMatchObject({ accepted: true, basis: 'UNIVERSALITY', quotaPlaceId: 'M100-U-GEO' });
    const used = [{ ...places[0], usedBy: 'other' } as PlaceFacts];
    expect(rules(evaluateEntry(context(pack, M100, { noc: 'GEO', members: [member(geo)], places: used })))).toEqual([
      'standard-not-met',
      'no-quota-place',
    ]);
  });

  it('rejects after the Entry by Name deadline (time-zone aware)', () => {
    // 2024-07-08T23:59 in Paris is 21:59 UTC.
    const before = evaluateEntry(context(pack, M100, { members: [member(fast())], now: new Date('2024-07-08T21:59:00Z') }));
    expect(before.accepted).toBe(true);
    const after = evaluateEntry(context(pack, M100, { members: [member(fast())], now: new Date('2024-07-08T21:59:01Z') }));
    expect(after.violations).toEqual([
      {
        rule: 'deadline-passed',
        field: 'body',
        message:
          'Entry by Name for ATHM100M closed at 2024-07-08T23:59:00+02:00 (Europe/Paris); only a Late Athlete Replacement is possible now',
      },
    ]);
  });

  it('requires eligibility confirmed, Entry by Number, right gender and age', () => {
    const young = fast({ gender: 'W', birthDate: '2009-06-01', givenName: 'Hana', familyName: 'Ito' });
    const e = evaluateEntry(context(pack, M100, { members: [member(young)], eligibilityConfirmed: false, entryNumber: null }));
    expect(e.violations.map((v) => v.message)).toEqual([
      'Entry by Name needs the NOC to confirm the eligibility of every athlete (eligibilityConfirmed: true)',
      "ATHM100M is a men's event; Hana ITO is W",
      'Hana ITO is 15 on 2024-12-31, minimum age 16',
      'NOC JPN made no Entry by Number for ATHM100M: make it before the Entry by Name',
    ]);
    const declared = evaluateEntry(context(pack, M100, { members: [member(fast())], entryNumber: 1, nocEntries: 1 }));
    expect(declared.violations.map((v) => v.message)).toEqual([
      'NOC JPN declared 1 entry by number in ATHM100M and already has 1 by name',
    ]);
  });

  it('refuses an athlete of another NOC or already entered', () => {
    const fra = fast({ noc: 'FRA', enteredIn: [M100] });
    expect(rules(evaluateEntry(context(pack, M100, { members: [member(fra)] })))).toEqual([
      'athlete-of-other-noc',
      'already-entered',
    ]);
  });

  it('uses a place named to the athlete, and no other NOC place', () => {
    const places: PlaceFacts[] = [
      { id: 'M60-JPN', kind: 'ATHLETE', noc: 'JPN', athleteIfId: 'JUD-JPN-1', usedBy: null },
      { id: 'M60-GEO', kind: 'ATHLETE', noc: 'GEO', athleteIfId: 'JUD-GEO-1', usedBy: null },
    ];
    const named = athlete({ ifId: 'JUD-JPN-1' });
    expect(evaluateEntry(context(pack, JUDO_M60, { members: [member(named)], places }))).toMatchObject({
      accepted: true,
      basis: 'QUOTA_ATHLETE',
      quotaPlaceId: 'M60-JPN',
    });
    const other = athlete({ ifId: 'JUD-JPN-9' });
    const e = evaluateEntry(context(pack, JUDO_M60, { members: [member(other)], places }));
    expect(e.violations.map((v) => v.message)).toEqual(['NOC JPN holds no free quota place in JUDM60KG (holds 0, 0 used)']);
  });

  it('asks for members on a team event and one athlete on an individual event', () => {
    expect(rules(evaluateEntry(context(pack, M100, { members: [member(fast())], requestType: 'team' })))).toContain('entry-type');
  });
});

describe('evaluateEntry: teams', () => {
  const relayPlaces: PlaceFacts[] = [{ id: 'RELAY-JPN', kind: 'NOC', noc: 'JPN', athleteIfId: null, usedBy: null }];
  const men = [athlete({ givenName: 'Kenji', familyName: 'Sato' }), athlete({ givenName: 'Ken', familyName: 'Abe' })];
  const women = [
    athlete({ gender: 'W', givenName: 'Yuki', familyName: 'Suzuki' }),
    athlete({ gender: 'W', givenName: 'Hana', familyName: 'Ito' }),
  ];

  it('accepts a 4x400 m mixed relay of 2 men and 2 women on the NOC quota place', () => {
    const members = [...men.map((a) => member(a, 'STARTER', 'men')), ...women.map((a) => member(a, 'STARTER', 'women'))];
    const e = evaluateEntry(context(pack, RELAY, { members, places: relayPlaces, entryNumber: 1 }));
    expect(e.violations).toEqual([]);
    expect(e).toMatchObject({ accepted: true, basis: 'QUOTA_NOC', quotaPlaceId: 'RELAY-JPN' });
  });

  it('rejects 3 men and 1 woman, naming the slots and the numbers', () => {
    const third = athlete({ givenName: 'Ryo', familyName: 'Mori' });
    const members = [...[...men, third].map((a) => member(a, 'STARTER', 'men')), member(women[0]!, 'STARTER', 'women')];
    const e = evaluateEntry(context(pack, RELAY, { members, places: relayPlaces, entryNumber: 1 }));
    expect(e.violations.filter((v) => v.rule === 'team-composition').map((v) => v.message)).toEqual([
      "Slot 'men' (M) needs 2 starters, got 3",
      "Slot 'women' (W) needs 2 starters, got 1",
    ]);
  });

  it('rejects a woman in a men slot and a missing slot', () => {
    const members = [
      member(men[0]!, 'STARTER', 'men'),
      member(women[1]!, 'STARTER', 'men'),
      member(women[0]!, 'STARTER', 'women'),
      member(men[1]!, 'STARTER', null),
    ];
    const messages = evaluateEntry(context(pack, RELAY, { members, places: relayPlaces, entryNumber: 1 }))
      .violations.filter((v) => v.rule === 'team-composition')
      .map((v) => v.message);
    expect(messages).toContain("Starter Hana ITO (W) is in slot 'men', which is for M");
    expect(messages).toContain("Starter Ken ABE needs a slot of ATHX4X400M: one of 'men', 'women'");
  });

  it('rejects a relay without a quota place and with too many alternates', () => {
    const members = [
      ...men.map((a) => member(a, 'STARTER', 'men')),
      ...women.map((a) => member(a, 'STARTER', 'women')),
      ...[1, 2, 3].map(() => member(athlete(), 'ALTERNATE')),
    ];
    const e = evaluateEntry(context(pack, RELAY, { members, places: [], entryNumber: 1 }));
    expect(e.violations.map((v) => v.message)).toEqual([
      'ATHX4X400M allows at most 2 alternates, got 3',
      'NOC JPN holds no free quota place in ATHX4X400M (holds 0, 0 used)',
    ]);
  });

  it('requires judo mixed-team members to be entered in an individual event of their weight slot', () => {
    const judoka = athlete({ givenName: 'Ryo', familyName: 'Nakamura', enteredIn: [JUDO_M60] });
    const notEntered = athlete({ gender: 'W', givenName: 'Mei', familyName: 'Hayashi', enteredIn: [] });
    const e = evaluateEntry(
      context(pack, JUDO_TEAM, { members: [member(judoka, 'STARTER', 'M-73'), member(notEntered, 'STARTER', 'W-57')] }),
    );
    expect(e.violations.map((v) => v.message)).toEqual([
      "Starter Mei HAYASHI in slot 'W-57' must also be entered in JUDW48KG or JUDW52KG or JUDW57KG, and is not",
    ]);
    const entered = { ...notEntered, enteredIn: [JUDO_W48] };
    expect(
      evaluateEntry(context(pack, JUDO_TEAM, { members: [member(judoka, 'STARTER', 'M-73'), member(entered, 'STARTER', 'W-57')] })),
    ).toMatchObject({ accepted: true, basis: 'OPEN' });
  });

  it('re-evaluates a replacement without deadline or limits, reusing the entry place', () => {
    const members = [...men.map((a) => member(a, 'STARTER', 'men')), ...women.map((a) => member(a, 'STARTER', 'women'))];
    const used: PlaceFacts[] = [{ ...relayPlaces[0]!, usedBy: 'entry-1' }];
    const e = evaluateEntry(
      context(pack, RELAY, {
        members,
        places: used,
        entryId: 'entry-1',
        mode: 'replacement',
        now: new Date('2024-07-20T10:00:00Z'),
        entryNumber: null,
        nocEntries: 5,
      }),
    );
    expect(e).toMatchObject({ accepted: true, quotaPlaceId: 'RELAY-JPN' });
  });
});

describe('evaluateEntryNumber', () => {
  const rule = pack.events.find((r) => r.event === RELAY)!;
  const base = { now: new Date('2024-06-01T10:00:00Z'), deadlines: deadlinesFor(pack, rule), rule, noc: 'JPN', byName: 0, placesHeld: 1 };

  it('accepts within the limits and places', () => {
    expect(evaluateEntryNumber({ ...base, count: 1 })).toMatchObject({ accepted: true, violations: [] });
  });

  it('explains every refusal', () => {
    const e = evaluateEntryNumber({ ...base, count: 2, placesHeld: 1, now: new Date('2024-06-11T10:00:00Z') });
    expect(e.violations.map((v) => v.message)).toEqual([
      'Entry by Number for ATHX4X400M closed at 2024-06-10T23:59:00+02:00 (Europe/Paris)',
      'NOC JPN cannot enter 2 in ATHX4X400M, maximum 1',
      'NOC JPN holds 1 quota place in ATHX4X400M; an Entry by Number of 2 exceeds it',
    ]);
    expect(evaluateEntryNumber({ ...base, count: 0, byName: 1 }).violations.map((v) => v.rule)).toEqual(['entry-by-number']);
  });
});

describe('checkStandard', () => {
  const standard = { measure: 'distance' as const, better: 'higher' as const, mark: '2.33', window: { from: '2023-07-01', to: '2024-06-30' } };
  const jumper = (marks: [string, string][]) =>
    athlete({ performances: marks.map(([mark, achievedOn]) => ({ event: M100, mark, value: Number(mark), achievedOn })) });

  it('takes the best mark in the window when higher is better', () => {
    expect(checkStandard(standard, jumper([['2.30', '2024-01-10'], ['2.34', '2024-03-01']]), M100).met).toBe(true);
    const miss = checkStandard(standard, jumper([['2.30', '2024-01-10'], ['2.28', '2024-03-01']]), M100);
    expect(miss).toMatchObject({ met: false, rule: 'standard-not-met' });
    expect(miss.message).toContain('is 2.30, standard 2.33 (higher is better)');
  });

  it('says when the athlete has no mark at all, or only before the window opened', () => {
    expect(checkStandard(standard, jumper([]), M100).message).toBe(
      'Entry standard not met: Taro YAMADA has no mark in ATHM100M between 2023-07-01 and 2024-06-30 (standard 2.33, higher is better)',
    );
    expect(checkStandard(standard, jumper([['2.40', '2023-06-30']]), M100).message).toContain('was achieved before the window opened');
  });
});
