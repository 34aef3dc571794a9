import type { AthleteState, EntryState, QuotaPlaceState } from '@podium/contracts';
import { printName } from '../domain/labels';
import type { Tx } from '../database/prisma.service';

/** What loading an entry with its members needs (also usable on the Prisma client outside a transaction). */
export type Db = Pick<Tx, 'entry' | 'athlete' | 'quotaPlace' | 'entryMember'>;

interface EntryRow {
  id: string;
  edition: string;
  event: string;
  discipline: string;
  noc: string;
  kind: string;
  status: string;
  basis: string;
  quotaPlaceId: string | null;
  version: number;
  lastChange: unknown;
  updatedAt: Date;
  members: {
    role: string;
    slot: string | null;
    athlete: { id: string; ifId: string | null; familyName: string; givenName: string; gender: string };
  }[];
}

export const ENTRY_INCLUDE = {
  members: {
    include: { athlete: { select: { id: true, ifId: true, familyName: true, givenName: true, gender: true } } },
  },
} as const;

const ROLE_ORDER: Record<string, number> = { STARTER: 0, ALTERNATE: 1 };

/** The published (and served) state of an entry. */
export function entryStateOf(row: EntryRow): EntryState {
  const members = [...row.members].sort(
    (a, b) =>
      (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) ||
      (a.slot ?? '').localeCompare(b.slot ?? '') ||
      a.athlete.familyName.localeCompare(b.athlete.familyName),
  );
  return {
    edition: row.edition,
    id: row.id,
    event: row.event,
    discipline: row.discipline,
    noc: row.noc,
    kind: row.kind as EntryState['kind'],
    status: row.status as EntryState['status'],
    basis: row.basis as EntryState['basis'],
    quotaPlace: row.quotaPlaceId,
    members: members.map((m) => ({
      athleteId: m.athlete.id,
      ifId: m.athlete.ifId,
      familyName: m.athlete.familyName,
      givenName: m.athlete.givenName,
      gender: m.athlete.gender as 'M' | 'W',
      role: m.role as 'STARTER' | 'ALTERNATE',
      slot: m.slot,
    })),
    version: row.version,
    change: row.lastChange as EntryState['change'],
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function loadEntryState(db: Db, id: string): Promise<EntryState | null> {
  const row = await db.entry.findUnique({ where: { id }, include: ENTRY_INCLUDE });
  return row ? entryStateOf(row) : null;
}

export const ATHLETE_INCLUDE = {
  memberships: { where: { entry: { status: 'ENTERED' } }, include: { entry: { select: { event: true, discipline: true } } } },
} as const;

interface AthleteRow {
  id: string;
  edition: string;
  ifId: string | null;
  noc: string;
  familyName: string;
  givenName: string;
  gender: string;
  birthDate: string;
  sportClass: string | null;
  classificationStatus: string | null;
  version: number;
  updatedAt: Date;
  memberships: { entryId: string; role: string; entry: { event: string; discipline: string } }[];
}

/** The published state of an athlete (DT_PARTIC-like), with the events they are entered in. */
export function athleteStateOf(athlete: AthleteRow): AthleteState {
  return {
    edition: athlete.edition,
    id: athlete.id,
    ifId: athlete.ifId,
    noc: athlete.noc,
    familyName: athlete.familyName,
    givenName: athlete.givenName,
    printName: printName(athlete),
    gender: athlete.gender as 'M' | 'W',
    birthDate: athlete.birthDate,
    sportClass: athlete.sportClass,
    classificationStatus: athlete.classificationStatus,
    entries: athlete.memberships
      .map((m) => ({
        entryId: m.entryId,
        event: m.entry.event,
        discipline: m.entry.discipline,
        role: m.role as 'STARTER' | 'ALTERNATE',
      }))
      .sort((a, b) => a.event.localeCompare(b.event)),
    version: athlete.version,
    updatedAt: athlete.updatedAt.toISOString(),
  };
}

export async function loadAthleteState(db: Db, id: string): Promise<AthleteState | null> {
  const athlete = await db.athlete.findUnique({ where: { id }, include: ATHLETE_INCLUDE });
  return athlete ? athleteStateOf(athlete) : null;
}

interface PlaceRow {
  edition: string;
  id: string;
  event: string;
  discipline: string;
  kind: string;
  noc: string;
  athleteIfId: string | null;
  status: string;
  reallocatedFrom: string | null;
  explanation: unknown;
  version: number;
  updatedAt: Date;
}

export function placeStateOf(row: PlaceRow): QuotaPlaceState {
  return {
    edition: row.edition,
    id: row.id,
    event: row.event,
    discipline: row.discipline,
    kind: row.kind as QuotaPlaceState['kind'],
    noc: row.noc,
    athleteIfId: row.athleteIfId,
    status: row.status as QuotaPlaceState['status'],
    reallocatedFrom: row.reallocatedFrom,
    explanation: Array.isArray(row.explanation) ? row.explanation.map(String) : [],
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
