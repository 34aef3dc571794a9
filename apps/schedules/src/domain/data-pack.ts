/**
 * Data pack import: validates an edition's reference data (format 'podium.datapack/v1', see docs/data-pack.md)
 * and normalizes it, venue-local wall clocks resolved to UTC instants in each venue's time zone.
 *
 * Every bad row is reported, with why; a pack with any rejected row is rejected whole.
 */
import { type Gender, localToUtc, parseRsc, type Rsc, rscLevel, type ScheduleStatus } from '@podium/odf';
import type { z } from 'zod';
import { findConflicts } from './conflicts';
import {
  DATA_PACK_FORMAT,
  type PackDisciplineRow,
  type PackEditionRow,
  type PackSessionRow,
  type PackSportRow,
  type PackUnitRow,
  type PackVenueRow,
  packDisciplineSchema,
  packEditionSchema,
  packEventSchema,
  packPhaseSchema,
  packSessionSchema,
  packShellSchema,
  packSportSchema,
  packUnitSchema,
  packVenueSchema,
} from './data-pack.schema';
import { fieldIssues } from './issues';
import type { Schedule } from './model';
import { logicalSpan } from './time-format';

export const PACK_SECTIONS = [
  'pack',
  'edition',
  'sports',
  'disciplines',
  'venues',
  'events',
  'phases',
  'sessions',
  'units',
] as const;
export type PackSection = (typeof PACK_SECTIONS)[number];

export interface RejectedRow {
  /** 'pack' for the pack's outer shape, 'edition' for the edition object, else the array the row is in. */
  readonly section: PackSection;
  /** Index of the row in its section (0 for 'pack' and 'edition'). */
  readonly index: number;
  /** The row's code or RSC, when it has a readable one. */
  readonly key?: string;
  /** Path of the bad field inside the row, e.g. 'start' or 'locations[1].code'. */
  readonly field?: string;
  readonly reason: string;
}

export type NormalizedEdition = PackEditionRow;
export type NormalizedSport = PackSportRow;
export type NormalizedDiscipline = PackDisciplineRow;
export type NormalizedVenue = PackVenueRow;

export interface NormalizedEvent {
  readonly rsc: string;
  readonly discipline: string;
  readonly name: string;
  readonly gender: Gender;
  readonly medal: boolean;
}

export interface NormalizedPhase {
  readonly rsc: string;
  readonly eventRsc: string;
  readonly discipline: string;
  readonly name: string;
  readonly order: number;
}

export interface NormalizedSession {
  readonly code: string;
  readonly name: string;
  readonly venue: string;
  readonly location: string | null;
  readonly startUtc: Date;
  readonly endUtc: Date;
}

export interface NormalizedUnit {
  readonly rsc: string;
  readonly name: string;
  readonly discipline: string;
  readonly eventRsc: string;
  readonly phaseRsc: string;
  readonly phaseOrder: number;
  readonly session: string | null;
  readonly venue: string | null;
  readonly location: string | null;
  readonly startUtc: Date | null;
  readonly endUtc: Date | null;
  readonly status: ScheduleStatus;
  readonly medal: boolean;
}

export interface NormalizedPack {
  readonly format: typeof DATA_PACK_FORMAT;
  readonly edition: NormalizedEdition;
  readonly sports: readonly NormalizedSport[];
  readonly disciplines: readonly NormalizedDiscipline[];
  readonly venues: readonly NormalizedVenue[];
  readonly events: readonly NormalizedEvent[];
  readonly phases: readonly NormalizedPhase[];
  readonly sessions: readonly NormalizedSession[];
  readonly units: readonly NormalizedUnit[];
}

export type ParseDataPackResult =
  | { readonly ok: true; readonly pack: NormalizedPack; readonly rejected: [] }
  | { readonly ok: false; readonly rejected: RejectedRow[] };

/** 'units[3].start', 'edition.timeZone', 'venues[0].locations[1].code', 'format': where a rejected row points. */
export function rejectedRowPath(row: RejectedRow): string {
  const base =
    row.section === 'pack' ? '' : row.section === 'edition' ? 'edition' : `${row.section}[${row.index}]`;
  if (!row.field) return base;
  if (!base || row.field.startsWith('[')) return `${base}${row.field}`;
  return `${base}.${row.field}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ParsedRow<T> {
  readonly index: number;
  readonly key: string;
  readonly row: T;
}

/** Rows of a section that passed their own checks, by key, and every key the section declares (even bad rows). */
interface Section<T> {
  readonly rows: ParsedRow<T>[];
  readonly declared: ReadonlySet<string>;
}

type Lookup<T> = { state: 'ok'; value: T } | { state: 'blocked' } | { state: 'unknown' };

/**
 * Resolves a reference: 'ok' when the target row is usable, 'blocked' when it is declared but itself rejected
 * (already reported: dependents are skipped, not reported again), 'unknown' when nothing declares it.
 */
function lookup<T>(usable: ReadonlyMap<string, T>, declared: ReadonlySet<string>, key: string): Lookup<T> {
  const value = usable.get(key);
  if (value !== undefined) return { state: 'ok', value };
  return declared.has(key) ? { state: 'blocked' } : { state: 'unknown' };
}

class PackParser {
  readonly rejected: RejectedRow[] = [];

  reject(row: RejectedRow): void {
    this.rejected.push(row);
  }

  issues(
    section: PackSection,
    index: number,
    key: string | undefined,
    issues: readonly z.core.$ZodIssue[],
  ): void {
    for (const { field, message } of fieldIssues(issues)) {
      this.reject({
        section,
        index,
        ...(key === undefined ? {} : { key }),
        ...(field ? { field } : {}),
        reason: message,
      });
    }
  }

  /** The rejected rows, by section (in pack order) then index; a row's problems in the order found. */
  sorted(): RejectedRow[] {
    const rank = (row: RejectedRow): number => PACK_SECTIONS.indexOf(row.section);
    return this.rejected
      .map((row, order) => ({ row, order }))
      .sort((a, b) => rank(a.row) - rank(b.row) || a.row.index - b.row.index || a.order - b.order)
      .map(({ row }) => row);
  }

  section<S extends z.ZodType>(
    section: PackSection,
    rows: readonly unknown[],
    schema: S,
    keyField: 'code' | 'rsc',
  ): Section<z.output<S>> {
    const firstIndex = new Map<string, number>();
    const parsed: ParsedRow<z.output<S>>[] = [];
    rows.forEach((raw, index) => {
      if (!isRecord(raw)) {
        this.reject({ section, index, reason: 'must be an object' });
        return;
      }
      const rawKey = typeof raw[keyField] === 'string' ? (raw[keyField] as string) : undefined;
      const result = schema.safeParse(raw);
      let ok = result.success;
      if (!result.success) {
        this.issues(section, index, rawKey, result.error.issues);
      }
      if (rawKey !== undefined) {
        const first = firstIndex.get(rawKey);
        if (first !== undefined) {
          ok = false;
          this.reject({
            section,
            index,
            key: rawKey,
            field: keyField,
            reason: `duplicate ${keyField} '${rawKey}' (already declared by ${section}[${first}])`,
          });
        } else {
          firstIndex.set(rawKey, index);
        }
      }
      if (ok && result.success && rawKey !== undefined) {
        parsed.push({ index, key: rawKey, row: result.data });
      }
    });
    return { rows: parsed, declared: new Set(firstIndex.keys()) };
  }
}

function toUtc(local: string, timeZone: string): { ok: true; value: Date } | { ok: false; error: string } {
  try {
    return { ok: true, value: localToUtc(local, timeZone, { disambiguation: 'reject' }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function rscOf(code: string): Rsc {
  const parsed = parseRsc(code);
  if (!parsed.ok) throw new TypeError(parsed.error); // row schemas already validated every RSC
  return parsed.value;
}

const LEVEL_HELP = {
  event: "an event RSC (phase and unit all '-')",
  phase: "a phase RSC (phase set, unit all '-')",
  unit: 'a unit RSC (unit part set)',
} as const;

/**
 * Validates and normalizes a data pack. Never throws. On success `rejected` is empty; otherwise nothing is
 * returned but the rejected rows, one entry per problem (a row may have several).
 *
 * Beyond each row's shape it checks references (sport, discipline, event, phase, venue, location, session),
 * duplicate codes, times (end after start, DST gaps/overlaps, within the edition dates) and then the schedule
 * built from the pack with `findConflicts`: a unit outside its session, overlaps at a venue location, phase order
 * and venue opening days all reject the row concerned.
 */
export function parseDataPack(input: unknown): ParseDataPackResult {
  const p = new PackParser();
  const shell = packShellSchema.safeParse(input);
  if (!shell.success) {
    p.issues('pack', 0, undefined, shell.error.issues);
    return { ok: false, rejected: p.sorted() };
  }
  const raw = shell.data;

  const editionResult = packEditionSchema.safeParse(raw.edition);
  if (!editionResult.success) {
    const code =
      isRecord(raw.edition) && typeof raw.edition['code'] === 'string' ? raw.edition['code'] : undefined;
    p.issues('edition', 0, code, editionResult.error.issues);
  }
  const edition = editionResult.success ? editionResult.data : undefined;

  // Sports and disciplines.
  const sports = p.section('sports', raw.sports, packSportSchema, 'code');
  const usableSports = new Map(sports.rows.map((r) => [r.key, r.row]));
  const disciplineSection = p.section('disciplines', raw.disciplines, packDisciplineSchema, 'code');
  const disciplines = new Map<string, PackDisciplineRow>();
  for (const { index, key, row } of disciplineSection.rows) {
    const sport = lookup(usableSports, sports.declared, row.sport);
    if (sport.state === 'unknown') {
      p.reject({
        section: 'disciplines',
        index,
        key,
        field: 'sport',
        reason: `unknown sport '${row.sport}'`,
      });
    } else if (sport.state === 'ok') {
      disciplines.set(key, row);
    }
  }

  // Venues.
  const venueSection = p.section('venues', raw.venues, packVenueSchema, 'code');
  const venues = new Map(venueSection.rows.map((r) => [r.key, r.row]));

  // Events.
  const eventSection = p.section('events', raw.events, packEventSchema, 'rsc');
  const events = new Map<string, NormalizedEvent>();
  for (const { index, key, row } of eventSection.rows) {
    const rsc = rscOf(row.rsc);
    let ok = true;
    if (rscLevel(rsc) !== 'event') {
      ok = false;
      p.reject({
        section: 'events',
        index,
        key,
        field: 'rsc',
        reason: `must be ${LEVEL_HELP.event}, e.g. '${rsc.eventCode}'`,
      });
    }
    if (rsc.gender === '-') {
      ok = false;
      p.reject({ section: 'events', index, key, field: 'rsc', reason: "an event's RSC needs a gender M, W, X or O" });
    } else if (row.gender !== undefined && row.gender !== rsc.gender) {
      ok = false;
      p.reject({
        section: 'events',
        index,
        key,
        field: 'gender',
        reason: `gender '${row.gender}' does not match the RSC's gender '${rsc.gender}'`,
      });
    }
    const discipline = lookup(disciplines, disciplineSection.declared, rsc.discipline);
    if (discipline.state === 'unknown') {
      ok = false;
      p.reject({
        section: 'events',
        index,
        key,
        field: 'rsc',
        reason: `discipline '${rsc.discipline}' is not declared`,
      });
    }
    if (ok && discipline.state === 'ok' && rsc.gender !== '-') {
      events.set(key, {
        rsc: key,
        discipline: rsc.discipline,
        name: row.name,
        gender: rsc.gender,
        medal: row.medal,
      });
    }
  }

  // Phases.
  const phaseSection = p.section('phases', raw.phases, packPhaseSchema, 'rsc');
  const phases = new Map<string, NormalizedPhase>();
  for (const { index, key, row } of phaseSection.rows) {
    const rsc = rscOf(row.rsc);
    if (rscLevel(rsc) !== 'phase') {
      p.reject({ section: 'phases', index, key, field: 'rsc', reason: `must be ${LEVEL_HELP.phase}` });
      continue;
    }
    const event = lookup(events, eventSection.declared, rsc.eventCode);
    if (event.state === 'unknown') {
      p.reject({
        section: 'phases',
        index,
        key,
        field: 'rsc',
        reason: `event '${rsc.eventCode}' is not declared`,
      });
    } else if (event.state === 'ok') {
      phases.set(key, {
        rsc: key,
        eventRsc: rsc.eventCode,
        discipline: rsc.discipline,
        name: row.name,
        order: row.order,
      });
    }
  }

  /** Rejects times outside the edition's dates (logical days in the venue's zone). */
  const withinEdition = (
    section: 'sessions' | 'units',
    index: number,
    key: string,
    startUtc: Date,
    endUtc: Date,
    timeZone: string,
  ): boolean => {
    if (!edition) return true;
    const span = logicalSpan(startUtc, endUtc, timeZone, edition.logicalDayEnd);
    if (span.first >= edition.startDate && span.last <= edition.endDate) return true;
    p.reject({
      section,
      index,
      key,
      field: 'start',
      reason: `falls on ${span.first === span.last ? span.first : `${span.first}..${span.last}`}, outside the edition dates (${edition.startDate}..${edition.endDate})`,
    });
    return false;
  };

  // Sessions.
  const sessionSection = p.section('sessions', raw.sessions, packSessionSchema, 'code');
  const sessions = new Map<string, NormalizedSession>();
  for (const { index, key, row } of sessionSection.rows) {
    const normalized = normalizeSession(p, index, key, row, venues, venueSection.declared);
    if (
      normalized &&
      withinEdition(
        'sessions',
        index,
        key,
        normalized.startUtc,
        normalized.endUtc,
        venues.get(row.venue)?.timeZone ?? 'UTC',
      )
    ) {
      sessions.set(key, normalized);
    }
  }

  // Units.
  const unitSection = p.section('units', raw.units, packUnitSchema, 'rsc');
  const units = new Map<string, NormalizedUnit>();
  const refs: UnitRefs = {
    disciplines: disciplineSection.declared,
    events,
    eventsDeclared: eventSection.declared,
    phases,
    phasesDeclared: phaseSection.declared,
    sessions,
    sessionsDeclared: sessionSection.declared,
    venues,
    venuesDeclared: venueSection.declared,
  };
  for (const { index, key, row } of unitSection.rows) {
    const normalized = normalizeUnit(p, index, key, row, refs);
    if (!normalized) continue;
    const { startUtc, endUtc, venue } = normalized;
    const timeZone = venue === null ? undefined : venues.get(venue)?.timeZone;
    if (startUtc && endUtc && timeZone && !withinEdition('units', index, key, startUtc, endUtc, timeZone))
      continue;
    units.set(key, normalized);
  }

  if (edition) {
    const pack: NormalizedPack = {
      format: DATA_PACK_FORMAT,
      edition,
      sports: [...usableSports.values()],
      disciplines: [...disciplines.values()],
      venues: [...venues.values()],
      events: [...events.values()],
      phases: [...phases.values()],
      sessions: [...sessions.values()],
      units: [...units.values()],
    };
    rejectConflicts(p, pack, unitSection.rows, sessionSection.rows);
    if (p.rejected.length === 0) {
      return { ok: true, pack, rejected: [] };
    }
  }
  return { ok: false, rejected: p.sorted() };
}

function normalizeSession(
  p: PackParser,
  index: number,
  key: string,
  row: PackSessionRow,
  venues: ReadonlyMap<string, PackVenueRow>,
  venuesDeclared: ReadonlySet<string>,
): NormalizedSession | undefined {
  const venue = lookup(venues, venuesDeclared, row.venue);
  if (venue.state !== 'ok') {
    if (venue.state === 'unknown') {
      p.reject({ section: 'sessions', index, key, field: 'venue', reason: `unknown venue '${row.venue}'` });
    }
    return undefined;
  }
  let ok = true;
  const location = row.location ?? null;
  if (location !== null && !venue.value.locations.some((l) => l.code === location)) {
    ok = false;
    p.reject({
      section: 'sessions',
      index,
      key,
      field: 'location',
      reason: `unknown location '${location}' at venue '${row.venue}'`,
    });
  }
  const start = toUtc(row.start, venue.value.timeZone);
  const end = toUtc(row.end, venue.value.timeZone);
  if (!start.ok) p.reject({ section: 'sessions', index, key, field: 'start', reason: start.error });
  if (!end.ok) p.reject({ section: 'sessions', index, key, field: 'end', reason: end.error });
  if (!start.ok || !end.ok) return undefined;
  if (end.value <= start.value) {
    p.reject({
      section: 'sessions',
      index,
      key,
      field: 'end',
      reason: `end ${row.end} is not after start ${row.start}`,
    });
    return undefined;
  }
  return ok
    ? { code: key, name: row.name, venue: row.venue, location, startUtc: start.value, endUtc: end.value }
    : undefined;
}

interface UnitRefs {
  readonly disciplines: ReadonlySet<string>;
  readonly events: ReadonlyMap<string, NormalizedEvent>;
  readonly eventsDeclared: ReadonlySet<string>;
  readonly phases: ReadonlyMap<string, NormalizedPhase>;
  readonly phasesDeclared: ReadonlySet<string>;
  readonly sessions: ReadonlyMap<string, NormalizedSession>;
  readonly sessionsDeclared: ReadonlySet<string>;
  readonly venues: ReadonlyMap<string, PackVenueRow>;
  readonly venuesDeclared: ReadonlySet<string>;
}

function normalizeUnit(
  p: PackParser,
  index: number,
  key: string,
  row: PackUnitRow,
  refs: UnitRefs,
): NormalizedUnit | undefined {
  let ok = true;
  const fail = (field: string, reason: string): void => {
    ok = false;
    p.reject({ section: 'units', index, key, field, reason });
  };
  let blocked = false;
  const rsc = rscOf(row.rsc);
  if (rscLevel(rsc) !== 'unit') {
    fail('rsc', `must be ${LEVEL_HELP.unit}`);
    return undefined;
  }

  // Discipline, event, phase: all derived from the RSC.
  if (!refs.disciplines.has(rsc.discipline)) fail('rsc', `discipline '${rsc.discipline}' is not declared`);
  const event = lookup(refs.events, refs.eventsDeclared, rsc.eventCode);
  if (event.state === 'unknown') fail('rsc', `event '${rsc.eventCode}' is not declared`);
  if (event.state === 'blocked') blocked = true;
  if (row.phase != null && row.phase !== rsc.phaseCode) {
    fail('phase', `phase '${row.phase}' does not match the RSC's phase '${rsc.phaseCode}'`);
  }
  const phase = lookup(refs.phases, refs.phasesDeclared, rsc.phaseCode);
  if (phase.state === 'unknown') fail('rsc', `phase '${rsc.phaseCode}' is not declared`);
  if (phase.state === 'blocked') blocked = true;
  if (row.medal && event.state === 'ok' && !event.value.medal) {
    fail('medal', `is a medal unit but its event '${rsc.eventCode}' awards no medals`);
  }

  // Place: the session gives the venue (and location) unless the unit names them; they must agree.
  let venueCode = row.venue ?? null;
  let location = row.location ?? null;
  let session: NormalizedSession | undefined;
  if (row.session != null) {
    const found = lookup(refs.sessions, refs.sessionsDeclared, row.session);
    if (found.state === 'unknown') fail('session', `unknown session '${row.session}'`);
    // Without its session the unit's place and times cannot be checked: skip those checks.
    if (found.state !== 'ok') blocked = true;
    if (found.state === 'ok') {
      session = found.value;
      if (venueCode !== null && venueCode !== session.venue) {
        fail(
          'venue',
          `venue '${venueCode}' differs from the venue '${session.venue}' of session '${session.code}'`,
        );
      }
      venueCode = session.venue;
      if (session.location !== null) {
        if (location !== null && location !== session.location) {
          fail(
            'location',
            `location '${location}' differs from the location '${session.location}' of session '${session.code}'`,
          );
        }
        location = session.location;
      }
    }
  }
  let venue: PackVenueRow | undefined;
  if (venueCode !== null && !blocked) {
    const found = lookup(refs.venues, refs.venuesDeclared, venueCode);
    if (found.state === 'unknown') fail('venue', `unknown venue '${venueCode}'`);
    if (found.state === 'blocked') blocked = true;
    if (found.state === 'ok') venue = found.value;
  }
  if (venue && location !== null && !venue.locations.some((l) => l.code === location)) {
    fail('location', `unknown location '${location}' at venue '${venue.code}'`);
  }
  if (location !== null && venueCode === null && !blocked)
    fail('location', 'a location needs a venue (or a session)');

  // Times: venue-local wall clocks, both or neither.
  let startUtc: Date | null = null;
  let endUtc: Date | null = null;
  const hasStart = row.start != null;
  const hasEnd = row.end != null;
  if (hasStart !== hasEnd) fail(hasStart ? 'end' : 'start', 'start and end must be given together');
  if (row.start != null && row.end != null && !blocked) {
    if (venueCode === null) {
      fail('venue', 'a unit with times needs a venue (or a session) to read them in');
    } else if (venue) {
      const start = toUtc(row.start, venue.timeZone);
      const end = toUtc(row.end, venue.timeZone);
      if (!start.ok) fail('start', start.error);
      if (!end.ok) fail('end', end.error);
      if (start.ok && end.ok) {
        if (end.value <= start.value) fail('end', `end ${row.end} is not after start ${row.start}`);
        startUtc = start.value;
        endUtc = end.value;
      }
    }
  }

  const timed = hasStart && hasEnd;
  const status: ScheduleStatus = row.status ?? (timed ? 'SCHEDULED' : 'UNSCHEDULED');
  if (status === 'UNSCHEDULED' && timed) fail('status', 'an UNSCHEDULED unit must not have start and end');
  if ((status === 'SCHEDULED' || status === 'RESCHEDULED') && !timed) {
    fail('status', `a ${status} unit needs start and end`);
  }

  if (!ok || blocked || event.state !== 'ok' || phase.state !== 'ok') return undefined;
  return {
    rsc: key,
    name: row.name,
    discipline: rsc.discipline,
    eventRsc: rsc.eventCode,
    phaseRsc: rsc.phaseCode,
    phaseOrder: phase.value.order,
    session: session?.code ?? null,
    venue: venueCode,
    location,
    startUtc,
    endUtc,
    status,
    medal: row.medal,
  };
}

/** Rejects the rows concerned by each conflict of the schedule the pack describes. */
function rejectConflicts(
  p: PackParser,
  pack: NormalizedPack,
  unitRows: readonly ParsedRow<unknown>[],
  sessionRows: readonly ParsedRow<unknown>[],
): void {
  const unitIndex = new Map(unitRows.map((r) => [r.key, r.index]));
  const sessionIndex = new Map(sessionRows.map((r) => [r.key, r.index]));
  for (const conflict of findConflicts(scheduleFromPack(pack, new Date(0)))) {
    const unit = conflict.units[0];
    const session = conflict.sessions[0];
    const [section, key, index] =
      unit !== undefined
        ? (['units', unit, unitIndex.get(unit)] as const)
        : (['sessions', session, session === undefined ? undefined : sessionIndex.get(session)] as const);
    p.reject({
      section,
      index: index ?? 0,
      ...(key === undefined ? {} : { key }),
      field: 'start',
      reason: `${conflict.code}: ${conflict.message}`,
    });
  }
}

/**
 * The in-memory schedule described by a pack, as first imported: version 1, updated at `now`, no change yet.
 * Sessions start SCHEDULED; units keep the pack's status.
 */
export function scheduleFromPack(pack: NormalizedPack, now: Date): Schedule {
  return {
    edition: {
      code: pack.edition.code,
      timeZone: pack.edition.timeZone,
      logicalDayEnd: pack.edition.logicalDayEnd,
    },
    venues: pack.venues.map((v) => ({
      code: v.code,
      name: v.name,
      timeZone: v.timeZone,
      openingDays: { from: v.openingDays.from, to: v.openingDays.to },
      locations: v.locations.map((l) => ({ code: l.code, name: l.name })),
    })),
    sessions: pack.sessions.map((s) => ({
      code: s.code,
      name: s.name,
      venue: s.venue,
      location: s.location,
      startUtc: s.startUtc,
      endUtc: s.endUtc,
      status: 'SCHEDULED',
      version: 1,
      updatedAt: now,
      lastChange: null,
    })),
    units: pack.units.map((u) => ({
      rsc: u.rsc,
      name: u.name,
      eventRsc: u.eventRsc,
      phaseRsc: u.phaseRsc,
      phaseOrder: u.phaseOrder,
      venue: u.venue,
      location: u.location,
      session: u.session,
      startUtc: u.startUtc,
      endUtc: u.endUtc,
      status: u.status,
      medal: u.medal,
      version: 1,
      updatedAt: now,
      rescheduled: u.status === 'RESCHEDULED',
      lastChange: null,
    })),
  };
}
