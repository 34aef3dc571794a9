import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ApplicationErased, CardState } from '@podium/contracts';
import { NatsConsumerRunner, serializableTransaction } from '@podium/platform';

import { PrismaService, type Tx } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { ReplacementsService } from '../replacements/replacements.service';
import { applicationsErasedConsumer, cardConsumers } from './events.consumer';
import { type AccreditationFlag, cardMemberRef, cardRow, flagKind, stopsWork } from './events.logic';

/** Who the history names for changes made on accreditation's word. */
export const ACCREDITATION_ACTOR = 'accreditation';

/**
 * Members' accreditation cards from accreditation's card events (oms.accreditation.v1.card.{edition}.issued|changed|
 * suspended|revoked): one MemberCard row per card number, only ever replaced by a newer version, linked to its member
 * by the card's source (a workforce member's id, or a volunteer's id). A suspended or revoked card flags the member's
 * live assignments still to end with suggested replacements; the card active again lifts its suspension's flags.
 * An erased application (oms.accreditation.v1.application.{edition}.erased) removes its card for good.
 */
@Injectable()
export class CardReactions implements OnApplicationBootstrap {
  private readonly logger = new Logger(CardReactions.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    private readonly replacements: ReplacementsService,
  ) {}

  onApplicationBootstrap(): void {
    for (const consumer of cardConsumers()) this.consumers.consume(consumer, (envelope) => this.onCard(envelope.data));
    this.consumers.consume(applicationsErasedConsumer(), (envelope) => this.onApplicationErased(envelope.data));
  }

  /** Keeps the card if newer than the one kept (idempotent: a redelivery or an older version changes nothing). */
  async onCard(card: CardState, now = new Date()): Promise<void> {
    const row = cardRow(card);
    const ref = cardMemberRef(card);
    await serializableTransaction(this.prisma, async (tx) => {
      if (await tx.erasure.findUnique({ where: { edition_kind_key: { edition: row.edition, kind: 'card', key: row.cardNumber } } })) return;
      const kept = await tx.memberCard.findUnique({ where: { cardNumber: row.cardNumber } });
      if (kept && kept.version >= row.version) return;
      const memberId = await this.memberOf(tx, row.edition, ref);
      const data = {
        ...row,
        memberId,
        sourceService: ref.by === 'none' ? null : ref.by === 'member' ? 'workforce' : 'volunteers',
        sourceId: ref.by === 'none' ? null : ref.id,
      };
      await tx.memberCard.upsert({ where: { cardNumber: row.cardNumber }, create: data, update: data });
      if (!memberId) return;
      const stop = stopsWork(row.status);
      if (stop) await this.flagAssignments(tx, memberId, row.cardNumber, stop, now);
      else if (row.status === 'active') await this.liftSuspension(tx, memberId, row.cardNumber);
    });
  }

  /** The member a card belongs to here, if known yet (a card arriving first is linked when the member is made). */
  private async memberOf(tx: Tx, edition: string, ref: ReturnType<typeof cardMemberRef>): Promise<string | null> {
    if (ref.by === 'none') return null;
    const member =
      ref.by === 'member'
        ? await tx.member.findFirst({ where: { id: ref.id, edition }, select: { id: true } })
        : await tx.member.findUnique({ where: { edition_volunteerId: { edition, volunteerId: ref.id } }, select: { id: true } });
    return member?.id ?? null;
  }

  /** Flags the member's live assignments whose shift has not ended, each with its suggested replacements. */
  private async flagAssignments(tx: Tx, memberId: string, cardNumber: string, kind: AccreditationFlag['kind'], now: Date): Promise<void> {
    const assignments = await tx.assignment.findMany({
      where: { memberId, status: { in: ['assigned', 'checked-in'] }, shift: { endsAt: { gt: now }, status: { not: 'cancelled' } } },
      include: { shift: true },
      orderBy: { shift: { startsAt: 'asc' } },
    });
    for (const a of assignments) {
      const current = a.flag as { kind?: string; cardNumber?: string } | null;
      if (flagKind(current) === kind && current?.cardNumber === cardNumber) continue; // already flagged for this
      const onShift = await tx.assignment.findMany({ where: { shiftId: a.shiftId, status: { not: 'cancelled' } }, select: { memberId: true } });
      const exclude = new Set([memberId, ...onShift.map((x) => x.memberId)]);
      const ranked = await this.replacements.suggest(tx, a.shift, exclude);
      const flag: AccreditationFlag = { kind, cardNumber, at: now.toISOString(), suggestions: ranked.map((r) => ({ memberId: r.memberId, score: r.score })) };
      await tx.assignment.update({ where: { id: a.id }, data: { flag: flag as unknown as Prisma.InputJsonValue } });
      await tx.historyEntry.create({
        data: {
          edition: a.edition,
          entity: 'assignment',
          entityId: a.id,
          action: 'flag',
          by: ACCREDITATION_ACTOR,
          reason: kind === 'accreditation-revoked' ? 'accreditation card revoked' : 'accreditation card suspended',
          details: { kind, cardNumber, shiftId: a.shiftId, memberId, suggestions: flag.suggestions.length },
        },
      });
    }
    if (assignments.length > 0) this.logger.log(`Card ${cardNumber} ${kind}: ${assignments.length} assignment(s) of member ${memberId} flagged`);
  }

  /** The card active again: the flags its suspension put on the member's assignments go. */
  private async liftSuspension(tx: Tx, memberId: string, cardNumber: string): Promise<void> {
    const flagged = await tx.assignment.findMany({
      where: { memberId, flag: { path: ['kind'], equals: 'accreditation-suspended' } },
      select: { id: true, edition: true, flag: true, shiftId: true },
    });
    for (const a of flagged) {
      if ((a.flag as { cardNumber?: string }).cardNumber !== cardNumber) continue;
      await tx.assignment.update({ where: { id: a.id }, data: { flag: Prisma.DbNull } });
      await tx.historyEntry.create({
        data: { edition: a.edition, entity: 'assignment', entityId: a.id, action: 'unflag', by: ACCREDITATION_ACTOR, reason: 'accreditation card reinstated', details: { cardNumber, shiftId: a.shiftId } },
      });
    }
  }

  /** Removes the erased application's card (by number, and any card of its holder) and keeps it from coming back. */
  async onApplicationErased(erased: ApplicationErased): Promise<void> {
    await serializableTransaction(this.prisma, async (tx) => {
      const cards = await tx.memberCard.findMany({
        where: { edition: erased.edition, OR: [{ holder: erased.applicationId }, ...(erased.cardNumber ? [{ cardNumber: erased.cardNumber }] : [])] },
        select: { cardNumber: true },
      });
      const numbers = new Set([...cards.map((c) => c.cardNumber), ...(erased.cardNumber ? [erased.cardNumber] : [])]);
      await tx.memberCard.deleteMany({ where: { cardNumber: { in: [...numbers] } } });
      await tx.erasure.createMany({ data: [...numbers].map((key) => ({ edition: erased.edition, kind: 'card', key })), skipDuplicates: true });
    });
  }
}
