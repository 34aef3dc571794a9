import type { CardState, ScheduleUnitState, VolunteerHandover } from '@podium/contracts';

import {
  cardMemberRef,
  cardRow,
  expandAvailability,
  flagKind,
  MAX_AVAILABLE_DATES,
  sessionSpan,
  shiftMove,
  stopsWork,
  unitRow,
  volunteerMemberFields,
} from './events.logic';

const T = (iso: string) => Date.parse(iso);
const NOW = new Date('2024-07-01T00:00:00Z');

describe('expandAvailability', () => {
  it('expands inclusive ranges into sorted distinct local dates', () => {
    expect(
      expandAvailability([
        { from: '2024-08-03', to: '2024-08-04' },
        { from: '2024-07-31', to: '2024-08-01' },
        { from: '2024-08-01', to: '2024-08-01' },
      ]),
    ).toEqual(['2024-07-31', '2024-08-01', '2024-08-03', '2024-08-04']);
  });

  it('crosses month ends and leap days, and ignores a range ending before it starts', () => {
    expect(expandAvailability([{ from: '2024-02-28', to: '2024-03-01' }, { from: '2024-05-02', to: '2024-05-01' }])).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  it('keeps "available whenever" (an empty list: every day) for ranges covering more than two years', () => {
    expect(expandAvailability([{ from: '2000-01-01', to: '2099-12-31' }])).toEqual([]);
    const many = Array.from({ length: 800 }, (_, i) => {
      const d = new Date(Date.UTC(2024, 0, 1) + i * 2 * 86_400_000).toISOString().slice(0, 10);
      return { from: d, to: d };
    });
    expect(expandAvailability(many)).toEqual([]);
    expect(expandAvailability(many.slice(0, MAX_AVAILABLE_DATES))).toHaveLength(MAX_AVAILABLE_DATES);
  });
});

describe('volunteerMemberFields', () => {
  it("takes the hand-over's names, role, area, venue as home venue, sorted languages and skills, and its dates", () => {
    const h: VolunteerHandover = {
      id: '3e5b9a1c-7d2f-4c8e-9b6a-1f0e2d3c4b5a',
      edition: 'OG2024',
      familyName: 'MARTIN',
      givenName: 'Léa',
      dateOfBirth: '1996-05-14',
      nationality: 'FRA',
      role: 'Spectator services',
      functionalArea: 'SPS',
      venue: 'STA',
      languages: ['fr', 'en', 'fr'],
      skills: ['first aid'],
      drivingLicence: true,
      availability: [{ from: '2024-07-30', to: '2024-08-01' }],
      version: 3,
      updatedAt: '2024-05-02T09:00:00.000Z',
    };
    expect(volunteerMemberFields(h)).toEqual({
      volunteerId: h.id,
      edition: 'OG2024',
      familyName: 'MARTIN',
      givenName: 'Léa',
      role: 'Spectator services',
      functionalArea: 'SPS',
      homeVenue: 'STA',
      languages: ['en', 'fr'],
      skills: ['first aid'],
      availableDates: ['2024-07-30', '2024-07-31', '2024-08-01'],
      personal: { dateOfBirth: '1996-05-14', nationality: 'FRA' },
      sourceVersion: 3,
    });
  });
});

describe('cards', () => {
  const card: CardState = {
    cardNumber: 'OG2024-000001',
    edition: 'OG2024',
    holder: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
    category: 'VOL',
    venues: ['STA'],
    zones: ['1'],
    transport: [],
    dining: [],
    validFrom: '2024-07-18T00:00:00.000Z',
    validTo: '2024-08-14T00:00:00.000Z',
    status: 'suspended',
    credentialId: null,
    version: 4,
    updatedAt: '2024-07-20T10:00:00.000Z',
  };

  it('maps a card state to its row', () => {
    expect(cardRow(card)).toEqual({
      cardNumber: 'OG2024-000001',
      edition: 'OG2024',
      holder: card.holder,
      status: 'suspended',
      venues: ['STA'],
      zones: ['1'],
      validFrom: new Date('2024-07-18T00:00:00.000Z'),
      validTo: new Date('2024-08-14T00:00:00.000Z'),
      version: 4,
      updatedAt: new Date('2024-07-20T10:00:00.000Z'),
    });
    expect(cardRow({ ...card, status: 'expired' }).status).toBe('active');
  });

  it("finds the card's member by the source: a member id, a volunteer id, or nobody", () => {
    const id = '6a1f2e3d-4c5b-4a69-8877-665544332211';
    expect(cardMemberRef({ source: { service: 'workforce', id } })).toEqual({ by: 'member', id });
    expect(cardMemberRef({ source: { service: 'volunteers', id } })).toEqual({ by: 'volunteer', id });
    expect(cardMemberRef({ source: null })).toEqual({ by: 'none' });
    expect(cardMemberRef({})).toEqual({ by: 'none' });
  });

  it('says which statuses stop the holder working', () => {
    expect(stopsWork('suspended')).toBe('accreditation-suspended');
    expect(stopsWork('revoked')).toBe('accreditation-revoked');
    expect(stopsWork('active')).toBeNull();
    expect(stopsWork('issued')).toBeNull();
  });
});

describe('flagKind', () => {
  it('knows the kinds it reacts to and nothing else', () => {
    expect(flagKind({ kind: 'session-moved' })).toBe('session-moved');
    expect(flagKind({ kind: 'accreditation-revoked' })).toBe('accreditation-revoked');
    expect(flagKind({ kind: 'late' })).toBeUndefined();
    expect(flagKind(null)).toBeUndefined();
    expect(flagKind('session-moved')).toBeUndefined();
  });
});

describe('schedule units and session spans', () => {
  const unit = (over: Partial<ScheduleUnitState>): ScheduleUnitState => ({
    edition: 'OG2024',
    rsc: 'ATHM100M--------------FNL-000100--',
    discipline: 'ATH',
    eventRsc: 'ATHM100M--------------------------',
    phaseRsc: 'ATHM100M--------------FNL---------',
    name: 'Final',
    medal: true,
    status: 'SCHEDULED',
    startUtc: '2024-08-04T19:50:00Z',
    endUtc: '2024-08-04T20:00:00Z',
    venue: 'STA',
    location: null,
    timeZone: 'Europe/Paris',
    startLocal: null,
    endLocal: null,
    logicalDate: '2024-08-04',
    session: 'ATH11',
    version: 3,
    change: null,
    updatedAt: '2024-08-01T09:12:00Z',
    ...over,
  });

  it('keeps no times of a cancelled or untimed unit, and the start as the end of a unit without one', () => {
    expect(unitRow(unit({}))).toMatchObject({ startsAt: new Date('2024-08-04T19:50:00Z'), endsAt: new Date('2024-08-04T20:00:00Z'), session: 'ATH11' });
    expect(unitRow(unit({ status: 'CANCELLED' }))).toMatchObject({ startsAt: null, endsAt: null, status: 'CANCELLED' });
    expect(unitRow(unit({ startUtc: null, endUtc: null }))).toMatchObject({ startsAt: null, endsAt: null });
    expect(unitRow(unit({ endUtc: null }))).toMatchObject({ endsAt: new Date('2024-08-04T19:50:00Z') });
  });

  it('spans the earliest start to the latest end of the timed units', () => {
    const d = (iso: string) => new Date(iso);
    expect(
      sessionSpan([
        { startsAt: d('2024-08-04T19:00:00Z'), endsAt: d('2024-08-04T19:30:00Z'), venue: 'STA' },
        { startsAt: null, endsAt: null, venue: 'STA' },
        { startsAt: d('2024-08-04T18:00:00Z'), endsAt: d('2024-08-04T18:10:00Z'), venue: 'STA' },
        { startsAt: d('2024-08-04T20:00:00Z'), endsAt: d('2024-08-04T21:00:00Z'), venue: 'STA' },
      ]),
    ).toEqual({ start: T('2024-08-04T18:00:00Z'), end: T('2024-08-04T21:00:00Z'), venue: 'STA' });
    expect(sessionSpan([{ startsAt: null, endsAt: null, venue: null }])).toBeNull();
  });

  it('suggests moving a shift by the offset of the session start, counted from the start it was planned against', () => {
    const shift = { start: T('2024-08-04T16:00:00Z'), end: T('2024-08-04T22:00:00Z'), flag: null };
    const first = shiftMove(shift, 'ATH11', T('2024-08-04T18:00:00Z'), T('2024-08-04T19:30:00Z'), NOW);
    expect(first).toEqual({
      kind: 'flag',
      start: T('2024-08-04T17:30:00Z'),
      end: T('2024-08-04T23:30:00Z'),
      flag: {
        kind: 'session-moved',
        session: 'ATH11',
        offsetMinutes: 90,
        suggestedStart: '2024-08-04T17:30:00.000Z',
        suggestedEnd: '2024-08-04T23:30:00.000Z',
        plannedSessionStart: '2024-08-04T18:00:00.000Z',
        at: NOW.toISOString(),
      },
    });
    if (first.kind !== 'flag') throw new Error('flagged');
    // Moved again (earlier): the offset is from the planned start, not the last one.
    const second = shiftMove({ ...shift, flag: first.flag }, 'ATH11', T('2024-08-04T19:30:00Z'), T('2024-08-04T17:00:00Z'), NOW);
    expect(second).toMatchObject({ kind: 'flag', flag: { offsetMinutes: -60, suggestedStart: '2024-08-04T15:00:00.000Z', plannedSessionStart: '2024-08-04T18:00:00.000Z' } });
    // Back where it was planned: the flag goes.
    expect(shiftMove({ ...shift, flag: first.flag }, 'ATH11', T('2024-08-04T19:30:00Z'), T('2024-08-04T18:00:00Z'), NOW)).toEqual({ kind: 'clear' });
    // An unflagged shift of a session whose start did not move: nothing.
    expect(shiftMove(shift, 'ATH11', T('2024-08-04T18:00:00Z'), T('2024-08-04T18:00:00Z'), NOW)).toEqual({ kind: 'none' });
  });
});
