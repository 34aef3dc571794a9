import type { AthleteFacts, EntryContext, MemberFacts } from '../eligibility';
import { deadlinesFor } from '../rules-pack';
import { type RulesPack, rulesPackSchema } from '../rules-pack.schema';

/** 'ATHM100M' -> the 34-character event code. */
export const ev = (code: string): string => code.padEnd(34, '-');

export const M100 = ev('ATHM100M');
export const RELAY = ev('ATHX4X400M');
export const JUDO_TEAM = ev('JUDXTEAM');
export const JUDO_M60 = ev('JUDM60KG');
export const JUDO_W48 = ev('JUDW48KG');

export function miniPack(): RulesPack {
  return rulesPackSchema.parse({
    format: 'podium.entry-rules/v1',
    edition: 'OG2024',
    timeZone: 'Europe/Paris',
    deadlines: { entryByNumber: '2024-06-10T23:59', entryByName: '2024-07-08T23:59', lateReplacement: '2024-07-31T12:00' },
    nocs: [
      { code: 'JPN', name: 'Japan' },
      { code: 'FRA', name: 'France' },
      { code: 'USA', name: 'United States' },
      { code: 'GEO', name: 'Georgia' },
      { code: 'ITA', name: 'Italy' },
    ],
    events: [
      {
        event: M100,
        type: 'individual',
        maxPerNoc: 3,
        fieldSize: 4,
        qualification: 'entry-standard',
        standard: { measure: 'time', better: 'lower', mark: '10.00', window: { from: '2023-07-01', to: '2024-06-30' } },
        age: { min: 16, at: '2024-12-31' },
      },
      {
        event: RELAY,
        type: 'team',
        maxPerNoc: 1,
        fieldSize: 16,
        qualification: 'quota-places',
        team: {
          starters: { min: 4, max: 4 },
          alternates: { max: 2 },
          composition: [
            { slot: 'men', gender: 'M', count: 2 },
            { slot: 'women', gender: 'W', count: 2 },
          ],
        },
      },
      { event: JUDO_M60, type: 'individual', maxPerNoc: 1, qualification: 'quota-places' },
      { event: JUDO_W48, type: 'individual', maxPerNoc: 1, qualification: 'quota-places' },
      {
        event: JUDO_TEAM,
        type: 'team',
        maxPerNoc: 1,
        qualification: 'open',
        team: {
          starters: { min: 2, max: 2 },
          alternates: { max: 0 },
          composition: [
            { slot: 'M-73', gender: 'M', count: 1, requiresEntryIn: [JUDO_M60, ev('JUDM66KG'), ev('JUDM73KG')] },
            { slot: 'W-57', gender: 'W', count: 1, requiresEntryIn: [JUDO_W48, ev('JUDW52KG'), ev('JUDW57KG')] },
          ],
        },
      },
    ],
    quotaPlaces: [
      { id: 'RELAY-USA', event: RELAY, kind: 'NOC', noc: 'USA' },
      { id: 'RELAY-JPN', event: RELAY, kind: 'NOC', noc: 'JPN' },
      { id: 'M60-GEO', event: JUDO_M60, kind: 'ATHLETE', noc: 'GEO', athlete: 'JUD-GEO-1' },
      { id: 'M60-JPN', event: JUDO_M60, kind: 'ATHLETE', noc: 'JPN', athlete: 'JUD-JPN-1' },
      { id: 'M100-U-GEO', event: M100, kind: 'UNIVERSALITY', noc: 'GEO' },
    ],
    rankings: [
      {
        event: JUDO_M60,
        list: [
          { rank: 1, noc: 'JPN', athlete: 'JUD-JPN-1' },
          { rank: 2, noc: 'GEO', athlete: 'JUD-GEO-1' },
          { rank: 3, noc: 'JPN', athlete: 'JUD-JPN-2' },
          { rank: 4, noc: 'GEO', athlete: 'JUD-GEO-2' },
          { rank: 5, noc: 'FRA', athlete: 'JUD-FRA-1' },
          { rank: 6, noc: 'ITA', athlete: 'JUD-ITA-1' },
        ],
      },
    ],
  });
}

let counter = 0;
export function athlete(overrides: Partial<AthleteFacts> = {}): AthleteFacts {
  counter++;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    ifId: `IF-${counter}`,
    noc: 'JPN',
    familyName: 'Yamada',
    givenName: 'Taro',
    gender: 'M',
    birthDate: '2000-01-01',
    performances: [],
    enteredIn: [],
    ...overrides,
  };
}

export function member(a: AthleteFacts, role: MemberFacts['role'] = 'STARTER', slot: string | null = null): MemberFacts {
  return { athlete: a, role, slot };
}

/** An Entry by Name context before the deadline, every limit free, Entry by Number 3. */
export function context(pack: RulesPack, event: string, overrides: Partial<EntryContext> = {}): EntryContext {
  const rule = pack.events.find((r) => r.event === event);
  if (!rule) throw new Error(`no rule for ${event}`);
  return {
    now: new Date('2024-07-01T10:00:00Z'),
    deadlines: deadlinesFor(pack, rule),
    rule,
    eventGender: event.charAt(3),
    noc: 'JPN',
    requestType: rule.type,
    members: [],
    eligibilityConfirmed: true,
    nocEntries: 0,
    totalEntries: 0,
    entryNumber: 3,
    places: [],
    mode: 'entry',
    ...overrides,
  };
}
