import { Inject, Injectable } from '@nestjs/common';
import { signCredential } from '@podium/accreditation-credential';
import type { Principal } from '@podium/auth';
import type { CardState } from '@podium/contracts';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { ApplicationsRepository } from '../applications/applications.repository';
import type { WorkflowAction } from '../applications/workflow';
import { type Card, PrismaService, type Tx } from '../database/prisma.service';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { cardNumberOf, cardState, claimsOf } from './cards.logic';
import { SERVICE_KEYS, type ServiceKeys } from './credential-keys';
import { nextCounter, RevocationsRepository } from './revocations.repository';

export interface CardListQuery {
  status?: CardState['status'];
  limit: number;
  cursor?: string;
}

/**
 * Cards and their credentials: every change of a card issues a new credential and revokes the old one
 * (credential-revoked), suspension and revocation go on the revocation list; each change is one transaction with
 * its history entry, revocation entries and outbox events.
 */
@Injectable()
export class CardsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly applications: ApplicationsRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly revocations: RevocationsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeys,
  ) {}

  /** Signs a new credential for the card and records it. */
  private async sign(tx: Tx, card: Omit<Card, 'currentJti' | 'credential'>, now: Date): Promise<{ jti: string; credential: string }> {
    const jti = randomUUID();
    const credential = signCredential(claimsOf(card, jti, now), this.keys.signing);
    await tx.credential.create({ data: { jti, cardNumber: card.cardNumber, kid: this.keys.signing.kid, issuedAt: now } });
    return { jti, credential };
  }

  issue(edition: string, applicationId: string, reason: string | null, principal: Principal): Promise<CardState> {
    return serializableTransaction(this.prisma, async (tx) => {
      const application = await this.applications.visible(tx, edition, applicationId, principal);
      // The workflow's rule first: no card before clearance (409 vetting-not-cleared), nor before approval.
      await this.applications.move(tx, application, 'issue-card', principal.sub, reason);
      const pack = await this.referenceData.get(edition, tx);
      const category = pack.categories.find((c) => c.code === application.category);
      if (!category) throw new ProblemException({ status: 409, slug: 'unknown-category', title: 'Unknown category', detail: `${application.category} is no longer a category of ${edition}` });
      const now = new Date();
      const base = {
        cardNumber: cardNumberOf(edition, await nextCounter(tx, `card:${edition}`)),
        edition,
        applicationId,
        category: category.code,
        venues: category.venues,
        zones: category.zones,
        transport: category.transport,
        dining: category.dining,
        validFrom: new Date(pack.edition.validFrom),
        validTo: new Date(pack.edition.validTo),
        status: 'active',
        version: 1,
        issuedAt: now,
        updatedAt: now,
      };
      const { jti, credential } = await this.sign(tx, base, now);
      const card = await tx.card.create({ data: { ...base, currentJti: jti, credential } });
      const state = cardState(card);
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.issued', state, { tokens: { edition } });
      return state;
    });
  }

  /** A new credential for the card (its privileges changed, or a reissue): the old one is revoked. */
  reissue(cardNumber: string, change: { venues?: string[]; zones?: string[]; reason: string }, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'reissue', change.reason, principal, async (tx, card, now) => {
      const next = { ...card, venues: change.venues ?? card.venues, zones: change.zones ?? card.zones, version: card.version + 1, updatedAt: now };
      const { jti, credential } = await this.sign(tx, next, now);
      await tx.credential.update({ where: { jti: card.currentJti }, data: { revokedAt: now } });
      await this.revocations.append(tx, { kind: 'credential-revoked', jti: card.currentJti, card: card.cardNumber }, now);
      const updated = await tx.card.update({
        where: { cardNumber },
        data: { venues: next.venues, zones: next.zones, currentJti: jti, credential, version: next.version, updatedAt: now },
      });
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.changed', cardState(updated), { tokens: { edition: card.edition } });
      return updated;
    });
  }

  suspend(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'suspend', reason, principal, async (tx, card, now) => {
      await this.revocations.append(tx, { kind: 'card-suspended', card: cardNumber }, now);
      const updated = await tx.card.update({ where: { cardNumber }, data: { status: 'suspended', version: card.version + 1, updatedAt: now } });
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.suspended', cardState(updated), { tokens: { edition: card.edition } });
      return updated;
    });
  }

  reinstate(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'reinstate', reason, principal, async (tx, card, now) => {
      await this.revocations.append(tx, { kind: 'card-reinstated', card: cardNumber }, now);
      const updated = await tx.card.update({ where: { cardNumber }, data: { status: 'active', version: card.version + 1, updatedAt: now } });
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.changed', cardState(updated), { tokens: { edition: card.edition } });
      return updated;
    });
  }

  revoke(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'revoke', reason, principal, async (tx, card, now) => {
      await this.revocations.append(tx, { kind: 'card-revoked', card: cardNumber }, now);
      await tx.credential.updateMany({ where: { cardNumber, revokedAt: null }, data: { revokedAt: now } });
      const updated = await tx.card.update({ where: { cardNumber }, data: { status: 'revoked', version: card.version + 1, updatedAt: now } });
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.revoked', cardState(updated), { tokens: { edition: card.edition } });
      return updated;
    });
  }

  /** One change of a card: the workflow's rule and history entry on its application, then `apply`, in one transaction. */
  private change(
    cardNumber: string,
    action: WorkflowAction,
    reason: string,
    principal: Principal,
    apply: (tx: Tx, card: Card, now: Date) => Promise<Card>,
  ): Promise<CardState> {
    return serializableTransaction(this.prisma, async (tx) => {
      const card = await this.find(tx, cardNumber);
      const application = await this.applications.visible(tx, card.edition, card.applicationId, principal);
      await this.applications.move(tx, application, action, principal.sub, reason);
      return cardState(await apply(tx, card, new Date()));
    });
  }

  private async find(tx: Tx | PrismaService, cardNumber: string): Promise<Card> {
    const card = await tx.card.findUnique({ where: { cardNumber } });
    if (!card) throw ProblemException.notFound(`No card ${cardNumber}`, 'card-not-found');
    return card;
  }

  async list(query: CardListQuery): Promise<{ items: CardState[]; nextCursor: string | null }> {
    const offset = Number(query.cursor ?? '0');
    const rows = await this.prisma.card.findMany({
      where: query.status ? { status: query.status } : {},
      orderBy: { cardNumber: 'asc' },
      skip: offset,
      take: query.limit,
    });
    return { items: rows.map(cardState), nextCursor: rows.length === query.limit ? String(offset + query.limit) : null };
  }

  async get(cardNumber: string): Promise<CardState> {
    return cardState(await this.find(this.prisma, cardNumber));
  }

  /** The card's current credential (a revoked card has none to hand out: 409 card-revoked). */
  async credential(cardNumber: string): Promise<{ credential: string }> {
    const card = await this.find(this.prisma, cardNumber);
    if (card.status === 'revoked') throw new ProblemException({ status: 409, slug: 'card-revoked', title: 'Card revoked', detail: `${cardNumber} is revoked` });
    return { credential: card.credential };
  }
}
