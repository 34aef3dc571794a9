import type { Tx } from '../database/prisma.service';
import type { AthleteFacts, PlaceFacts } from '../domain/eligibility';
import type { QuotaKind } from '../domain/rules-pack.schema';

/** The facts the rules engine needs about the event and the NOC, read in the caller's (serializable) transaction. */
export interface EventFacts {
  nocEntries: number;
  totalEntries: number;
  entryNumber: number | null;
  places: PlaceFacts[];
}

/** Active entries count, Entry by Number and ALLOCATED places (with the entry using each) of an event. */
export async function loadEventFacts(tx: Tx, edition: string, event: string, noc: string, excludeEntryId?: string): Promise<EventFacts> {
  const active = { edition, event, status: 'ENTERED', ...(excludeEntryId ? { id: { not: excludeEntryId } } : {}) };
  const [nocEntries, totalEntries, entryNumber, places, using] = await Promise.all([
    tx.entry.count({ where: { ...active, noc } }),
    tx.entry.count({ where: active }),
    tx.entryNumber.findUnique({ where: { edition_noc_event: { edition, noc, event } } }),
    tx.quotaPlace.findMany({ where: { edition, event, status: 'ALLOCATED' }, orderBy: { id: 'asc' } }),
    tx.entry.findMany({ where: { edition, event, status: 'ENTERED', quotaPlaceId: { not: null } }, select: { id: true, quotaPlaceId: true } }),
  ]);
  const usedBy = new Map(using.map((e) => [e.quotaPlaceId, e.id]));
  return {
    nocEntries,
    totalEntries,
    entryNumber: entryNumber?.count ?? null,
    places: places.map((p) => ({
      id: p.id,
      kind: p.kind as QuotaKind,
      noc: p.noc,
      athleteIfId: p.athleteIfId,
      usedBy: usedBy.get(p.id) ?? null,
    })),
  };
}

/** The athletes as the rules engine sees them: their marks in `event` and the events they are entered in. */
export async function loadAthleteFacts(
  tx: Tx,
  edition: string,
  event: string,
  athleteIds: readonly string[],
  excludeEntryId?: string,
): Promise<Map<string, AthleteFacts>> {
  const rows = await tx.athlete.findMany({
    where: { edition, id: { in: [...athleteIds] } },
    include: {
      performances: { where: { event } },
      memberships: {
        where: { entry: { status: 'ENTERED', ...(excludeEntryId ? { id: { not: excludeEntryId } } : {}) } },
        include: { entry: { select: { event: true } } },
      },
    },
  });
  return new Map(
    rows.map((a) => [
      a.id,
      {
        id: a.id,
        ifId: a.ifId,
        noc: a.noc,
        familyName: a.familyName,
        givenName: a.givenName,
        gender: a.gender as 'M' | 'W',
        birthDate: a.birthDate,
        performances: a.performances.map((p) => ({ event: p.event, mark: p.mark, value: p.value, achievedOn: p.achievedOn })),
        enteredIn: a.memberships.map((m) => m.entry.event),
      },
    ]),
  );
}
