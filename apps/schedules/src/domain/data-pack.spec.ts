import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataPack, type RejectedRow, rejectedRowPath, scheduleFromPack } from './data-pack';
import type { DataPackInput } from './data-pack.schema';
import { M100_FINAL, M100_HEAT1, M100_SFNL, miniPack, SRF_FINAL, SRF_HEAT1 } from './__fixtures__/mini-pack';
import { rsc, unitNo } from './__fixtures__/rsc';

const invalidPack: unknown = JSON.parse(
  readFileSync(join(__dirname, '__fixtures__', 'invalid-pack.json'), 'utf8'),
);

function rejectedOf(input: unknown): RejectedRow[] {
  const result = parseDataPack(input);
  if (result.ok) throw new Error('expected the pack to be rejected');
  return result.rejected;
}

/** The mini pack with `edit` applied. */
function edited(edit: (pack: DataPackInput) => void): DataPackInput {
  const pack = miniPack();
  edit(pack);
  return pack;
}

const paths = (rows: readonly RejectedRow[]): string[] => rows.map(rejectedRowPath);

describe('parseDataPack', () => {
  describe('a valid pack', () => {
    const result = parseDataPack(miniPack());
    if (!result.ok) throw new Error(JSON.stringify(result.rejected));
    const { pack } = result;

    it('is accepted with no rejected rows', () => {
      expect(result.rejected).toEqual([]);
      expect(pack.units).toHaveLength(6);
    });

    it('defaults the logical day end and keeps the edition', () => {
      expect(pack.edition).toEqual({
        code: 'OG2024',
        name: 'Test Games 2024',
        kind: 'OG',
        timeZone: 'Europe/Paris',
        locale: 'fr-FR',
        logicalDayEnd: '03:00',
        startDate: '2024-07-24',
        endDate: '2024-08-11',
      });
    });

    it("resolves venue-local wall clocks to UTC in each venue's zone", () => {
      const ath01 = pack.sessions.find((s) => s.code === 'ATH01');
      const srf01 = pack.sessions.find((s) => s.code === 'SRF01');
      expect(ath01?.startUtc.toISOString()).toBe('2024-08-02T08:00:00.000Z'); // Paris, UTC+2
      expect(srf01?.startUtc.toISOString()).toBe('2024-07-27T17:00:00.000Z'); // Tahiti, UTC-10
      expect(srf01?.endUtc.toISOString()).toBe('2024-07-28T03:00:00.000Z');
      const final = pack.units.find((u) => u.rsc === M100_FINAL);
      expect(final?.startUtc?.toISOString()).toBe('2024-08-04T19:50:00.000Z');
    });

    it('derives event, phase, phase order and discipline from the RSC, and the place from the session', () => {
      expect(pack.units.find((u) => u.rsc === SRF_HEAT1)).toMatchObject({
        discipline: 'SRF',
        eventRsc: rsc('SRF', 'M', 'SHORTBRD'),
        phaseRsc: rsc('SRF', 'M', 'SHORTBRD', 'RND1'),
        phaseOrder: 1,
        session: 'SRF01',
        venue: 'TEA',
        location: 'REEF',
        status: 'SCHEDULED',
        medal: false,
      });
      expect(pack.phases.find((p) => p.rsc === M100_SFNL)).toEqual({
        rsc: M100_SFNL,
        eventRsc: rsc('ATH', 'M', '100M'),
        discipline: 'ATH',
        name: 'Semi-final',
        order: 2,
      });
      expect(pack.events[1]).toMatchObject({ discipline: 'SRF', gender: 'M', medal: true });
    });

    it('makes a unit without times UNSCHEDULED', () => {
      expect(pack.units.find((u) => u.rsc === SRF_FINAL)).toMatchObject({
        status: 'UNSCHEDULED',
        startUtc: null,
        endUtc: null,
        session: null,
        venue: 'TEA',
        medal: true,
      });
    });

    it('builds the imported schedule: version 1, sessions SCHEDULED', () => {
      const now = new Date('2024-07-01T00:00:00Z');
      const schedule = scheduleFromPack(pack, now);
      expect(schedule.edition).toEqual({ code: 'OG2024', timeZone: 'Europe/Paris', logicalDayEnd: '03:00' });
      expect(
        schedule.sessions.every((s) => s.status === 'SCHEDULED' && s.version === 1 && s.updatedAt === now),
      ).toBe(true);
      expect(schedule.units.find((u) => u.rsc === M100_HEAT1)).toMatchObject({
        version: 1,
        rescheduled: false,
        lastChange: null,
      });
    });

    it('accepts null for optional fields', () => {
      const result2 = parseDataPack(
        edited((p) => {
          p.units?.push({
            rsc: rsc('ATH', 'M', '100M', 'HEAT', unitNo(9)),
            name: 'TBD',
            session: null,
            venue: null,
            start: null,
          });
        }),
      );
      expect(result2.ok).toBe(true);
    });
  });

  describe('the invalid fixture', () => {
    const rejected = rejectedOf(invalidPack);

    it('names every bad row and the field at fault, in pack order', () => {
      expect(paths(rejected)).toEqual([
        'sports[2].code',
        'disciplines[2].sport',
        'venues[2].timeZone',
        'venues[3].openingDays.to',
        'venues[3].locations[1].code',
        'events[2].rsc',
        'events[3].rsc',
        'events[5].gender',
        'phases[4].rsc',
        'phases[5].order',
        'sessions[3].code',
        'sessions[4].end',
        'sessions[5].venue',
        'sessions[7].location',
        'units[3].rsc',
        'units[4].session',
        'units[5].start',
        'units[6].rsc',
        'units[6].rsc',
        'units[7].rsc',
        'units[8].rsc',
        'units[9].location',
        'units[10].end',
        'units[11].medal',
        'units[13].start',
        'units[14].end',
        'units[15].start',
        'units[16].start',
        'units[17].venue',
        'units[18].rsc',
        'units[19].startTime',
      ]);
    });

    it.each([
      ['sports[2].code', /duplicate code 'ATH' \(already declared by sports\[0\]\)/],
      ['disciplines[2].sport', /unknown sport 'AQU'/],
      ['venues[2].timeZone', /IANA time zone/],
      ['venues[3].openingDays.to', /must not be before from/],
      ['venues[3].locations[1].code', /duplicate location code 'COURT'/],
      ['events[2].rsc', /RSC must be 34 characters, got 33/],
      ['events[3].rsc', /discipline 'JUD' is not declared/],
      ['events[5].gender', /does not match the RSC's gender 'W'/],
      ['phases[4].rsc', /event 'ATHW100M-{26}' is not declared/],
      ['phases[5].order', />=1/],
      ['sessions[3].code', /duplicate code 'ATH01'/],
      ['sessions[4].end', /end 2024-08-03T21:00 is not after start 2024-08-03T22:00/],
      ['sessions[5].venue', /unknown venue 'NOPE'/],
      ['sessions[7].location', /unknown location 'POOL' at venue 'STA'/],
      ['units[3].rsc', /RSC must be uppercase/],
      ['units[4].session', /unknown session 'ATH09'/],
      ['units[5].start', /^UNIT_OUTSIDE_SESSION: .* is not within its session ATH01/],
      ['units[7].rsc', /phase 'ATHM100M-{14}QFNL-{8}' is not declared/],
      ['units[8].rsc', /duplicate rsc/],
      ['units[9].location', /unknown location 'POOL'/],
      ['units[10].end', /start and end must be given together/],
      ['units[11].medal', /awards no medals/],
      ['units[13].start', /^VENUE_OVERLAP: /],
      ['units[14].end', /is not after start/],
      ['units[15].start', /^PHASE_ORDER: /],
      ['units[16].start', /^OUTSIDE_VENUE_OPENING: .* on 2024-08-06 .*Pacific\/Tahiti/],
      ['units[17].venue', /differs from the venue 'TEA' of session 'SRF01'/],
      ['units[18].rsc', /must be a unit RSC/],
      ['units[19].startTime', /unknown field/],
    ])('%s: %s', (path, reason) => {
      const row = rejected.find((r) => rejectedRowPath(r) === path);
      expect(row?.reason).toMatch(reason);
    });

    it('carries the key of each row', () => {
      expect(rejected.find((r) => r.section === 'sessions' && r.index === 5)?.key).toBe('XYZ01');
      expect(rejected.find((r) => r.section === 'units' && r.index === 11)?.key).toBe(
        rsc('SRF', 'M', 'SHORTBRD', 'FNL', unitNo(1)),
      );
    });

    it('reports both problems of a unit with an undeclared discipline and phase', () => {
      expect(rejected.filter((r) => r.section === 'units' && r.index === 6).map((r) => r.reason)).toEqual([
        "discipline 'JUD' is not declared",
        `phase '${rsc('JUD', 'M', '60KG', 'FNL')}' is not declared`,
      ]);
    });

    it('does not cascade: rows depending only on an already rejected row are not reported again', () => {
      // events[4] (discipline SWM rejected), phases[6] (its event), sessions[6] (venue LDA rejected), units[12].
      expect(paths(rejected)).not.toContain('events[4].rsc');
      expect(rejected.some((r) => r.section === 'phases' && r.index === 6)).toBe(false);
      expect(rejected.some((r) => r.section === 'sessions' && r.index === 6)).toBe(false);
      expect(rejected.some((r) => r.section === 'units' && r.index === 12)).toBe(false);
    });

    it('rejects the pack whole', () => {
      const result = parseDataPack(invalidPack);
      expect(result.ok).toBe(false);
      expect(result).not.toHaveProperty('pack');
    });
  });

  describe('outer shape', () => {
    it.each([
      [null, ['']],
      ['a pack', ['']],
      [[], ['']],
    ])('rejects %p as a whole', (input, expected) => {
      expect(paths(rejectedOf(input))).toEqual(expected);
    });

    it('requires the v1 format tag', () => {
      const rejected = rejectedOf({ ...miniPack(), format: 'podium.datapack/v2' });
      expect(rejected).toEqual([
        { section: 'pack', index: 0, field: 'format', reason: "must be 'podium.datapack/v1'" },
      ]);
    });

    it('rejects unknown top-level fields and sections that are not arrays', () => {
      const rejected = rejectedOf({ ...miniPack(), extra: true, units: {} });
      expect(paths(rejected).sort()).toEqual(['extra', 'units']);
    });

    it('rejects a row that is not an object', () => {
      const rejected = rejectedOf(edited((p) => (p.sports as unknown[]).push('ATH')));
      expect(rejected).toEqual([{ section: 'sports', index: 2, reason: 'must be an object' }]);
    });
  });

  describe('edition', () => {
    it.each([
      ['code', 'OG24', /OG2024/],
      ['code', 'og2024', /OG2024/],
      ['kind', 'WOG', /OG/],
      ['timeZone', 'Mars/Olympus', /IANA/],
      ['locale', 'fr_FR!', /BCP 47/],
      ['logicalDayEnd', '24:00', /HH:mm/],
      ['endDate', '2024-07-01', /must not be before startDate/],
      ['startDate', '2024-02-30', /YYYY-MM-DD/],
    ])('rejects %s %p', (field, value, reason) => {
      const rejected = rejectedOf(edited((p) => Object.assign(p.edition, { [field]: value })));
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({
        section: 'edition',
        field,
        key: field === 'code' ? value : 'OG2024',
      });
      expect(rejected[0]?.reason).toMatch(reason);
      expect(rejectedRowPath(rejected[0] as RejectedRow)).toBe(`edition.${field}`);
    });

    it('accepts edition codes with a suffix', () => {
      expect(parseDataPack(edited((p) => (p.edition.code = 'OG2028-ITL'))).ok).toBe(true);
    });
  });

  describe('times', () => {
    it('rejects a local time that does not exist (DST spring-forward gap)', () => {
      const rejected = rejectedOf(
        edited((p) => {
          p.edition.startDate = '2025-03-01';
          p.edition.endDate = '2025-03-31';
          p.venues = [
            {
              ...(p.venues?.[0] as NonNullable<DataPackInput['venues']>[number]),
              openingDays: { from: '2025-03-01', to: '2025-03-31' },
            },
          ];
          p.sessions = [
            {
              code: 'ATH01',
              venue: 'STA',
              name: 'Night',
              start: '2025-03-30T02:30',
              end: '2025-03-30T04:00',
            },
          ];
          p.units = [];
        }),
      );
      expect(paths(rejected)).toEqual(['sessions[0].start']);
      expect(rejected[0]?.reason).toMatch(/does not exist in Europe\/Paris/);
    });

    it('rejects sessions outside the edition dates (logical days)', () => {
      const rejected = rejectedOf(
        edited((p) => {
          p.edition.endDate = '2024-08-03';
        }),
      );
      // The units of ATH02 are not reported again: they depend on a rejected session.
      expect(paths(rejected)).toEqual(['sessions[1].start']);
      expect(rejected[0]?.reason).toBe(
        'falls on 2024-08-04, outside the edition dates (2024-07-24..2024-08-03)',
      );
    });

    it('rejects units without a session outside the edition dates, in the venue zone', () => {
      const later = rejectedOf(
        edited((p) => {
          const final = p.units?.[5];
          // 2024-08-11 20:00 in Tahiti is already 2024-08-12 in Paris: the venue's zone decides.
          if (final) Object.assign(final, { start: '2024-08-11T20:00', end: '2024-08-11T20:30' });
          p.edition.endDate = '2024-08-10';
        }),
      );
      expect(paths(later)).toEqual(['units[5].start']);
      expect(later[0]?.reason).toBe(
        'falls on 2024-08-11, outside the edition dates (2024-07-24..2024-08-10)',
      );
    });

    it('rejects a malformed local time, and one with an offset', () => {
      const rejected = rejectedOf(
        edited((p) => {
          const [first, second] = p.sessions ?? [];
          if (first) first.start = '2024-08-02 10:00';
          if (second) second.end = '2024-08-04T22:30+02:00';
        }),
      );
      expect(paths(rejected)).toEqual(['sessions[0].start', 'sessions[1].end']);
      expect(rejected[0]?.reason).toMatch(/local date-time 'YYYY-MM-DDTHH:mm' \(no offset\)/);
    });
  });

  describe('units', () => {
    const unit = (overrides: Record<string, unknown>): DataPackInput =>
      edited((p) => {
        p.units = [
          {
            rsc: M100_HEAT1,
            name: 'Heat 1',
            session: 'ATH01',
            start: '2024-08-02T10:05',
            end: '2024-08-02T10:11',
            ...overrides,
          },
        ];
      });

    it.each([
      [{ status: 'UNSCHEDULED' }, 'units[0].status', /must not have start and end/],
      [{ start: undefined, end: undefined, status: 'SCHEDULED' }, 'units[0].status', /needs start and end/],
      [{ status: 'RUNNING' }, 'units[0].status', /expected one of/i],
      [{ phase: rsc('ATH', 'M', '100M', 'FNL') }, 'units[0].phase', /does not match the RSC's phase/],
      [{ session: undefined }, 'units[0].venue', /needs a venue/],
      [{ location: 'REEF' }, 'units[0].location', /unknown location 'REEF' at venue 'STA'/],
      [
        { session: 'SRF01', start: '2024-07-27T08:00', end: '2024-07-27T08:30', location: 'TRACK' },
        'units[0].location',
        /differs from the location 'REEF' of session 'SRF01'/,
      ],
    ])('rejects %p', (overrides, path, reason) => {
      const rejected = rejectedOf(unit(overrides));
      expect(paths(rejected)).toEqual([path]);
      expect(rejected[0]?.reason).toMatch(reason);
    });

    it('accepts POSTPONED and CANCELLED units with or without times', () => {
      expect(parseDataPack(unit({ status: 'POSTPONED' })).ok).toBe(true);
      expect(parseDataPack(unit({ status: 'CANCELLED', start: undefined, end: undefined })).ok).toBe(true);
    });

    it('ignores inactive units in the conflict checks', () => {
      const result = parseDataPack(
        edited((p) => {
          p.units?.push({
            rsc: rsc('ATH', 'M', '100M', 'HEAT', unitNo(3)),
            name: 'Cancelled heat',
            session: 'ATH01',
            location: 'TRACK',
            start: '2024-08-02T10:05',
            end: '2024-08-02T10:11',
            status: 'CANCELLED',
          });
        }),
      );
      expect(result.ok).toBe(true);
    });

    it('rejects an event code that carries a phase', () => {
      const rejected = rejectedOf(edited((p) => p.events?.push({ rsc: M100_SFNL, name: 'Not an event' })));
      expect(paths(rejected)).toEqual(['events[2].rsc']);
      expect(rejected[0]?.reason).toContain("must be an event RSC (phase and unit all '-'), e.g. 'ATHM100M");
    });
  });
});

describe('rejectedRowPath', () => {
  it.each([
    [{ section: 'pack', index: 0, field: 'format', reason: '' }, 'format'],
    [{ section: 'pack', index: 0, reason: '' }, ''],
    [{ section: 'edition', index: 0, field: 'timeZone', reason: '' }, 'edition.timeZone'],
    [{ section: 'units', index: 3, reason: '' }, 'units[3]'],
    [{ section: 'venues', index: 1, field: 'locations[0].code', reason: '' }, 'venues[1].locations[0].code'],
  ] as const)('%p -> %s', (row, path) => {
    expect(rejectedRowPath(row)).toBe(path);
  });
});
