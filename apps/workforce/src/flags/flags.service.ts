import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { ProblemException, serializableTransaction } from '@podium/platform';

import { assertSeesVenue, assignmentNotFound, seesVenue, shiftNotFound, venueScope } from '../common/access';
import { formatLocal } from '../common/local-time';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { FlagKind, SessionMovedShiftFlag } from '../events/events.logic';
import { ShiftsService } from '../shifts/shifts.service';

/** At most this many flagged shifts and as many flagged assignments per answer (the oldest start first). */
export const FLAGS_LIMIT = 500;

export interface FlaggedShift {
  id: string;
  venue: string;
  functionalArea: string;
  role: string;
  session: string | null;
  start: string;
  end: string;
  version: number;
  flag: unknown;
}

export interface FlaggedAssignment {
  id: string;
  shiftId: string;
  memberId: string;
  status: string;
  venue: string;
  start: string;
  end: string;
  flag: unknown;
}

const noSuggestion = (id: string) =>
  new ProblemException({ status: 409, slug: 'no-suggestion', title: 'No suggestion to accept', detail: `Shift ${id} has no session-moved suggestion` });

/**
 * The flags the event reactions put on shifts and assignments (docs/workforce-events.md#flags): listed for supervisors
 * and managers (within the token's venues), a session-moved suggestion accepted (the shift moved through the shifts'
 * own update path, at its version) or a flag dismissed, each with its history entry.
 */
@Injectable()
export class FlagsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly shifts: ShiftsService,
  ) {}

  async list(edition: string, query: { kind?: FlagKind; venue?: string }, principal: Principal): Promise<{ shifts: FlaggedShift[]; assignments: FlaggedAssignment[] }> {
    const scope = venueScope(principal);
    const venues = query.venue ? (scope && !scope.includes(query.venue) ? [] : [query.venue]) : scope ? [...scope] : undefined;
    const flag = query.kind ? { path: ['kind'], equals: query.kind } : { not: Prisma.AnyNull };
    const [shifts, assignments] = await Promise.all([
      this.prisma.shift.findMany({
        where: { edition, flag, ...(venues ? { venue: { in: venues } } : {}) },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: FLAGS_LIMIT,
      }),
      this.prisma.assignment.findMany({
        where: { edition, flag, ...(venues ? { shift: { venue: { in: venues } } } : {}) },
        include: { shift: true },
        orderBy: [{ shift: { startsAt: 'asc' } }, { id: 'asc' }],
        take: FLAGS_LIMIT,
      }),
    ]);
    return {
      shifts: shifts.map((s) => ({
        id: s.id,
        venue: s.venue,
        functionalArea: s.functionalArea,
        role: s.role,
        session: s.session,
        start: s.startsAt.toISOString(),
        end: s.endsAt.toISOString(),
        version: s.version,
        flag: s.flag,
      })),
      assignments: assignments.map((a) => ({
        id: a.id,
        shiftId: a.shiftId,
        memberId: a.memberId,
        status: a.status,
        venue: a.shift.venue,
        start: a.shift.startsAt.toISOString(),
        end: a.shift.endsAt.toISOString(),
        flag: a.flag,
      })),
    };
  }

  /** Moves the shift as its session-moved flag suggests (at `version`: 409 stale-version otherwise), then clears the flag. */
  async accept(edition: string, id: string, version: number, principal: Principal) {
    const shift = await this.prisma.shift.findFirst({ where: { id, edition } });
    if (!shift || !seesVenue(principal, shift.venue)) throw shiftNotFound(id);
    const flag = shift.flag as Partial<SessionMovedShiftFlag> | null;
    if (flag?.kind !== 'session-moved' || !flag.suggestedStart || !flag.suggestedEnd) throw noSuggestion(id);
    const venue = await this.prisma.venue.findUnique({ where: { edition_code: { edition, code: shift.venue } } });
    const zone = venue?.timeZone ?? 'UTC';
    const local = (iso: string) => formatLocal(Date.parse(iso), zone).slice(0, 19);
    const moved = await this.shifts.patch(edition, id, { version, start: local(flag.suggestedStart), end: local(flag.suggestedEnd) }, principal);
    await this.clearShiftFlag(edition, id, principal.sub, 'accept-flag', `session ${flag.session ?? ''} moved ${flag.offsetMinutes ?? 0} min: suggestion accepted`);
    return moved;
  }

  /** Dismisses a shift's flag (the shift stays as it is). */
  async dismissShift(edition: string, id: string, principal: Principal): Promise<{ id: string; flag: null }> {
    const shift = await this.prisma.shift.findFirst({ where: { id, edition }, select: { venue: true, flag: true } });
    if (!shift || !seesVenue(principal, shift.venue)) throw shiftNotFound(id);
    await this.clearShiftFlag(edition, id, principal.sub, 'dismiss-flag', null);
    return { id, flag: null };
  }

  /** Dismisses an assignment's flag (the assignment stays as it is). */
  async dismissAssignment(edition: string, id: string, principal: Principal): Promise<{ id: string; flag: null }> {
    return serializableTransaction(this.prisma, async (tx) => {
      const a = await tx.assignment.findFirst({ where: { id, edition }, include: { shift: { select: { venue: true } } } });
      if (!a) throw assignmentNotFound(id);
      assertSeesVenue(principal, a.shift.venue, () => assignmentNotFound(id));
      if (a.flag === null) return { id, flag: null };
      await tx.assignment.update({ where: { id }, data: { flag: Prisma.DbNull } });
      await tx.historyEntry.create({ data: { edition, entity: 'assignment', entityId: id, action: 'dismiss-flag', by: principal.sub, details: { kind: String((a.flag as { kind?: unknown }).kind ?? '') } } });
      return { id, flag: null };
    });
  }

  private async clearShiftFlag(edition: string, id: string, by: string, action: string, reason: string | null): Promise<void> {
    await serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.shift.findFirst({ where: { id, edition }, select: { flag: true } });
      if (!row || row.flag === null) return;
      await tx.shift.update({ where: { id }, data: { flag: Prisma.DbNull } });
      await tx.historyEntry.create({ data: { edition, entity: 'shift', entityId: id, action, by, reason, details: { kind: String((row.flag as { kind?: unknown }).kind ?? '') } } });
    });
  }
}
