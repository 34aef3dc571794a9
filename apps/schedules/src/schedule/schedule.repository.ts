import { Injectable } from '@nestjs/common';
import type { ScheduleStatus } from '@podium/odf';
import type { ChangeRef, Schedule, ScheduleSession, ScheduleUnit } from '../domain/model';
import type { Session as SessionRow, Unit as UnitRow } from '../generated/prisma/client';
import type { Prisma, Tx } from '../database/prisma.service';

/** Loads an edition's schedule into the domain model, inside the caller's transaction. */
@Injectable()
export class ScheduleRepository {
  async load(tx: Tx, edition: string): Promise<Schedule | null> {
    const ed = await tx.edition.findUnique({ where: { code: edition } });
    if (!ed) return null;
    const [venues, locations, sessions, units, phases] = await Promise.all([
      tx.venue.findMany({ where: { edition }, orderBy: { code: 'asc' } }),
      tx.location.findMany({ where: { edition }, orderBy: [{ venue: 'asc' }, { code: 'asc' }] }),
      tx.session.findMany({ where: { edition }, orderBy: [{ startUtc: 'asc' }, { code: 'asc' }] }),
      tx.unit.findMany({ where: { edition }, orderBy: [{ startUtc: 'asc' }, { rsc: 'asc' }] }),
      tx.phase.findMany({ where: { edition }, select: { rsc: true, order: true } }),
    ]);
    const changes = await this.changeRefs(tx, [
      ...units.map((u) => u.lastChangeId),
      ...sessions.map((s) => s.lastChangeId),
    ]);
    const phaseOrder = new Map(phases.map((p) => [p.rsc, p.order]));
    return {
      edition: { code: ed.code, timeZone: ed.timeZone, logicalDayEnd: ed.logicalDayEnd },
      venues: venues.map((v) => ({
        code: v.code,
        name: v.name,
        timeZone: v.timeZone,
        openingDays: { from: v.openingFrom, to: v.openingTo },
        locations: locations.filter((l) => l.venue === v.code).map((l) => ({ code: l.code, name: l.name })),
      })),
      sessions: sessions.map((s) => toSession(s, changes)),
      units: units.map((u) => toUnit(u, changes, phaseOrder.get(u.phaseRsc) ?? 0)),
    };
  }

  /**
   * Records a change of the edition's schedule, in the change's transaction: its history row, and the edition's
   * revision bumped. Every write of the schedule goes through here (applied changes, data pack imports): the
   * published reads kept in memory (UnitsCache) are keyed on the revision.
   */
  async recordChange(tx: Tx, change: Prisma.ScheduleChangeUncheckedCreateInput): Promise<void> {
    await tx.scheduleChange.create({ data: change });
    await tx.$executeRaw`UPDATE edition SET revision = revision + 1 WHERE code = ${change.edition}`;
  }

  /** The change references (id, kind, reason, by) of the given change ids. */
  async changeRefs(tx: Tx, ids: readonly (string | null)[]): Promise<Map<string, ChangeRef>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await tx.scheduleChange.findMany({
      where: { id: { in: wanted } },
      select: { id: true, kind: true, reason: true, by: true },
    });
    return new Map(rows.map((r) => [r.id, r]));
  }
}

/** A unit row as the domain model (phaseOrder from the phase table when known). */
export function toUnit(r: UnitRow, changes: Map<string, ChangeRef>, phaseOrder = 0): ScheduleUnit {
  return {
    rsc: r.rsc,
    name: r.name,
    eventRsc: r.eventRsc,
    phaseRsc: r.phaseRsc,
    phaseOrder,
    venue: r.venue,
    location: r.location,
    session: r.session,
    startUtc: r.startUtc,
    endUtc: r.endUtc,
    status: r.status as ScheduleStatus,
    medal: r.medal,
    version: r.version,
    updatedAt: r.updatedAt,
    rescheduled: r.rescheduled,
    lastChange: r.lastChangeId ? (changes.get(r.lastChangeId) ?? null) : null,
  };
}

export function toSession(r: SessionRow, changes: Map<string, ChangeRef>): ScheduleSession {
  return {
    code: r.code,
    name: r.name,
    venue: r.venue,
    location: r.location,
    startUtc: r.startUtc,
    endUtc: r.endUtc,
    status: r.status as ScheduleStatus,
    version: r.version,
    updatedAt: r.updatedAt,
    lastChange: r.lastChangeId ? (changes.get(r.lastChangeId) ?? null) : null,
  };
}
