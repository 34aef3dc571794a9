import { ev, M100, miniPack, RELAY } from './__fixtures__/pack';
import { deadlinesFor, describeDeadline, parseRulesPack, ruleFor } from './rules-pack';

function base(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(miniPack())) as Record<string, unknown>;
}

function errorsOf(input: unknown): { field: string; message: string }[] {
  const parsed = parseRulesPack(input);
  return parsed.ok ? [] : parsed.errors;
}

describe('parseRulesPack', () => {
  it('accepts a valid pack', () => {
    const parsed = parseRulesPack(base());
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && ruleFor(parsed.pack, M100)?.maxPerNoc).toBe(3);
  });

  it('reports schema errors with their field', () => {
    const pack = base();
    pack['format'] = 'podium.entry-rules/v2';
    pack['timeZone'] = 'Paris';
    expect(errorsOf(pack).map((e) => e.field)).toEqual(['format', 'timeZone']);
  });

  it('checks deadlines are in order and readable', () => {
    const pack = base();
    pack['deadlines'] = { entryByNumber: '2024-07-10T00:00', entryByName: '2024-07-08T23:59', lateReplacement: '2024-07-01T12:00' };
    expect(errorsOf(pack)).toEqual([
      { field: 'deadlines.entryByName', message: 'Entry by Name (2024-07-08T23:59) must not close before Entry by Number (2024-07-10T00:00)' },
      { field: 'deadlines.lateReplacement', message: 'Late Athlete Replacement (2024-07-01T12:00) must not close before Entry by Name (2024-07-08T23:59)' },
    ]);
  });

  it('cross-checks rules, standards, team composition, places and rankings', () => {
    const pack = base() as { events: Record<string, unknown>[]; quotaPlaces: Record<string, unknown>[]; rankings: Record<string, unknown>[] };
    const [m100, relay] = pack.events as [Record<string, unknown>, Record<string, unknown>];
    (m100['standard'] as Record<string, unknown>)['mark'] = '10,00';
    m100['fieldSize'] = 2;
    (relay['team'] as { composition: { count: number }[] }).composition[0]!.count = 3;
    pack.events.push({ event: ev('ATHM100M'), type: 'individual', maxPerNoc: 1, qualification: 'open' });
    pack.quotaPlaces.push(
      { id: 'RELAY-JPN-2', event: RELAY, kind: 'NOC', noc: 'JPN' },
      { id: 'X', event: ev('SWMW400MFREE'), kind: 'NOC', noc: 'JPN' },
      { id: 'Y', event: M100, kind: 'ATHLETE', noc: 'KEN' },
    );
    pack.rankings.push({ event: ev('SWMW400MFREE'), list: [{ rank: 1, noc: 'JPN' }] });
    expect(errorsOf(pack)).toEqual([
      { field: 'events[0].fieldSize', message: 'field size 2 is below the maximum per NOC 3' },
      { field: 'events[0].standard.mark', message: "'10,00' is not a time (ss.xx, m:ss.xx or h:mm:ss)" },
      {
        field: 'events[1].team.composition',
        message: 'the slots add up to 5 starters; starters must then be exactly 5 (min 4, max 4)',
      },
      { field: 'events[5].event', message: 'ATHM100M has two rules' },
      { field: 'quotaPlaces[5].noc', message: 'NOC JPN would hold 2 quota places in ATHX4X400M, maximum 1' },
      { field: 'quotaPlaces[6].event', message: 'SWMW400MFREE has no rule in this pack' },
      { field: 'quotaPlaces[7].noc', message: "NOC KEN is not in the pack's nocs" },
      { field: 'quotaPlaces[7].athlete', message: 'a named (ATHLETE) place needs the athlete IF id' },
      { field: 'rankings[1].event', message: 'SWMW400MFREE has no rule in this pack' },
    ]);
  });

  it('refuses a phase code as an event and a standard on a team event', () => {
    const pack = base() as { events: Record<string, unknown>[] };
    pack.events[0]!['event'] = 'ATHM100M--------------FNL---------';
    pack.events[1]!['standard'] = { measure: 'time', better: 'lower', mark: '3:15.00', window: { from: '2024-01-01', to: '2024-06-30' } };
    expect(errorsOf(pack).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'events[0].event: must be an event code (phase and unit all "-")',
      'events[1].standard: team events qualify by quota places, not by an entry standard',
      'quotaPlaces[4].event: ATHM100M has no rule in this pack',
    ]);
  });
});

describe('deadlinesFor', () => {
  it('resolves local deadlines in the pack time zone, with per-event overrides', () => {
    const pack = miniPack();
    const rule = { ...ruleFor(pack, M100)!, deadlines: { entryByName: '2024-07-01T12:00' } };
    const d = deadlinesFor(pack, rule);
    expect(d.entryByName.utc.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(d.entryByNumber.utc.toISOString()).toBe('2024-06-10T21:59:00.000Z');
    expect(describeDeadline(d.entryByName)).toBe('2024-07-01T12:00:00+02:00 (Europe/Paris)');
  });
});
