/** Builders of in-memory schedules for tests. */
import { localToUtc, parseRscOrThrow } from '@podium/odf';
import { parseDataPack, scheduleFromPack } from '../data-pack';
import type { Schedule, ScheduleEdition, ScheduleSession, ScheduleUnit, ScheduleVenue } from '../model';
import { miniPack } from './mini-pack';

/** The instant test schedules were "imported" at. */
export const T0 = new Date('2024-07-01T00:00:00.000Z');

export const paris = (local: string): Date => localToUtc(local, 'Europe/Paris');
export const tahiti = (local: string): Date => localToUtc(local, 'Pacific/Tahiti');

export const TEST_EDITION: ScheduleEdition = {
  code: 'OG2024',
  timeZone: 'Europe/Paris',
  logicalDayEnd: '03:00',
};

export const TEST_VENUES: readonly ScheduleVenue[] = [
  {
    code: 'STA',
    name: 'Stade de France',
    timeZone: 'Europe/Paris',
    openingDays: { from: '2024-08-01', to: '2024-08-11' },
    locations: [
      { code: 'TRACK', name: 'Track' },
      { code: 'FIELD', name: 'Field' },
    ],
  },
  {
    code: 'LDA',
    name: 'Paris La Defense Arena',
    timeZone: 'Europe/Paris',
    openingDays: { from: '2024-07-27', to: '2024-08-04' },
    locations: [{ code: 'POOL', name: 'Pool' }],
  },
  {
    code: 'TEA',
    name: "Teahupo'o",
    timeZone: 'Pacific/Tahiti',
    openingDays: { from: '2024-07-27', to: '2024-08-04' },
    locations: [{ code: 'REEF', name: 'Reef' }],
  },
];

/** A unit at STA/TRACK, SCHEDULED, version 1, phase order 1, without times unless given. */
export function testUnit(rsc: string, overrides: Partial<ScheduleUnit> = {}): ScheduleUnit {
  const parsed = parseRscOrThrow(rsc);
  return {
    rsc,
    name: `Unit ${parsed.phase}${parsed.unit}`,
    eventRsc: parsed.eventCode,
    phaseRsc: parsed.phaseCode,
    phaseOrder: 1,
    venue: 'STA',
    location: 'TRACK',
    session: null,
    startUtc: null,
    endUtc: null,
    status: 'SCHEDULED',
    medal: false,
    version: 1,
    updatedAt: T0,
    ...overrides,
  };
}

/** A session at STA (no location), SCHEDULED, version 1. */
export function testSession(
  code: string,
  startUtc: Date,
  endUtc: Date,
  overrides: Partial<ScheduleSession> = {},
): ScheduleSession {
  return {
    code,
    name: `Session ${code}`,
    venue: 'STA',
    location: null,
    startUtc,
    endUtc,
    status: 'SCHEDULED',
    version: 1,
    updatedAt: T0,
    ...overrides,
  };
}

export function testSchedule(parts: { units?: ScheduleUnit[]; sessions?: ScheduleSession[] }): Schedule {
  return {
    edition: TEST_EDITION,
    venues: TEST_VENUES,
    sessions: parts.sessions ?? [],
    units: parts.units ?? [],
  };
}

/** The schedule of the mini pack (see mini-pack.ts), as imported at T0. */
export function miniSchedule(): Schedule {
  const parsed = parseDataPack(miniPack());
  if (!parsed.ok) throw new Error(`mini pack rejected: ${JSON.stringify(parsed.rejected)}`);
  return scheduleFromPack(parsed.pack, T0);
}

export function unitOf(schedule: Schedule, rsc: string): ScheduleUnit {
  const unit = schedule.units.find((u) => u.rsc === rsc);
  if (!unit) throw new Error(`no unit ${rsc}`);
  return unit;
}

export function sessionOf(schedule: Schedule, code: string): ScheduleSession {
  const session = schedule.sessions.find((s) => s.code === code);
  if (!session) throw new Error(`no session ${code}`);
  return session;
}
