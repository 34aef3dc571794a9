import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import type { Stage } from '../applications/application.logic';
import { type ApplicationView, applicationView } from '../applications/applications.view';
import { isStatusTokenShaped, tokenHashOf } from '../applications/submission.logic';
import { type Application, type InterviewSlot, PrismaService, type Tx } from '../database/prisma.service';
import type { SlotInput, SlotQuery, TransitionInput } from './pipeline.dto';
import { type Withdrawal, withdrawalEntry } from './pipeline.logic';
import { type MoveChanges, PipelineRepository, problemOf } from './pipeline.repository';

export interface SlotView {
  id: string;
  edition: string;
  startsAt: string;
  location: string;
  capacity: number;
  booked: number;
  free: number;
  createdBy: string;
}

export function slotView(row: InterviewSlot): SlotView {
  return {
    id: row.id,
    edition: row.edition,
    startsAt: row.startsAt.toISOString(),
    location: row.location,
    capacity: row.capacity,
    booked: row.booked,
    free: Math.max(0, row.capacity - row.booked),
    createdBy: row.createdBy,
  };
}

export interface HistoryEntryView {
  at: string;
  by: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  details: unknown;
}

/** Applications' lapsed offers written down per sweep statement (the rest waits for the next sweep). */
const SWEEP_BATCH = 1_000;

/**
 * The recruiting pipeline: recruiters' moves (one at a time; the bulk ones are BulkTransitionsService's), interview
 * slots and their booking, the applicant's answer and withdrawal (the portal calls these with the status token), the
 * history, and the lapse of offers past their deadline. Every move: one serializable transaction.
 */
@Injectable()
export class PipelineService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: PipelineRepository,
  ) {}

  /** A recruiter's move (POST .../applications/{id}/transitions). */
  transition(edition: string, id: string, input: TransitionInput, principal: Principal): Promise<ApplicationView> {
    return this.run(
      (tx) => this.repository.find(tx, edition, id),
      async (tx, row, now) => {
        if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
          throw new ProblemException({
            status: 409,
            slug: 'stale-version',
            title: 'Stale version',
            detail: `Application ${id} is at version ${row.version}, not ${input.expectedVersion}: read it again`,
            extensions: { version: row.version },
          });
        }
        const to = input.to as Stage;
        this.repository.check(row, to, 'recruiter', now);
        const changes: MoveChanges = {};
        const details: Record<string, string> = {};
        if (input.to === 'offered') {
          const deadline = new Date(input.deadline);
          if (deadline.getTime() <= now.getTime()) throw ProblemException.validation([{ field: 'deadline', message: 'must be in the future' }]);
          Object.assign(changes, { offerRole: input.role, offerArea: input.area, offerVenue: input.venue, offerDeadline: deadline });
          Object.assign(details, { role: input.role, area: input.area, venue: input.venue, deadline: deadline.toISOString() });
        }
        if (input.to === 'interview-booked') {
          Object.assign(changes, await this.takePlace(tx, row, input.slotId, now));
          details['slotId'] = input.slotId;
        } else if (row.stage === 'interview-booked' && to !== 'interviewed' && row.interviewSlotId) {
          // Leaving a booked interview before it took place (cancelled, rejected, withdrawn): its place is free again.
          await this.repository.releasePlace(tx, row.interviewSlotId, now);
          changes.interviewSlotId = null;
          details['slotId'] = row.interviewSlotId;
        }
        return this.repository.write(tx, row, { to, actor: 'recruiter', by: principal.sub, reason: input.reason ?? null, changes, details, now });
      },
    );
  }

  /** Books a place of an interview slot (POST .../applications/{id}/interview): screened (or booked: moved) -> interview-booked. */
  book(edition: string, id: string, slotId: string, reason: string | undefined, principal: Principal): Promise<ApplicationView> {
    return this.transition(edition, id, { to: 'interview-booked', slotId, reason }, principal);
  }

  /** The applicant's answer to the offer, by their status token: accepted or declined; after the deadline: 409 offer-lapsed. */
  applicantAnswer(token: string, answer: 'accept' | 'decline'): Promise<ApplicationView> {
    const to: Stage = answer === 'accept' ? 'accepted' : 'declined';
    return this.run(
      (tx) => this.byToken(tx, token),
      (tx, row, now) => this.repository.move(tx, row, { to, actor: 'applicant', by: 'applicant', reason: null, now }),
    );
  }

  /**
   * The applicant withdraws (any stage that is not final), by their status token, with an optional reason of the list
   * and their own words (kept in the history); a confirmed volunteer's is published (with the reason's code only).
   */
  applicantWithdraw(token: string, withdrawal?: Withdrawal): Promise<ApplicationView> {
    const entry = withdrawalEntry(withdrawal);
    return this.run(
      (tx) => this.byToken(tx, token),
      async (tx, row, now) => {
        this.repository.check(row, 'withdrawn', 'applicant', now);
        const changes: MoveChanges = {};
        if (row.stage === 'interview-booked' && row.interviewSlotId) {
          await this.repository.releasePlace(tx, row.interviewSlotId, now);
          changes.interviewSlotId = null;
        }
        return this.repository.write(tx, row, {
          to: 'withdrawn',
          actor: 'applicant',
          by: 'applicant',
          reason: entry.reason,
          eventReason: entry.eventReason,
          details: entry.details,
          changes,
          now,
        });
      },
    );
  }

  /** Every change of the application, oldest first: who, when, why. */
  async history(edition: string, id: string): Promise<{ items: HistoryEntryView[] }> {
    const row = await this.prisma.application.findFirst({ where: { id, edition }, select: { id: true } });
    if (!row) throw problemOf.notFound(edition, id);
    const rows = await this.prisma.applicationHistory.findMany({ where: { applicationId: id }, orderBy: { id: 'asc' } });
    return {
      items: rows.map((r) => ({ at: r.at.toISOString(), by: r.by, action: r.action, from: r.fromStage, to: r.toStage, reason: r.reason, details: r.details ?? null })),
    };
  }

  async createSlot(edition: string, input: SlotInput, principal: Principal): Promise<SlotView> {
    if (Date.parse(input.startsAt) <= Date.now()) throw ProblemException.validation([{ field: 'startsAt', message: 'must be in the future' }]);
    const row = await this.prisma.interviewSlot.create({
      data: { id: randomUUID(), edition, startsAt: new Date(input.startsAt), location: input.location, capacity: input.capacity, createdBy: principal.sub },
    });
    return slotView(row);
  }

  /** The edition's slots by start time (from `from`; only those with a free place when `available`). */
  async listSlots(edition: string, query: SlotQuery): Promise<{ items: SlotView[] }> {
    const rows = await this.prisma.$queryRaw<InterviewSlot[]>`
      SELECT id, edition, starts_at AS "startsAt", location, capacity, booked, created_by AS "createdBy"
      FROM interview_slot
      WHERE edition = ${edition}
        AND starts_at >= ${query.from ? new Date(query.from) : new Date(0)}
        AND (${query.available !== true} OR booked < capacity)
      ORDER BY starts_at, id
      LIMIT ${query.limit}`;
    return { items: rows.map(slotView) };
  }

  /**
   * Writes down the lapse of every offer past its deadline (by `system`, with its history entry): one statement per
   * edition and batch, safe to run on several replicas at once (rows another sweep or a move holds are skipped, and a
   * row already moved no longer matches). Returns how many lapsed.
   */
  async sweepLapsed(now = new Date()): Promise<number> {
    const editions = await this.prisma.campaign.findMany({ select: { edition: true } });
    let total = 0;
    for (const { edition } of editions) {
      for (;;) {
        const lapsed = await this.prisma.$executeRaw`
          WITH due AS (
            SELECT id FROM application
            WHERE edition = ${edition} AND stage = 'offered' AND offer_deadline <= ${now} AND erased_at IS NULL
            ORDER BY id LIMIT ${SWEEP_BATCH}
            FOR UPDATE SKIP LOCKED
          ), lapsed AS (
            UPDATE application a SET stage = 'lapsed', version = a.version + 1, updated_at = ${now}
            FROM due WHERE a.id = due.id AND a.stage = 'offered'
            RETURNING a.id, a.offer_deadline
          )
          INSERT INTO application_history (application_id, at, by, action, from_stage, to_stage, reason, details)
          SELECT id, ${now}, 'system', 'lapse', 'offered', 'lapsed', 'no answer by the deadline',
                 jsonb_build_object('deadline', to_char(offer_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          FROM lapsed`;
        total += lapsed;
        if (lapsed < SWEEP_BATCH) break;
      }
    }
    return total;
  }

  /**
   * Runs a move in one serializable transaction. An offer found past its deadline is lapsed first and the move refused
   * (409 offer-lapsed) after that lapse is committed: an answer after the deadline never lands.
   */
  private async run(find: (tx: Tx) => Promise<Application>, act: (tx: Tx, row: Application, now: Date) => Promise<Application>): Promise<ApplicationView> {
    const now = new Date();
    const outcome = await serializableTransaction(this.prisma, async (tx) => {
      const row = await find(tx);
      if (row.erasedAt) throw problemOf.erased(row.id);
      if (this.repository.expired(row, now)) {
        await this.repository.lapse(tx, row, now);
        return { lapsed: row.offerDeadline ?? null } as const;
      }
      return { row: await act(tx, row, now) } as const;
    });
    if ('lapsed' in outcome) throw problemOf.lapsed(outcome.lapsed ?? null);
    return applicationView(outcome.row);
  }

  private async byToken(tx: Tx, token: string): Promise<Application> {
    const notFound = () => ProblemException.notFound('No application has this status link', 'application-not-found');
    if (!isStatusTokenShaped(token)) throw notFound();
    const row = await tx.application.findUnique({ where: { tokenHash: Uint8Array.from(tokenHashOf(token)) } });
    if (!row) throw notFound();
    return row;
  }

  /**
   * Takes a place of the slot by one conditional UPDATE (booked < capacity): of two recruiters booking the last place,
   * the second's update waits for the first's commit, fails serialization, is run again and finds no place (409 slot-full).
   */
  private async takePlace(tx: Tx, row: Application, slotId: string, now: Date): Promise<MoveChanges> {
    if (row.interviewSlotId === slotId && row.stage === 'interview-booked') {
      throw new ProblemException({ status: 409, slug: 'already-booked', title: 'Already booked', detail: `Application ${row.id} is already booked in slot ${slotId}` });
    }
    const taken = await tx.$queryRaw<{ id: string }[]>`
      UPDATE interview_slot SET booked = booked + 1
      WHERE id = ${slotId}::uuid AND edition = ${row.edition} AND booked < capacity AND starts_at > ${now}
      RETURNING id`;
    if (taken.length === 0) {
      const slot = await tx.interviewSlot.findFirst({ where: { id: slotId, edition: row.edition } });
      if (!slot) throw ProblemException.notFound(`No interview slot ${slotId} in ${row.edition}`, 'slot-not-found');
      if (slot.startsAt.getTime() <= now.getTime()) {
        throw new ProblemException({ status: 409, slug: 'slot-past', title: 'Slot in the past', detail: `Interview slot ${slotId} started at ${slot.startsAt.toISOString()}` });
      }
      throw new ProblemException({
        status: 409,
        slug: 'slot-full',
        title: 'Slot full',
        detail: `Interview slot ${slotId} has no free place (${slot.booked} of ${slot.capacity} booked)`,
        extensions: { capacity: slot.capacity, booked: slot.booked },
      });
    }
    if (row.stage === 'interview-booked' && row.interviewSlotId) await this.repository.releasePlace(tx, row.interviewSlotId, now);
    return { interviewSlotId: slotId };
  }
}
