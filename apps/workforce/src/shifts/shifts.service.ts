import { Injectable } from '@nestjs/common';
import { forbidden, type Principal } from '@podium/auth';
import { decodeCursor, encodeCursor, OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import { cancelAssignments, changeAssignment } from '../assignments/assignment-writes';
import { type AssignmentView, assignmentView } from '../assignments/assignments.logic';
import { assertSeesVenue, LIVE_ASSIGNMENT_STATUSES, seesVenue, shiftNotFound, staleVersion } from '../common/access';
import { localDateOf } from '../common/local-time';
import { PrismaService, type Tx } from '../database/prisma.service';
import { type Assignment, Prisma, type Shift } from '../generated/prisma/client';
import { type MemberType, type RuleSetData } from '../rules/rules.types';
import { checkAssignment, DEFAULT_RULES } from '../rules/rules.logic';
import { rulesFor } from '../rulesets/rulesets.service';
import { memberFacts } from '../members/members.logic';
import { flagKind, type RuleViolatedAssignmentFlag } from '../events/events.logic';
import { unknownVenue } from '../venues/venues.service';
import {
  type FieldProblem,
  localWithoutOffset,
  resolveSpan,
  shiftCancelled,
  shiftFacts,
  type ShiftInput,
  shiftInputSchema,
  type ShiftListQuery,
  type ShiftPatch,
  type ShiftView,
  shiftView,
} from './shifts.logic';

/** A PATCH's answer: the shift, and what the re-check of its live assignments flagged and cleared. */
export type ShiftPatched = ShiftView & { flaggedAssignments: number; unflaggedAssignments: number };

export type ShiftBulkOutcome =
  | { index: number; status: 'created'; id: string }
  | { index: number; status: 'refused'; reason: 'invalid' | 'unknown-venue' | 'forbidden-venue'; errors: FieldProblem[] };

const LIVE = [...LIVE_ASSIGNMENT_STATUSES];
const { DbNull } = Prisma;

/** True when a session-moved assignment flag suggested exactly the shift's current times. */
function atSuggestedTimes(flag: unknown, shift: Shift): boolean {
  const f = flag as { suggestedStart?: unknown; suggestedEnd?: unknown };
  return f.suggestedStart === shift.startsAt.toISOString() && f.suggestedEnd === shift.endsAt.toISOString();
}
const cursorShape = z.tuple([z.string(), z.uuid()]);
const filledCount = { _count: { select: { assignments: { where: { status: { in: LIVE } } } } } } as const;

/**
 * Shifts: given in the venue's local time, stored in UTC; created one by one or in batches, read with their filled
 * count, changed at a version, cancelled (their assignments with them), published by day. docs/workforce-api.md#shifts.
 */
@Injectable()
export class ShiftsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(edition: string, input: ShiftInput, principal: Principal): Promise<ShiftView> {
    if (!seesVenue(principal, input.venue)) throw forbidden(`Not allowed to plan shifts at venue ${input.venue}`);
    const zones = await this.zones(edition);
    const zone = zones.get(input.venue);
    if (!zone) throw unknownVenue(edition, input.venue);
    const prepared = this.prepare(edition, input, zone, principal.sub, 'body.');
    if (!prepared.ok) throw ProblemException.validation(prepared.errors);
    const row = prepared.row;
    return serializableTransaction(this.prisma, async (tx) => {
      await tx.shift.create({ data: { ...row, flag: undefined } });
      await tx.historyEntry.create({ data: { edition, entity: 'shift', entityId: row.id, action: 'create', by: principal.sub, details: { venue: row.venue, localDate: row.localDate } } });
      return shiftView(row, zone, 0);
    });
  }

  /** Up to 1,000 shifts in one transaction; a bad row (its field problems, an unknown venue) refuses only itself. */
  async createBatch(edition: string, inputs: readonly unknown[], principal: Principal): Promise<ShiftBulkOutcome[]> {
    const zones = await this.zones(edition);
    const outcomes: ShiftBulkOutcome[] = [];
    const rows: Shift[] = [];
    inputs.forEach((raw, index) => {
      const prefix = `shifts[${index}].`;
      const parsed = shiftInputSchema.safeParse(raw);
      if (!parsed.success) {
        outcomes.push({ index, status: 'refused', reason: 'invalid', errors: parsed.error.issues.map((i) => ({ field: `${prefix}${i.path.join('.')}`, message: i.message })) });
        return;
      }
      const zone = zones.get(parsed.data.venue);
      if (!seesVenue(principal, parsed.data.venue)) {
        outcomes.push({ index, status: 'refused', reason: 'forbidden-venue', errors: [{ field: `${prefix}venue`, message: 'not a venue of your token' }] });
      } else if (!zone) {
        outcomes.push({ index, status: 'refused', reason: 'unknown-venue', errors: [{ field: `${prefix}venue`, message: 'not a venue of the edition' }] });
      } else {
        const prepared = this.prepare(edition, parsed.data, zone, principal.sub, prefix);
        if (!prepared.ok) outcomes.push({ index, status: 'refused', reason: 'invalid', errors: prepared.errors });
        else {
          rows.push(prepared.row);
          outcomes.push({ index, status: 'created', id: prepared.row.id });
        }
      }
    });
    if (rows.length > 0) {
      await serializableTransaction(
        this.prisma,
        async (tx) => {
          await tx.shift.createMany({ data: rows.map((r) => ({ ...r, flag: undefined })) });
          await tx.historyEntry.createMany({
            data: rows.map((r) => ({ edition, entity: 'shift', entityId: r.id, action: 'create', by: principal.sub, details: { venue: r.venue, localDate: r.localDate, via: 'bulk' } })),
          });
        },
        { timeoutMs: 60_000 },
      );
    }
    return outcomes;
  }

  async list(edition: string, query: ShiftListQuery, principal: Principal): Promise<{ items: ShiftView[]; nextCursor: string | null }> {
    const where: Prisma.ShiftWhereInput = { edition };
    if (query.localDate) where.localDate = query.localDate;
    if (query.status) where.status = query.status;
    if (query.functionalArea) where.functionalArea = query.functionalArea;
    const scope = principal.venues;
    if (query.venue && scope && !scope.includes(query.venue)) return { items: [], nextCursor: null };
    if (query.venue) where.venue = query.venue;
    else if (scope) where.venue = { in: [...scope] };
    if (query.cursor) {
      const [startsAt, id] = decodeCursor(query.cursor, cursorShape);
      const after = new Date(startsAt);
      if (Number.isNaN(after.getTime())) throw ProblemException.validation([{ field: 'query.cursor', message: 'must be the nextCursor of a previous page' }]);
      where.OR = [{ startsAt: { gt: after } }, { startsAt: after, id: { gt: id } }];
    }
    const rows = await this.prisma.shift.findMany({ where, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take: query.limit + 1, include: filledCount });
    const zones = await this.zones(edition);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => shiftView(r, zones.get(r.venue) ?? 'UTC', r._count.assignments)),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.startsAt.toISOString(), last.id]) : null,
    };
  }

  /** One shift with its assignments (404 for another venue than the token's). */
  async get(edition: string, id: string, principal: Principal): Promise<ShiftView & { assignments: AssignmentView[] }> {
    const row = await this.prisma.shift.findFirst({ where: { id, edition }, include: { assignments: { orderBy: { createdAt: 'asc' } } } });
    if (!row) throw shiftNotFound(id);
    assertSeesVenue(principal, row.venue, () => shiftNotFound(id));
    const zone = await this.zoneOf(edition, row.venue);
    const filled = row.assignments.filter((a) => (LIVE as string[]).includes(a.status)).length;
    return { ...shiftView(row, zone, filled), assignments: row.assignments.map(assignmentView) };
  }

  /**
   * Changes a shift at its version (409 stale-version): new times (local, re-resolved), headcount (409
   * headcount-below-assigned under the places taken), role, requirements. Moved times republish its live assignments;
   * moved times or changed requirements re-check them (recheckAssignments), the answer counting the flags set and cleared.
   */
  async patch(edition: string, id: string, patch: ShiftPatch, principal: Principal): Promise<ShiftPatched> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await this.lockShift(tx, edition, id, principal);
      if (row.version !== patch.version) throw staleVersion('shift', id, patch.version, row.version);
      if (row.status === 'cancelled') throw shiftCancelled(id);
      const zone = await this.zoneOf(edition, row.venue, tx);
      const live = await tx.assignment.findMany({ where: { shiftId: id, status: { in: LIVE } } });
      if (patch.headcount !== undefined && patch.headcount < live.length) {
        throw new ProblemException({
          status: 409,
          slug: 'headcount-below-assigned',
          title: 'Headcount below the assigned',
          detail: `Shift ${id} has ${live.length} member(s) assigned; cancel assignments before reducing the headcount to ${patch.headcount}`,
          extensions: { assigned: live.length },
          errors: [{ field: 'body.headcount', message: `at least ${live.length} (assigned)` }],
        });
      }
      const data: Prisma.ShiftUpdateInput = { version: { increment: 1 }, updatedAt: new Date() };
      let moved = false;
      if (patch.start !== undefined || patch.end !== undefined) {
        const span = resolveSpan(patch.start ?? localWithoutOffset(row.startsAt, zone), patch.end ?? localWithoutOffset(row.endsAt, zone), zone);
        if (!span.ok) throw ProblemException.validation(span.errors);
        moved = span.startsAt.getTime() !== row.startsAt.getTime() || span.endsAt.getTime() !== row.endsAt.getTime();
        Object.assign(data, { startsAt: span.startsAt, endsAt: span.endsAt, localDate: localDateOf(span.startsAt.getTime(), zone) });
      }
      if (patch.headcount !== undefined) data.headcount = patch.headcount;
      if (patch.role !== undefined) data.role = patch.role;
      if (patch.requiredSkills !== undefined) data.requiredSkills = patch.requiredSkills;
      if (patch.requiredLanguages !== undefined) data.requiredLanguages = patch.requiredLanguages;
      const updated = await tx.shift.update({ where: { id }, data });
      const fields = Object.keys(patch).filter((k) => k !== 'version');
      await tx.historyEntry.create({ data: { edition, entity: 'shift', entityId: id, action: 'update', by: principal.sub, details: { fields: fields.join(',') } } });
      if (moved || patch.role !== undefined) {
        for (const a of live) await changeAssignment(tx, this.outbox, a, updated, {}, { by: principal.sub, action: 'shift-changed', details: { fields: fields.join(',') } });
      }
      const recheck = moved || patch.requiredSkills !== undefined || patch.requiredLanguages !== undefined;
      const flags = recheck ? await this.recheckAssignments(tx, updated, live, principal.sub, new Date()) : { flagged: 0, unflagged: 0 };
      return { ...shiftView(updated, zone, live.length), flaggedAssignments: flags.flagged, unflaggedAssignments: flags.unflagged };
    });
  }

  /**
   * The shift's live assignments checked again by the rules engine after the shift changed (checkAssignment: the
   * member, its cards, the shift as it now is, the member's other live assignments' shifts, the rule set of its type).
   * One that breaks a rule is flagged `rule-violated` with the violations (replacing a session-moved flag: the
   * change happened); a `rule-violated` flag of one valid again is cleared, and so is a session-moved flag once the
   * shift stands at the times it suggested and the member breaks no rule there. An accreditation flag is left as it is
   * (it says more). Each flag set or cleared has its history entry. In the caller's transaction (the shift row locked).
   */
  private async recheckAssignments(tx: Tx, shift: Shift, live: readonly Assignment[], by: string, now: Date): Promise<{ flagged: number; unflagged: number }> {
    if (live.length === 0) return { flagged: 0, unflagged: 0 };
    const memberIds = [...new Set(live.map((a) => a.memberId))];
    const [members, cards, others] = await Promise.all([
      tx.member.findMany({ where: { id: { in: memberIds } } }),
      tx.memberCard.findMany({ where: { memberId: { in: memberIds } } }),
      tx.assignment.findMany({ where: { memberId: { in: memberIds }, status: { in: LIVE }, shiftId: { not: shift.id } }, include: { shift: true } }),
    ]);
    const types = [...new Set(members.map((m) => memberFacts(m, []).type))];
    const rules = new Map<MemberType, RuleSetData>(await Promise.all(types.map(async (t) => [t, await rulesFor(tx, shift.edition, t)] as const)));
    const facts = shiftFacts(shift);
    const byId = new Map(members.map((m) => [m.id, m]));
    let flagged = 0;
    let unflagged = 0;
    for (const a of live) {
      const member = byId.get(a.memberId);
      const kind = flagKind(a.flag);
      if (!member || kind === 'accreditation-suspended' || kind === 'accreditation-revoked') continue;
      const mf = memberFacts(member, cards.filter((c) => c.memberId === member.id));
      const theirs = others.filter((o) => o.memberId === member.id).map((o) => shiftFacts(o.shift));
      const violations = checkAssignment(rules.get(mf.type) ?? DEFAULT_RULES[mf.type], mf, facts, theirs);
      const history = (action: string, reason: string, details: Record<string, string>) =>
        tx.historyEntry.create({ data: { edition: a.edition, entity: 'assignment', entityId: a.id, action, by, reason, details: { shiftId: shift.id, memberId: a.memberId, ...details } } });
      if (violations.length > 0) {
        const flag: RuleViolatedAssignmentFlag = { kind: 'rule-violated', violations, at: now.toISOString() };
        await tx.assignment.update({ where: { id: a.id }, data: { flag: flag as unknown as Prisma.InputJsonValue } });
        await history('flag', `the shift's change breaks ${violations.map((v) => v.rule).join(', ')}`, { kind: 'rule-violated', rules: violations.map((v) => v.rule).join(',') });
        flagged += 1;
      } else if (kind === 'rule-violated' || (kind === 'session-moved' && atSuggestedTimes(a.flag, shift))) {
        await tx.assignment.update({ where: { id: a.id }, data: { flag: DbNull } });
        await history('unflag', kind === 'rule-violated' ? "the shift's change breaks no rule any more" : 'the shift stands at the suggested times and breaks no rule', { kind });
        unflagged += 1;
      }
    }
    return { flagged, unflagged };
  }

  /** Cancels a shift with a reason: its assignments still `assigned` are cancelled, each with its event. */
  async cancel(edition: string, id: string, reason: string, principal: Principal): Promise<ShiftView & { cancelledAssignments: number }> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await this.lockShift(tx, edition, id, principal);
      if (row.status === 'cancelled') throw shiftCancelled(id);
      const updated = await tx.shift.update({ where: { id }, data: { status: 'cancelled', version: { increment: 1 }, updatedAt: new Date() } });
      await tx.historyEntry.create({ data: { edition, entity: 'shift', entityId: id, action: 'cancel', by: principal.sub, reason } });
      const assignments = await tx.assignment.findMany({ where: { shiftId: id, status: 'assigned' } });
      const cancelledAssignments = await cancelAssignments(
        tx,
        this.outbox,
        assignments.map((a) => ({ ...a, shift: updated })),
        { by: principal.sub, reason: `shift cancelled: ${reason}` },
      );
      const filled = await tx.assignment.count({ where: { shiftId: id, status: { in: LIVE } } });
      return { ...shiftView(updated, await this.zoneOf(edition, row.venue, tx), filled), cancelledAssignments };
    });
  }

  /** Publishes the draft shifts of a local date (at a venue, within the token's venues) and marks their assignments published. */
  async publish(edition: string, localDate: string, venue: string | undefined, principal: Principal): Promise<{ shifts: number; assignments: number }> {
    if (venue !== undefined && !seesVenue(principal, venue)) throw forbidden(`Not allowed to publish at venue ${venue}`);
    return serializableTransaction(this.prisma, async (tx) => {
      const where: Prisma.ShiftWhereInput = { edition, localDate, status: 'draft' };
      if (venue !== undefined) where.venue = venue;
      else if (principal.venues) where.venue = { in: [...principal.venues] };
      const shifts = await tx.shift.findMany({ where, select: { id: true } });
      const ids = shifts.map((s) => s.id);
      if (ids.length === 0) return { shifts: 0, assignments: 0 };
      await tx.shift.updateMany({ where: { id: { in: ids } }, data: { status: 'published', version: { increment: 1 }, updatedAt: new Date() } });
      const assignments = await tx.assignment.updateMany({ where: { shiftId: { in: ids }, status: { in: LIVE }, published: false }, data: { published: true } });
      await tx.historyEntry.createMany({
        data: ids.map((sid) => ({ edition, entity: 'shift', entityId: sid, action: 'publish', by: principal.sub, details: { localDate } })),
      });
      return { shifts: ids.length, assignments: assignments.count };
    });
  }

  /** The shift locked for the transaction (SELECT ... FOR UPDATE), or 404 (another edition or venue than the token's). */
  private async lockShift(tx: Tx, edition: string, id: string, principal: Principal): Promise<Shift> {
    await tx.$queryRaw`SELECT id FROM shift WHERE id = ${id}::uuid AND edition = ${edition} FOR UPDATE`;
    const row = await tx.shift.findFirst({ where: { id, edition } });
    if (!row) throw shiftNotFound(id);
    assertSeesVenue(principal, row.venue, () => shiftNotFound(id));
    return row;
  }

  private prepare(edition: string, input: ShiftInput, zone: string, by: string, prefix: string): { ok: true; row: Shift } | { ok: false; errors: FieldProblem[] } {
    const span = resolveSpan(input.start, input.end, zone, prefix);
    if (!span.ok) return span;
    const now = new Date();
    return {
      ok: true,
      row: {
        id: randomUUID(),
        edition,
        venue: input.venue,
        functionalArea: input.functionalArea,
        role: input.role,
        startsAt: span.startsAt,
        endsAt: span.endsAt,
        localDate: localDateOf(span.startsAt.getTime(), zone),
        headcount: input.headcount,
        requiredSkills: input.requiredSkills,
        requiredLanguages: input.requiredLanguages,
        session: input.session ?? null,
        status: 'draft',
        flag: null,
        version: 1,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
      },
    };
  }

  private async zones(edition: string): Promise<Map<string, string>> {
    const venues = await this.prisma.venue.findMany({ where: { edition } });
    return new Map(venues.map((v) => [v.code, v.timeZone]));
  }

  private async zoneOf(edition: string, venue: string, tx: Tx | PrismaService = this.prisma): Promise<string> {
    const row = await tx.venue.findUnique({ where: { edition_code: { edition, code: venue } } });
    return row?.timeZone ?? 'UTC';
  }
}
