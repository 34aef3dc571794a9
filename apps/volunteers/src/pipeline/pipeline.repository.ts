import { Injectable } from '@nestjs/common';
import { EnvelopeCipher, OutboxWriter, ProblemException } from '@podium/platform';

import type { Stage } from '../applications/application.logic';
import { openPersonal } from '../applications/personal.logic';
import type { Application, Tx } from '../database/prisma.service';
import { type Actor, handoverEventOf, handoverPayload, isOfferExpired, step } from './pipeline.logic';

/** What a move writes besides the stage: the slot booked, the offer. */
export type MoveChanges = Partial<Pick<Application, 'interviewSlotId' | 'offerRole' | 'offerArea' | 'offerVenue' | 'offerDeadline'>>;

export interface Move {
  to: Stage;
  actor: Actor;
  /** A recruiter's sub, `applicant` or `system`. */
  by: string;
  reason: string | null;
  /** The reason the withdrawn event carries when it is not `reason` (an applicant's free text stays in the history). */
  eventReason?: string;
  changes?: MoveChanges;
  details?: Record<string, string | number>;
  /** The history entry's action, when it is not the move's own name (an erasure's withdrawal). */
  action?: string;
  now: Date;
}

/** The name of a move in the history. */
function actionOf(from: Stage, to: Stage, actor: Actor): string {
  if (to === 'interview-booked') return from === 'interview-booked' ? 'rebook-interview' : 'book-interview';
  if (from === 'interview-booked' && to === 'screened') return 'cancel-interview';
  if (to === 'withdrawn' && actor === 'recruiter') return 'release';
  const names: Partial<Record<Stage, string>> = {
    screened: 'screen',
    interviewed: 'interview',
    trained: 'train',
    offered: 'offer',
    accepted: 'accept',
    declined: 'decline',
    lapsed: 'lapse',
    confirmed: 'confirm',
    rejected: 'reject',
    withdrawn: 'withdraw',
  };
  return names[to] ?? to;
}

export const problemOf = {
  notFound: (edition: string, id: string) => ProblemException.notFound(`No application ${id} in ${edition}`, 'application-not-found'),
  erased: (id: string) =>
    new ProblemException({ status: 409, slug: 'application-erased', title: 'Application erased', detail: `The personal data of application ${id} was erased: it cannot move any more` }),
  lapsed: (deadline: Date | null) =>
    new ProblemException({
      status: 409,
      slug: 'offer-lapsed',
      title: 'Offer lapsed',
      detail: `The offer had to be answered by ${deadline?.toISOString()}: it lapsed and can no longer be answered or changed`,
      extensions: { stage: 'lapsed', allowed: [], deadline: deadline?.toISOString() ?? null },
    }),
};

/**
 * The moves of an application in the caller's serializable transaction: the rule (409 with the allowed stages),
 * version + 1, the history entry (who, when, why), and the hand-over events through the outbox.
 */
@Injectable()
export class PipelineRepository {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly cipher: EnvelopeCipher,
  ) {}

  async find(tx: Tx, edition: string, id: string): Promise<Application> {
    const row = await tx.application.findFirst({ where: { id, edition } });
    if (!row) throw problemOf.notFound(edition, id);
    return row;
  }

  /** Writes down the lapse of an offer past its deadline (by `system`). */
  lapse(tx: Tx, row: Application, now: Date): Promise<Application> {
    return this.write(tx, row, { to: 'lapsed', actor: 'system', by: 'system', reason: 'no answer by the deadline', now, details: { deadline: row.offerDeadline?.toISOString() ?? '' } });
  }

  /** Moves `row` (409 problem when the move is not allowed; the caller lapses an expired offer first). */
  async move(tx: Tx, row: Application, move: Move): Promise<Application> {
    this.check(row, move.to, move.actor, move.now);
    return this.write(tx, row, move);
  }

  /** Throws the 409 problem of a move that is not allowed (with the stages that are), or of an erased application. */
  check(row: Application, to: Stage, actor: Actor, now: Date): void {
    if (row.erasedAt) throw problemOf.erased(row.id);
    const from = row.stage as Stage;
    const verdict = step(from, to, actor, row.offerDeadline, now);
    if (verdict.ok) return;
    if (verdict.slug === 'offer-lapsed') throw problemOf.lapsed(row.offerDeadline);
    throw new ProblemException({
      status: 409,
      slug: verdict.slug,
      title: 'Transition not allowed',
      detail: verdict.detail,
      extensions: { stage: from, to, allowed: verdict.allowed },
    });
  }

  /** Writes a move already checked: the row (stage, changes, version + 1), its history entry, its hand-over event. */
  async write(tx: Tx, row: Application, move: Move): Promise<Application> {
    const from = row.stage as Stage;
    const updated = await tx.application.update({
      where: { id: row.id },
      data: { ...move.changes, stage: move.to, version: { increment: 1 }, updatedAt: move.now },
    });
    await tx.applicationHistory.create({
      data: {
        applicationId: row.id,
        at: move.now,
        by: move.by,
        action: move.action ?? actionOf(from, move.to, move.actor),
        fromStage: from,
        toStage: move.to,
        reason: move.reason,
        ...(move.details ? { details: move.details } : {}),
      },
    });
    const event = handoverEventOf(from, move.to);
    if (event === 'confirmed') {
      const personal = this.handoverPersonal(updated);
      const eventId = await this.outbox.enqueue(tx, 'oms.volunteers.v1.volunteer.{edition}.confirmed', handoverPayload(updated, personal), { tokens: { edition: updated.edition } });
      // Where it will sit on the stream is kept beyond the outbox's retention, for an erasure to delete it there.
      await tx.handoverMessage.create({ data: { eventId, applicationId: updated.id } });
    } else if (event === 'withdrawn') {
      const reason = move.eventReason ?? move.reason ?? (move.actor === 'applicant' ? 'Withdrew' : 'Released');
      await this.outbox.enqueue(
        tx,
        'oms.volunteers.v1.volunteer.{edition}.withdrawn',
        { id: updated.id, edition: updated.edition, reason, version: updated.version, updatedAt: updated.updatedAt.toISOString() },
        { tokens: { edition: updated.edition } },
      );
    }
    return updated;
  }

  /**
   * The date of birth and the nationality the hand-over needs, sealed with the contact details
   * (apps/volunteers/src/applications/personal.logic.ts). 409 handover-incomplete once erased, so that a confirmation is
   * never half published; 500 personal-data-unreadable when its key is gone (openPersonal).
   */
  private handoverPersonal(row: Application): { dateOfBirth: string; nationality: string } {
    const personal = openPersonal(this.cipher, row);
    if (!personal) {
      throw new ProblemException({
        status: 409,
        slug: 'handover-incomplete',
        title: 'Hand-over incomplete',
        detail: `Application ${row.id} cannot be handed over to workforce and accreditation: its personal data was erased`,
      });
    }
    return { dateOfBirth: personal.dateOfBirth, nationality: personal.nationality };
  }

  /** Frees a place of a slot that has not started yet (a place of a past interview stays counted). */
  async releasePlace(tx: Tx, slotId: string, now: Date): Promise<void> {
    await tx.$executeRaw`UPDATE interview_slot SET booked = booked - 1 WHERE id = ${slotId}::uuid AND booked > 0 AND starts_at > ${now}`;
  }

  /** True when the row is an offer past its deadline (to be lapsed before anything else). */
  expired(row: Application, now: Date): boolean {
    return isOfferExpired(row.stage, row.offerDeadline, now);
  }
}
