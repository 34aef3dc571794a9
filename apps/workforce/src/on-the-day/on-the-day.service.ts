import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import type { AssignmentState } from '@podium/contracts';
import { CONFIG, OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';

import type { WorkforceConfig } from '../app/config';
import { changeAssignment, type ChangeContext } from '../assignments/assignment-writes';
import { assignmentState } from '../assignments/assignments.logic';
import { assertSeesVenue, assignmentNotFound, staleVersion } from '../common/access';
import { formatLocal } from '../common/local-time';
import { type Tx, PrismaService } from '../database/prisma.service';
import type { Assignment, Shift } from '../generated/prisma/client';
import { MAX_SHIFT_MS } from '../shifts/shifts.logic';
import type { CardRead, NoShowInput } from './on-the-day.dto';
import { atProblem, cardRefusal, chooseCheckIn, lateness, MINUTE_MS } from './on-the-day.logic';

/** Assignments written down as no-shows per statement of a sweep. */
export const NO_SHOW_SWEEP_BATCH = 200;

/** An assignment as on-the-day answers it: its state (the event's payload), local times, and lateness when checked in. */
export interface OnTheDayAssignment extends AssignmentState {
  startLocal: string;
  endLocal: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  member: { id: string; familyName: string; givenName: string };
  late?: boolean;
  minutesLate?: number;
}

type Row = Assignment & { shift: Shift };
type ViewRow = Row & { member: { familyName: string; givenName: string } };

const problem = {
  venueNotFound: (edition: string, venue: string) => ProblemException.notFound(`No venue ${venue} in ${edition}`, 'venue-not-found'),
  cardUnknown: (cardNumber: string) =>
    new ProblemException({ status: 422, slug: 'card-unknown', title: 'Card unknown', detail: `No workforce member holds card ${cardNumber} in this edition`, extensions: { cardNumber } }),
};

/**
 * Check-in and check-out at a venue's desk by card number, and no-shows (a supervisor's, or the sweep's): every change
 * one serializable transaction with its history entry and its assignment.changed event (docs/workforce-on-the-day.md).
 */
@Injectable()
export class OnTheDayService {
  private readonly graceMs: number;
  private readonly noShowMs: number;
  private readonly sweepReason: string;

  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
    @Inject(CONFIG) config: WorkforceConfig,
  ) {
    this.graceMs = config.WORKFORCE_LATE_GRACE_MINUTES * MINUTE_MS;
    this.noShowMs = config.WORKFORCE_NO_SHOW_MINUTES * MINUTE_MS;
    this.sweepReason = `not checked in ${config.WORKFORCE_NO_SHOW_MINUTES} minutes after the start`;
  }

  /** The venue's time zone, or 404 when it is not one of the edition's or the token is limited to other venues. */
  async venueZone(edition: string, venue: string, principal: Principal): Promise<string> {
    assertSeesVenue(principal, venue, () => problem.venueNotFound(edition, venue));
    const row = await this.prisma.venue.findUnique({ where: { edition_code: { edition, code: venue } }, select: { timeZone: true } });
    if (!row) throw problem.venueNotFound(edition, venue);
    return row.timeZone;
  }

  async checkIn(edition: string, venue: string, read: CardRead, principal: Principal): Promise<OnTheDayAssignment> {
    const zone = await this.venueZone(edition, venue, principal);
    const at = this.readAt(read.at);
    const row = await serializableTransaction(this.prisma, async (tx) => {
      const card = await this.card(tx, edition, read.cardNumber);
      const refusal = cardRefusal({ status: card.status, venues: card.venues, validFrom: card.validFrom.getTime(), validTo: card.validTo.getTime() }, venue, at);
      if (refusal?.reason === 'not-active') {
        throw new ProblemException({
          status: 422,
          slug: 'card-not-active',
          title: 'Card not active',
          detail: `Card ${read.cardNumber} is ${refusal.cardStatus}: the gate would refuse it too`,
          extensions: { cardNumber: read.cardNumber, cardStatus: refusal.cardStatus },
        });
      }
      if (refusal?.reason === 'venue-not-granted') {
        throw new ProblemException({
          status: 422,
          slug: 'card-not-valid-here',
          title: 'Card not valid at this venue',
          detail: `Card ${read.cardNumber} does not grant venue ${venue}: the gate would refuse it too`,
          extensions: { cardNumber: read.cardNumber, venue },
        });
      }
      const candidates = await this.assignmentsAt(tx, edition, card.memberId, venue, at);
      const choice = chooseCheckIn(
        candidates.map((r) => ({ id: r.id, status: r.status, start: r.shift.startsAt.getTime(), end: r.shift.endsAt.getTime(), row: r })),
        at,
      );
      if (choice.kind === 'no-shift-now') {
        const next = choice.next?.row;
        throw new ProblemException({
          status: 422,
          slug: 'no-shift-now',
          title: 'No shift now',
          detail:
            `The holder of card ${read.cardNumber} has no shift at ${venue} to check in to now (from 90 minutes before its start until its end)` +
            (next ? `; the next one starts ${formatLocal(next.shift.startsAt.getTime(), zone)}` : '; none to come there'),
          extensions: {
            cardNumber: read.cardNumber,
            nextShift: next
              ? { assignmentId: next.id, shiftId: next.shiftId, start: next.shift.startsAt.toISOString(), startLocal: formatLocal(next.shift.startsAt.getTime(), zone), role: next.shift.role, functionalArea: next.shift.functionalArea }
              : null,
          },
        });
      }
      if (choice.kind === 'already-checked-in' || choice.kind === 'already-checked-out') {
        const done = choice.assignment.row;
        const since = (choice.kind === 'already-checked-in' ? done.checkedInAt : done.checkedOutAt)?.toISOString() ?? null;
        throw new ProblemException({
          status: 409,
          slug: choice.kind,
          title: choice.kind === 'already-checked-in' ? 'Already checked in' : 'Already checked out',
          detail: `The holder of card ${read.cardNumber} ${choice.kind === 'already-checked-in' ? 'checked in' : 'checked out'} of assignment ${done.id} at ${since}`,
          extensions: { assignmentId: done.id, since },
        });
      }
      const chosen = choice.assignment.row;
      const late = lateness(chosen.shift.startsAt.getTime(), at, this.graceMs);
      await tx.assignment.update({ where: { id: chosen.id }, data: { cardNumber: card.cardNumber, checkedInAt: new Date(at), checkedOutAt: null } });
      const updated = await this.change(tx, chosen, 'checked-in', {
        action: 'check-in',
        by: principal.sub,
        details: { venue, cardNumber: card.cardNumber, at: new Date(at).toISOString(), late: late.late, minutesLate: late.minutesLate },
      });
      return { updated, late };
    });
    return { ...this.view(row.updated, zone), ...row.late };
  }

  async checkOut(edition: string, venue: string, read: CardRead, principal: Principal): Promise<OnTheDayAssignment> {
    const zone = await this.venueZone(edition, venue, principal);
    const at = this.readAt(read.at);
    const updated = await serializableTransaction(this.prisma, async (tx) => {
      const card = await this.card(tx, edition, read.cardNumber);
      const checkedIn = await tx.assignment.findFirst({
        where: { edition, memberId: card.memberId, status: 'checked-in', shift: { venue } },
        orderBy: { checkedInAt: 'desc' },
        include: { shift: true },
      });
      if (!checkedIn) {
        throw new ProblemException({
          status: 409,
          slug: 'not-checked-in',
          title: 'Not checked in',
          detail: `The holder of card ${read.cardNumber} is not checked in at ${venue}`,
          extensions: { cardNumber: read.cardNumber },
        });
      }
      if (checkedIn.checkedInAt && at < checkedIn.checkedInAt.getTime()) {
        throw ProblemException.validation([{ field: 'at', message: `must not be before the check-in (${checkedIn.checkedInAt.toISOString()})` }]);
      }
      await tx.assignment.update({ where: { id: checkedIn.id }, data: { checkedOutAt: new Date(at) } });
      const row = await this.change(tx, checkedIn, 'checked-out', { action: 'check-out', by: principal.sub, details: { venue, cardNumber: card.cardNumber, at: new Date(at).toISOString() } });
      return row;
    });
    return this.view(updated, zone);
  }

  /** A supervisor writes down a no-show: an assigned member not checked in, once the shift has started. */
  async markNoShow(edition: string, id: string, input: NoShowInput, principal: Principal): Promise<OnTheDayAssignment> {
    const now = Date.now();
    const { row, zone } = await serializableTransaction(this.prisma, async (tx) => {
      const found = await tx.assignment.findFirst({ where: { id, edition }, include: { shift: true } });
      if (!found) throw assignmentNotFound(id);
      assertSeesVenue(principal, found.shift.venue, () => assignmentNotFound(id));
      if (input.expectedVersion !== undefined && input.expectedVersion !== found.version) throw staleVersion('assignment', id, input.expectedVersion, found.version);
      if (found.status !== 'assigned') {
        throw new ProblemException({
          status: 409,
          slug: 'illegal-transition',
          title: 'Not an assigned member',
          detail: `Assignment ${id} is ${found.status}: only an assigned member not checked in can be a no-show`,
          extensions: { status: found.status },
        });
      }
      if (found.shift.startsAt.getTime() > now) {
        throw new ProblemException({ status: 409, slug: 'shift-not-started', title: 'Shift not started', detail: `The shift of assignment ${id} starts at ${found.shift.startsAt.toISOString()}` });
      }
      const venue = await tx.venue.findUnique({ where: { edition_code: { edition, code: found.shift.venue } }, select: { timeZone: true } });
      const updated = await this.change(tx, found, 'no-show', { action: 'no-show', by: principal.sub, reason: input.reason ?? null, details: { venue: found.shift.venue } });
      return { row: updated, zone: venue?.timeZone ?? 'UTC' };
    });
    return this.view(row, zone);
  }

  /**
   * Writes down as no-shows the published assignments (announced to their members) still `assigned` once their shift
   * started WORKFORCE_NO_SHOW_MINUTES ago (by `system`, each with its history entry and event), in batches that skip
   * rows a check-in holds: several replicas may sweep at once. A member who arrives after all can still check in
   * (late). Only shifts started within the last MAX_SHIFT_MS (24 h, the longest a shift lasts): an older one is over
   * and its record stays as it is (a past roster loaded as data is never swept). Returns how many.
   */
  async sweepNoShows(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.noShowMs);
    const since = new Date(now.getTime() - MAX_SHIFT_MS);
    let total = 0;
    for (;;) {
      const swept = await serializableTransaction(this.prisma, async (tx) => {
        // LATERAL keeps the plan on the indexes (per venue a range of shift(edition, venue, starts_at), per shift its
        // assigned members by assignment(shift_id, status)): a plain join hashes every assigned row of the edition.
        const due = await tx.$queryRaw<{ id: string }[]>`
          SELECT x.id FROM venue v
          CROSS JOIN LATERAL (
            SELECT s.id FROM shift s
            WHERE s.edition = v.edition AND s.venue = v.code AND s.starts_at <= ${cutoff} AND s.starts_at > ${since} AND s.status <> 'cancelled'
          ) s
          CROSS JOIN LATERAL (
            SELECT a.id FROM assignment a WHERE a.shift_id = s.id AND a.status = 'assigned' AND a.published FOR UPDATE SKIP LOCKED
          ) x
          LIMIT ${NO_SHOW_SWEEP_BATCH}`;
        if (due.length === 0) return 0;
        const ids = due.map((d) => d.id);
        const rows = await tx.assignment.findMany({ where: { id: { in: ids }, status: 'assigned' }, include: { shift: true } });
        for (const row of rows) {
          await changeAssignment(tx, this.outbox, row, row.shift, { status: 'no-show' }, { action: 'no-show', by: 'system', reason: this.sweepReason, details: { venue: row.shift.venue } });
        }
        return rows.length;
      });
      total += swept;
      if (swept < NO_SHOW_SWEEP_BATCH) return total;
    }
  }

  /** The change's status, version, history entry and assignment.changed event (changeAssignment), with the member's name. */
  private async change(tx: Tx, row: Row, status: string, context: ChangeContext): Promise<ViewRow> {
    const updated = await changeAssignment(tx, this.outbox, row, row.shift, { status }, context);
    const member = await tx.member.findUniqueOrThrow({ where: { id: row.memberId }, select: { familyName: true, givenName: true } });
    return { ...updated, shift: row.shift, member };
  }

  /** The member's card by number: 422 card-unknown unless a member of the edition holds it. */
  private async card(tx: Tx, edition: string, cardNumber: string) {
    const card = await tx.memberCard.findUnique({ where: { cardNumber } });
    if (!card || card.edition !== edition || card.memberId === null) throw problem.cardUnknown(cardNumber);
    return { ...card, memberId: card.memberId };
  }

  /** The member's assignments at the venue not cancelled whose shift (not cancelled) ends after `at`. */
  private assignmentsAt(tx: Tx, edition: string, memberId: string, venue: string, at: number): Promise<Row[]> {
    return tx.assignment.findMany({
      where: { edition, memberId, status: { not: 'cancelled' }, shift: { venue, status: { not: 'cancelled' }, endsAt: { gt: new Date(at) } } },
      include: { shift: true },
      orderBy: { shift: { startsAt: 'asc' } },
      take: 50,
    });
  }

  /** `at` from the body (validated: not in the future, not older than a day), or now. */
  private readAt(at: string | undefined): number {
    const now = Date.now();
    if (at === undefined) return now;
    const t = Date.parse(at);
    const wrong = atProblem(t, now);
    if (wrong) throw ProblemException.validation([{ field: 'at', message: wrong }]);
    return t;
  }

  private view(row: ViewRow, zone: string): OnTheDayAssignment {
    return {
      ...assignmentState(row, row.shift),
      startLocal: formatLocal(row.shift.startsAt.getTime(), zone),
      endLocal: formatLocal(row.shift.endsAt.getTime(), zone),
      checkedInAt: row.checkedInAt?.toISOString() ?? null,
      checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
      member: { id: row.memberId, familyName: row.member.familyName, givenName: row.member.givenName },
    };
  }
}
