import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { LIVE_ASSIGNMENT_STATUSES, seesVenue } from '../common/access';
import { offsetAt } from '../common/local-time';
import { changeAssignment } from '../assignments/assignment-writes';
import { assignmentState } from '../assignments/assignments.logic';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Assignment, Member, MemberCard, Shift } from '../generated/prisma/client';
import { memberFacts } from '../members/members.logic';
import { addDays } from '../rules/rules.logic';
import { MEMBER_TYPES, type MemberType, type RuleSetData, type ShiftFacts } from '../rules/rules.types';
import { rulesFor } from '../rulesets/rulesets.service';
import { shiftFacts } from '../shifts/shifts.logic';
import { type ExistingAssignment, planRoster, type RosterPlan, type RosterShift } from './roster.logic';
import type { PlanReport } from './roster.view';

const LIVE = [...LIVE_ASSIGNMENT_STATUSES];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Ids per query of an IN list (PostgreSQL takes at most 65,535 parameters). */
const CHUNK = 10_000;
/** The plan is computed inside its transaction (a retry recomputes it on fresh data): room for a large day. */
const PLAN_TRANSACTION_MS = 60_000;

const forbidden = (detail: string) => ProblemException.forbidden(detail);
const planNotFound = (id: string) => ProblemException.notFound(`No roster plan ${id}`, 'plan-not-found');

interface PlanScope {
  localDate: string;
  venue: string | null;
  /** The venues of a token limited to some (no venue asked): the plan covers those only. */
  venues: readonly string[] | null;
}

/**
 * Roster plans (docs/workforce-roster.md#api): the auto-roster run on the open shifts of a day (and venue), its result
 * written as unpublished `roster` assignments of the plan in one serializable transaction with the day's shift rows
 * locked (a supervisor's concurrent assignment waits for it, or it for them, and the loser re-reads: a headcount is
 * never exceeded), each change with its history entry and assignment.changed event; then published on demand.
 */
@Injectable()
export class RosterService {
  private readonly logger = new Logger(RosterService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
  ) {}

  async plan(edition: string, localDate: string, venue: string | undefined, principal: Principal): Promise<PlanReport> {
    if (venue !== undefined && !seesVenue(principal, venue)) throw forbidden(`Not allowed to roster venue ${venue}`);
    const scope: PlanScope = { localDate, venue: venue ?? null, venues: venue === undefined && principal.venues ? [...principal.venues] : null };
    const planId = randomUUID();
    return serializableTransaction(this.prisma, (tx) => this.planIn(tx, edition, planId, scope, principal.sub), { timeoutMs: PLAN_TRANSACTION_MS });
  }

  private async planIn(tx: Tx, edition: string, planId: string, scope: PlanScope, by: string): Promise<PlanReport> {
    // The day's shift rows locked first, in id order (as a supervisor's assignment locks its shift): no assignment to
    // them can be written by anyone else until this plan commits.
    const venueSql = scope.venue ?? null;
    const venuesSql = scope.venues ?? null;
    await tx.$queryRaw`
      SELECT id FROM shift
       WHERE edition = ${edition} AND local_date = ${scope.localDate} AND status <> 'cancelled'
         AND (${venueSql}::text IS NULL OR venue = ${venueSql}::text)
         AND (${venuesSql}::text[] IS NULL OR venue = ANY(${venuesSql}::text[]))
       ORDER BY id FOR UPDATE`;
    const shiftRows = await tx.shift.findMany({
      where: {
        edition,
        localDate: scope.localDate,
        status: { not: 'cancelled' },
        ...(scope.venue !== null ? { venue: scope.venue } : scope.venues !== null ? { venue: { in: [...scope.venues] } } : {}),
      },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    const shiftIds = shiftRows.map((s) => s.id);
    const current = shiftIds.length === 0 ? [] : await tx.assignment.findMany({ where: { shiftId: { in: shiftIds }, status: { in: LIVE } } });
    const rules = await this.rules(tx, edition);
    const members = await this.members(tx, edition, scope.localDate, shiftRows, current, rules);
    const cards = await this.cards(tx, members.map((m) => m.id));
    const others = await this.others(tx, members.map((m) => m.id), shiftIds, scope.localDate, rules);
    const zones = new Map((await tx.venue.findMany({ where: { edition } })).map((v) => [v.code, v.timeZone]));

    const byShift = new Map<string, Assignment[]>();
    for (const a of current) byShift.set(a.shiftId, [...(byShift.get(a.shiftId) ?? []), a]);
    const rosterShifts: RosterShift[] = shiftRows.map((row) => {
      const zone = zones.get(row.venue) ?? 'UTC';
      const start = row.startsAt.getTime();
      return {
        facts: shiftFacts(row),
        headcount: row.headcount,
        startLocalHour: (((start + offsetAt(zone, start)) % DAY) + DAY) % DAY / HOUR,
        assigned: (byShift.get(row.id) ?? []).map(
          (a): ExistingAssignment => ({ memberId: a.memberId, assignmentId: a.id, published: a.published, source: a.source === 'roster' ? 'roster' : 'manual' }),
        ),
      };
    });
    const cardsOf = new Map<string, MemberCard[]>();
    for (const c of cards) if (c.memberId) cardsOf.set(c.memberId, [...(cardsOf.get(c.memberId) ?? []), c]);
    const plan = planRoster({
      members: members.map((m) => memberFacts(m, cardsOf.get(m.id) ?? [])),
      shifts: rosterShifts,
      others,
      rules,
      searchMs: 1_500,
      deadlineMs: 8_000,
    });
    if (plan.verification.dropped > 0) this.logger.warn(`roster plan ${planId}: ${plan.verification.dropped} assignments dropped by the final check`);

    const shiftById = new Map(shiftRows.map((s) => [s.id, s]));
    const rowById = new Map(current.map((a) => [a.id, a]));
    const now = new Date();
    // Removals first: cancelled with their reasons (a published one removed is a member moved off its shift).
    for (const r of plan.remove) {
      const row = r.assignmentId === undefined ? undefined : rowById.get(r.assignmentId);
      const shift = shiftById.get(r.shiftId);
      if (!row || !shift || row.status !== 'assigned') continue;
      const reason = r.reason === 're-planned' ? 'not kept by the new roster plan' : r.reason.map((v) => v.message).join('; ');
      await changeAssignment(tx, this.outbox, row, shift, { status: 'cancelled' }, { by, reason, action: 'roster-remove', details: { planId, published: row.published } });
    }
    // Unpublished roster assignments kept: they now belong to this plan (published with it). Nothing of their state
    // in the contract changes, so no event.
    const keptUnpublished = plan.keep.filter((k) => !k.published && k.assignmentId !== undefined && rowById.get(k.assignmentId)?.source === 'roster');
    if (keptUnpublished.length > 0) {
      await tx.assignment.updateMany({ where: { id: { in: keptUnpublished.map((k) => k.assignmentId as string) } }, data: { planId } });
    }
    const added: PlanReport['added'] = [];
    for (const a of plan.add) {
      const shift = shiftById.get(a.shiftId) as Shift;
      const row: Assignment = {
        id: randomUUID(),
        edition,
        shiftId: a.shiftId,
        memberId: a.memberId,
        status: 'assigned',
        published: false,
        source: 'roster',
        planId,
        flag: null,
        cardNumber: null,
        checkedInAt: null,
        checkedOutAt: null,
        version: 1,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
      };
      await tx.assignment.create({ data: { ...row, flag: undefined } });
      await tx.historyEntry.create({
        data: { edition, entity: 'assignment', entityId: row.id, action: 'roster-assign', by, details: { shiftId: a.shiftId, memberId: a.memberId, planId } },
      });
      await this.outbox.enqueue(tx, 'oms.workforce.v1.assignment.{edition}.changed', assignmentState(row, shift), { tokens: { edition } });
      added.push({ assignmentId: row.id, shiftId: a.shiftId, memberId: a.memberId });
    }
    const report = toReport(planId, edition, scope, plan, added, now);
    await tx.historyEntry.create({
      data: {
        edition,
        entity: 'plan',
        entityId: planId,
        action: 'plan',
        by,
        details: { localDate: scope.localDate, venue: scope.venue, venues: scope.venues === null ? null : [...scope.venues], counts: { ...plan.counts }, filled: plan.metrics.filled, places: plan.metrics.places },
      },
    });
    return report;
  }

  /** Marks the plan's assignments (still live, unpublished) published: 404 unknown plan, 409 plan-superseded. */
  async publish(edition: string, planId: string, principal: Principal): Promise<{ planId: string; published: number }> {
    return serializableTransaction(this.prisma, async (tx) => {
      const entry = await tx.historyEntry.findFirst({ where: { edition, entity: 'plan', entityId: planId, action: 'plan' } });
      if (!entry) throw planNotFound(planId);
      const details = entry.details as { localDate?: string; venue?: string | null; venues?: string[] | null };
      // A token limited to venues publishes only a plan within them (a plan of every venue is not).
      const planVenues = details.venue ? [details.venue] : details.venues;
      if (principal.venues && (planVenues === null || planVenues === undefined || !planVenues.every((v) => seesVenue(principal, v)))) {
        throw planNotFound(planId);
      }
      // Replaced by a newer plan covering its whole scope: nothing carries its id any more (each assignment was kept
      // into the newer plan or removed); say which plan to publish instead. A newer plan of part of its venues leaves
      // the rest to publish.
      const later = await tx.historyEntry.findMany({ where: { edition, entity: 'plan', action: 'plan', id: { gt: entry.id } } });
      const covers = (d: { localDate?: string; venue?: string | null; venues?: string[] | null }) => {
        if (d.localDate !== details.localDate) return false;
        const newer = d.venue ? [d.venue] : (d.venues ?? null);
        if (newer === null) return true;
        return planVenues !== null && planVenues !== undefined && planVenues.every((v) => newer.includes(v));
      };
      const newer = later.find((e) => covers(e.details as { localDate?: string; venue?: string | null; venues?: string[] | null }));
      if (newer) {
        throw new ProblemException({ status: 409, slug: 'plan-superseded', detail: `Plan ${planId} was replaced by plan ${newer.entityId} of the same day; publish that one`, extensions: { planId: newer.entityId } });
      }
      const rows = await tx.assignment.findMany({ where: { edition, planId, status: { in: LIVE }, published: false }, include: { shift: true } });
      for (const { shift, ...row } of rows) {
        const updated = await tx.assignment.update({ where: { id: row.id }, data: { published: true, version: { increment: 1 }, updatedAt: new Date() } });
        await tx.historyEntry.create({ data: { edition, entity: 'assignment', entityId: row.id, action: 'publish', by: principal.sub, details: { planId } } });
        await this.outbox.enqueue(tx, 'oms.workforce.v1.assignment.{edition}.changed', assignmentState(updated, shift), { tokens: { edition } });
      }
      await tx.historyEntry.create({ data: { edition, entity: 'plan', entityId: planId, action: 'publish', by: principal.sub, details: { published: rows.length } } });
      return { planId, published: rows.length };
    });
  }

  private async rules(tx: Tx, edition: string): Promise<Record<MemberType, RuleSetData>> {
    const sets = await Promise.all(MEMBER_TYPES.map((type) => rulesFor(tx, edition, type)));
    return Object.fromEntries(MEMBER_TYPES.map((type, i) => [type, sets[i]])) as Record<MemberType, RuleSetData>;
  }

  /**
   * The members who may work the day: active, available that day, and (for the types whose rules require one) holding
   * an active card valid on the day that grants one of the shifts' venues or ALL; plus every member already assigned
   * to one of the shifts (a released one's assignment is then removed with its reason).
   */
  private async members(tx: Tx, edition: string, localDate: string, shifts: readonly Shift[], current: readonly Assignment[], rules: Record<MemberType, RuleSetData>): Promise<Member[]> {
    if (shifts.length === 0) return [];
    const venues = [...new Set(shifts.map((s) => s.venue))];
    const from = new Date(Math.min(...shifts.map((s) => s.startsAt.getTime())));
    const to = new Date(Math.max(...shifts.map((s) => s.endsAt.getTime())));
    const carded = MEMBER_TYPES.filter((t) => rules[t].requireAccreditation);
    const free = MEMBER_TYPES.filter((t) => !rules[t].requireAccreditation);
    const ids = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT m.id FROM member m
       WHERE m.edition = ${edition} AND m.status = 'active'
         AND (cardinality(m.available_dates) = 0 OR ${localDate} = ANY(m.available_dates))
         AND (m.type = ANY(${free}::text[]) OR (m.type = ANY(${carded}::text[]) AND EXISTS (
               SELECT 1 FROM member_card c
                WHERE c.member_id = m.id AND c.status = 'active' AND c.valid_from < ${to} AND c.valid_to > ${from}
                  AND (c.venues && ${venues}::text[] OR 'ALL' = ANY(c.venues)))))`;
    const wanted = [...new Set([...ids.map((r) => r.id), ...current.map((a) => a.memberId)])].sort();
    const rows: Member[] = [];
    for (let i = 0; i < wanted.length; i += CHUNK) {
      rows.push(...(await tx.member.findMany({ where: { edition, id: { in: wanted.slice(i, i + CHUNK) } }, orderBy: { id: 'asc' } })));
    }
    return rows;
  }

  private async cards(tx: Tx, memberIds: readonly string[]): Promise<MemberCard[]> {
    const rows: MemberCard[] = [];
    for (let i = 0; i < memberIds.length; i += CHUNK) rows.push(...(await tx.memberCard.findMany({ where: { memberId: { in: memberIds.slice(i, i + CHUNK) } } })));
    return rows;
  }

  /**
   * Each member's live assignments outside the plan's shifts, on the days around it that the rules look at: rest
   * (the day before and after), 7-day windows (6 days either side) and runs of consecutive days (the longest cap + 1).
   */
  private async others(tx: Tx, memberIds: readonly string[], planShiftIds: readonly string[], localDate: string, rules: Record<MemberType, RuleSetData>): Promise<Map<string, ShiftFacts[]>> {
    const reach = Math.max(7, ...MEMBER_TYPES.map((t) => (rules[t].maxConsecutiveDays ?? 0) + 1));
    const out = new Map<string, ShiftFacts[]>();
    for (let i = 0; i < memberIds.length; i += CHUNK) {
      const rows = await tx.assignment.findMany({
        where: {
          memberId: { in: memberIds.slice(i, i + CHUNK) },
          status: { in: LIVE },
          shiftId: { notIn: [...planShiftIds] },
          shift: { localDate: { gte: addDays(localDate, -reach), lte: addDays(localDate, reach) } },
        },
        include: { shift: true },
      });
      for (const row of rows) out.set(row.memberId, [...(out.get(row.memberId) ?? []), shiftFacts(row.shift)]);
    }
    return out;
  }
}

function toReport(planId: string, edition: string, scope: PlanScope, plan: RosterPlan, added: PlanReport['added'], at: Date): PlanReport {
  return {
    planId,
    edition,
    localDate: scope.localDate,
    venue: scope.venue,
    createdAt: at.toISOString(),
    counts: plan.counts,
    added,
    removed: plan.remove.map((r) => ({
      assignmentId: r.assignmentId ?? null,
      shiftId: r.shiftId,
      memberId: r.memberId,
      published: r.published,
      reason: r.reason === 're-planned' ? 're-planned' : 'rule-violated',
      violations: r.reason === 're-planned' ? [] : r.reason,
    })),
    kept: plan.keep.map((k) => ({ assignmentId: k.assignmentId ?? null, shiftId: k.shiftId, memberId: k.memberId, published: k.published })),
    unfilled: plan.unfilled,
    metrics: plan.metrics,
  };
}
