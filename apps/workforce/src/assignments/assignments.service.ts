import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { assertSeesVenue, assignmentNotFound, LIVE_ASSIGNMENT_STATUSES, memberNotFound, seesVenue, shiftNotFound } from '../common/access';
import { formatLocal } from '../common/local-time';
import { PrismaService } from '../database/prisma.service';
import type { Assignment } from '../generated/prisma/client';
import { memberFacts } from '../members/members.logic';
import { checkAssignment } from '../rules/rules.logic';
import type { Violation } from '../rules/rules.types';
import { rulesFor } from '../rulesets/rulesets.service';
import { shiftCancelled, shiftFacts, shiftFull } from '../shifts/shifts.logic';
import { changeAssignment } from './assignment-writes';
import { assignmentState, type AssignmentView, assignmentView } from './assignments.logic';

const LIVE = [...LIVE_ASSIGNMENT_STATUSES];

/** The 422 of an assignment the rules refuse: each broken rule with its numbers. */
export function ruleViolated(violations: readonly Violation[]): ProblemException {
  return new ProblemException({
    status: 422,
    slug: 'rule-violated',
    title: 'Rostering rule violated',
    detail: violations.map((v) => v.message).join('; '),
    extensions: { violations },
  });
}

export interface RosterEntry extends AssignmentView {
  shift: { venue: string; functionalArea: string; role: string; start: string; end: string; startLocal: string; endLocal: string; localDate: string; status: string };
}

/**
 * Assignments of members to shifts by supervisors: each decided in one serializable transaction (the shift row locked)
 * by the rules engine, with its history entry and its assignment.changed event. docs/workforce-api.md#assignments.
 */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Assigns a member to a shift: 404 for a shift the caller may not see, 409 shift-cancelled / already-assigned /
   * shift-full, 422 rule-violated with the violations (checkAssignment on the member, its cards, the shift and the
   * member's other live assignments' shifts, under the rule set of its type).
   */
  async assign(edition: string, shiftId: string, memberId: string, reason: string | undefined, principal: Principal): Promise<AssignmentView> {
    return serializableTransaction(this.prisma, async (tx) => {
      // The shift row locked first: two supervisors racing for its last place take turns here (SSI retries the rest).
      await tx.$queryRaw`SELECT id FROM shift WHERE id = ${shiftId}::uuid AND edition = ${edition} FOR UPDATE`;
      const shift = await tx.shift.findFirst({ where: { id: shiftId, edition } });
      if (!shift) throw shiftNotFound(shiftId);
      assertSeesVenue(principal, shift.venue, () => shiftNotFound(shiftId));
      if (shift.status === 'cancelled') throw shiftCancelled(shiftId);
      const member = await tx.member.findFirst({ where: { id: memberId, edition } });
      if (!member) {
        throw new ProblemException({ status: 422, slug: 'unknown-member', detail: `No member ${memberId} in ${edition}`, errors: [{ field: 'body.memberId', message: 'not a member of the edition' }] });
      }
      const taken = await tx.assignment.findMany({ where: { shiftId, status: { in: LIVE } }, select: { memberId: true } });
      if (taken.some((a) => a.memberId === memberId)) {
        throw new ProblemException({ status: 409, slug: 'already-assigned', detail: `Member ${memberId} is already assigned to shift ${shiftId}` });
      }
      if (taken.length >= shift.headcount) throw shiftFull(shiftId, shift.headcount);
      const [cards, others, rules] = await Promise.all([
        tx.memberCard.findMany({ where: { memberId } }),
        tx.assignment.findMany({ where: { memberId, status: { in: LIVE }, shiftId: { not: shiftId } }, include: { shift: true } }),
        rulesFor(tx, edition, member.type === 'volunteer' || member.type === 'contractor' ? member.type : 'staff'),
      ]);
      const violations = checkAssignment(rules, memberFacts(member, cards), shiftFacts(shift), others.map((o) => shiftFacts(o.shift)));
      if (violations.length > 0) throw ruleViolated(violations);
      const now = new Date();
      const row: Assignment = {
        id: randomUUID(),
        edition,
        shiftId,
        memberId,
        status: 'assigned',
        published: shift.status === 'published',
        source: 'manual',
        planId: null,
        flag: null,
        cardNumber: null,
        checkedInAt: null,
        checkedOutAt: null,
        version: 1,
        createdBy: principal.sub,
        createdAt: now,
        updatedAt: now,
      };
      await tx.assignment.create({ data: { ...row, flag: undefined } });
      await tx.historyEntry.create({
        data: { edition, entity: 'assignment', entityId: row.id, action: 'assign', by: principal.sub, reason: reason ?? null, details: { shiftId, memberId } },
      });
      await this.outbox.enqueue(tx, 'oms.workforce.v1.assignment.{edition}.changed', assignmentState(row, shift), { tokens: { edition } });
      return assignmentView(row);
    });
  }

  /** Cancels an assignment still `assigned` (409 assignment-not-cancellable once checked in or closed). */
  async cancel(edition: string, id: string, reason: string, principal: Principal): Promise<AssignmentView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.assignment.findFirst({ where: { id, edition }, include: { shift: true } });
      if (!row) throw assignmentNotFound(id);
      assertSeesVenue(principal, row.shift.venue, () => assignmentNotFound(id));
      if (row.status !== 'assigned') {
        throw new ProblemException({ status: 409, slug: 'assignment-not-cancellable', detail: `Assignment ${id} is ${row.status}; only an assigned one can be cancelled` });
      }
      const { shift, ...assignment } = row;
      return assignmentView(await changeAssignment(tx, this.outbox, assignment, shift, { status: 'cancelled' }, { by: principal.sub, reason, action: 'cancel' }));
    });
  }

  /** A member's roster: its assignments (every status) in start order, with their shifts; limited to the token's venues. */
  async roster(edition: string, memberId: string, principal: Principal): Promise<{ items: RosterEntry[] }> {
    const member = await this.prisma.member.findFirst({ where: { id: memberId, edition }, select: { id: true } });
    if (!member) throw memberNotFound(memberId);
    const rows = await this.prisma.assignment.findMany({ where: { memberId, edition }, include: { shift: true }, orderBy: [{ shift: { startsAt: 'asc' } }, { id: 'asc' }] });
    const zones = new Map((await this.prisma.venue.findMany({ where: { edition } })).map((v) => [v.code, v.timeZone]));
    return {
      items: rows
        .filter((r) => seesVenue(principal, r.shift.venue))
        .map(({ shift, ...a }) => {
          const zone = zones.get(shift.venue) ?? 'UTC';
          return {
            ...assignmentView(a),
            shift: {
              venue: shift.venue,
              functionalArea: shift.functionalArea,
              role: shift.role,
              start: shift.startsAt.toISOString(),
              end: shift.endsAt.toISOString(),
              startLocal: formatLocal(shift.startsAt.getTime(), zone),
              endLocal: formatLocal(shift.endsAt.getTime(), zone),
              localDate: shift.localDate,
              status: shift.status,
            },
          };
        }),
    };
  }
}
