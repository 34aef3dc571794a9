import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ScheduleUnitState } from '@podium/contracts';
import { serializableTransaction } from '@podium/platform';
import { ScheduleFollower } from '@podium/schedule-follower';

import { LIVE_ASSIGNMENT_STATUSES } from '../common/access';
import { PrismaService, type Tx } from '../database/prisma.service';
import { Prisma, type Shift } from '../generated/prisma/client';
import { memberFacts } from '../members/members.logic';
import { movedShiftFacts, ReplacementsService } from '../replacements/replacements.service';
import { shiftFacts } from '../shifts/shifts.logic';
import { checkAssignment } from '../rules/rules.logic';
import { SCHEDULE_UNITS_DURABLE } from './events.consumer';
import { flagKind, type SessionMovedAssignmentFlag, sessionSpan, shiftMove, unitRow } from './events.logic';

/** Who the history names for changes made on the schedules service's word. */
export const SCHEDULES_ACTOR = 'schedules';

/**
 * The schedule followed with @podium/schedule-follower (oms.schedules.v1.unit.{discipline}.updated from the start of
 * the SCHEDULES stream): each unit's latest version (an older or repeated one changes nothing), the venues' time zones,
 * and each session's span (earliest start, latest end of its units). When a session's start moves, the shifts serving
 * it (Shift.session) that have not ended are flagged with the same move suggested, and their live assignments whose
 * member would break a rule at the suggested times are flagged with the violations.
 */
@Injectable()
export class ScheduleReactions implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleReactions.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly follower: ScheduleFollower,
    private readonly replacements: ReplacementsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.follower.followUnits({ durable: SCHEDULE_UNITS_DURABLE, onUnit: (unit) => this.onUnit(unit) });
  }

  async onUnit(unit: ScheduleUnitState, now = new Date()): Promise<void> {
    const row = unitRow(unit);
    await serializableTransaction(this.prisma, async (tx) => {
      const kept = await tx.scheduleUnit.findUnique({ where: { edition_rsc: { edition: row.edition, rsc: row.rsc } } });
      if (kept && kept.version >= row.version) return;
      await tx.scheduleUnit.upsert({ where: { edition_rsc: { edition: row.edition, rsc: row.rsc } }, create: row, update: { ...row, updatedAt: now } });
      if (unit.venue && unit.timeZone) await this.keepVenue(tx, row.edition, unit.venue, unit.timeZone);
      const sessions = new Set([kept?.session, row.session].filter((s): s is string => typeof s === 'string' && s.length > 0));
      for (const session of sessions) await this.followSession(tx, row.edition, session, now);
    });
  }

  /** A venue first seen gets its code as its name; the schedule's time zone wins over a stale one. */
  private async keepVenue(tx: Tx, edition: string, code: string, timeZone: string): Promise<void> {
    const venue = await tx.venue.findUnique({ where: { edition_code: { edition, code } } });
    if (venue?.timeZone === timeZone) return;
    await tx.venue.upsert({ where: { edition_code: { edition, code } }, create: { edition, code, name: code, timeZone }, update: { timeZone } });
    await tx.historyEntry.create({
      data: { edition, entity: 'venue', entityId: code, action: venue ? 'update' : 'create', by: SCHEDULES_ACTOR, details: { timeZone, ...(venue ? { previousTimeZone: venue.timeZone } : {}) } },
    });
  }

  /** Recomputes the session's span; a moved start flags its shifts. */
  private async followSession(tx: Tx, edition: string, session: string, now: Date): Promise<void> {
    const units = await tx.scheduleUnit.findMany({ where: { edition, session }, select: { startsAt: true, endsAt: true, venue: true } });
    const span = sessionSpan(units);
    if (!span) return; // no timed unit left: the last span is kept (nothing to suggest)
    const previous = await tx.sessionSpan.findUnique({ where: { edition_session: { edition, session } } });
    if (previous && previous.startsAt.getTime() === span.start && previous.endsAt.getTime() === span.end && previous.venue === span.venue) return;
    const data = { venue: span.venue, startsAt: new Date(span.start), endsAt: new Date(span.end), updatedAt: now };
    await tx.sessionSpan.upsert({ where: { edition_session: { edition, session } }, create: { edition, session, ...data }, update: data });
    // First seen: the shifts were planned against this span (nothing moved yet).
    if (!previous || previous.startsAt.getTime() === span.start) return;
    const shifts = await tx.shift.findMany({ where: { edition, session, status: { not: 'cancelled' }, endsAt: { gt: now } } });
    let flagged = 0;
    for (const shift of shifts) {
      const move = shiftMove({ start: shift.startsAt.getTime(), end: shift.endsAt.getTime(), flag: shift.flag }, session, previous.startsAt.getTime(), span.start, now);
      if (move.kind === 'none') continue;
      if (move.kind === 'clear') {
        await tx.shift.update({ where: { id: shift.id }, data: { flag: Prisma.DbNull } });
        await this.history(tx, shift, 'unflag', 'session back at its planned time', { session });
        await this.checkAssignments(tx, shift, null, now);
        continue;
      }
      await tx.shift.update({ where: { id: shift.id }, data: { flag: move.flag as unknown as Prisma.InputJsonValue } });
      await this.history(tx, shift, 'flag', `session ${session} moved ${move.flag.offsetMinutes} min`, {
        session,
        offsetMinutes: move.flag.offsetMinutes,
        suggestedStart: move.flag.suggestedStart,
        suggestedEnd: move.flag.suggestedEnd,
      });
      await this.checkAssignments(tx, shift, { start: move.start, end: move.end, session }, now);
      flagged += 1;
    }
    if (flagged > 0) this.logger.log(`Session ${edition}/${session} moved: ${flagged} shift(s) flagged`);
  }

  /**
   * Flags the shift's live assignments whose member would break a rule at the suggested times (the violations said);
   * the session-moved flags of those that would not (or of every one, `suggested` null: the suggestion is gone) go.
   * An accreditation flag is never replaced: it says more.
   */
  async checkAssignments(tx: Tx, shift: Shift, suggested: { start: number; end: number; session: string } | null, now: Date): Promise<void> {
    const assignments = await tx.assignment.findMany({ where: { shiftId: shift.id, status: { in: [...LIVE_ASSIGNMENT_STATUSES] } } });
    if (assignments.length === 0) return;
    const venue = await tx.venue.findUnique({ where: { edition_code: { edition: shift.edition, code: shift.venue } } });
    const facts = suggested ? movedShiftFacts(shiftFacts(shift), suggested.start, suggested.end, venue?.timeZone) : undefined;
    const memberIds = assignments.map((a) => a.memberId);
    const [members, cards, others, rules] = await Promise.all([
      tx.member.findMany({ where: { id: { in: memberIds } } }),
      tx.memberCard.findMany({ where: { memberId: { in: memberIds } } }),
      facts ? this.replacements.othersOf(tx, memberIds, facts) : Promise.resolve(new Map()),
      this.replacements.rulesOf(tx, shift.edition),
    ]);
    const byId = new Map(members.map((m) => [m.id, m]));
    for (const a of assignments) {
      const kind = flagKind(a.flag);
      if (kind === 'accreditation-suspended' || kind === 'accreditation-revoked') continue;
      const member = byId.get(a.memberId);
      const violations =
        facts && suggested && member
          ? checkAssignment(rules(memberFacts(member, []).type), memberFacts(member, cards.filter((c) => c.memberId === member.id)), facts, others.get(member.id) ?? [])
          : [];
      if (violations.length === 0) {
        if (kind === 'session-moved') await tx.assignment.update({ where: { id: a.id }, data: { flag: Prisma.DbNull } });
        continue;
      }
      const flag: SessionMovedAssignmentFlag = {
        kind: 'session-moved',
        session: suggested?.session ?? '',
        shiftId: shift.id,
        suggestedStart: new Date(facts?.start ?? 0).toISOString(),
        suggestedEnd: new Date(facts?.end ?? 0).toISOString(),
        violations,
        at: now.toISOString(),
      };
      await tx.assignment.update({ where: { id: a.id }, data: { flag: flag as unknown as Prisma.InputJsonValue } });
      await tx.historyEntry.create({
        data: {
          edition: a.edition,
          entity: 'assignment',
          entityId: a.id,
          action: 'flag',
          by: SCHEDULES_ACTOR,
          reason: `the suggested times break ${violations.map((v) => v.rule).join(', ')}`,
          details: { kind: 'session-moved', shiftId: shift.id, memberId: a.memberId },
        },
      });
    }
  }

  private async history(tx: Tx, shift: Shift, action: string, reason: string, details: Record<string, string | number>): Promise<void> {
    await tx.historyEntry.create({ data: { edition: shift.edition, entity: 'shift', entityId: shift.id, action, by: SCHEDULES_ACTOR, reason, details } });
  }
}
