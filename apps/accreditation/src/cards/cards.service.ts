import { Inject, Injectable } from '@nestjs/common';
import { MAX_UPGRADES, signCredential } from '@podium/accreditation-credential';
import type { Principal } from '@podium/auth';
import type { CardState } from '@podium/contracts';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { ApplicationsRepository } from '../applications/applications.repository';
import type { WorkflowAction } from '../applications/workflow';
import { type Application, type Card, PrismaService, type Tx } from '../database/prisma.service';
import type { CardUpgrade } from '../generated/prisma/client';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { cardNumberOf, cardState, cardStatusAt, claimsOf, liveUpgrades } from './cards.logic';
import { SERVICE_KEYS, type ServiceKeys } from './credential-keys';
import { RevocationsRepository } from './revocations.repository';

export interface CardListQuery {
  status?: CardState['status'];
  limit: number;
  cursor?: string;
}

/** A card's validity asked for at issue: a day pass (or any window within the edition's); absent: the edition's. */
export interface IssueRequest {
  reason: string | null;
  validFrom?: string;
  validTo?: string;
}

export interface UpgradeRequest {
  venues: string[];
  zones: string[];
  validFrom: string;
  validTo: string;
  reason: string;
}

/**
 * The number of a new card of `edition`: the next value of the sequence `card_number_seq`, in the card-number format.
 * Not a counter row: nextval is outside the transactions' conflicts, so officers issuing cards at the same time never
 * conflict on it (a row taken in each serializable transaction made them fail and retry). A number taken by an issue
 * that rolls back is not given again: card numbers are unique and increasing, with gaps.
 */
async function nextCardNumber(tx: Tx, edition: string): Promise<string> {
  const rows = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('card_number_seq') AS n`;
  const n = rows[0]?.n;
  if (n === undefined) throw new Error('card_number_seq: no value returned');
  return cardNumberOf(edition, Number(n));
}

/** An instant on whole seconds (down), as the credential's nbf/exp carry it: the card says what its credential says. */
const wholeSeconds = (text: string): Date => new Date(Math.floor(Date.parse(text) / 1000) * 1000);

const conflict = (slug: string, title: string, detail: string, extensions?: Record<string, unknown>) =>
  new ProblemException({ status: 409, slug, title, detail, extensions });
const unprocessable = (slug: string, title: string, detail: string, field: string) =>
  new ProblemException({ status: 422, slug, title, detail, errors: [{ field: `body.${field}`, message: detail }] });

/**
 * Cards and their credentials. A card is issued (printed) without a credential; its first credential is signed when
 * it is activated at pick-up, so nothing a gate accepts exists before. From then on every change of a card
 * (privileges, upgrade or its withdrawal, reissue) issues a new credential and revokes the old one (credential-revoked);
 * suspension and revocation go on the revocation list. Each change is one transaction with its history entry,
 * revocation entries and outbox event. A card past its validity is `expired` (computed): only a revocation may change it then.
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

  /** Signs a new credential for the card (with its live upgrades) and records it. */
  private async sign(tx: Tx, card: Card, upgrades: readonly CardUpgrade[], now: Date): Promise<{ jti: string; credential: string }> {
    const jti = randomUUID();
    const credential = signCredential(claimsOf(card, upgrades, jti, now), this.keys.signing);
    await tx.credential.create({ data: { jti, cardNumber: card.cardNumber, kid: this.keys.signing.kid, issuedAt: now } });
    return { jti, credential };
  }

  /**
   * Replaces the card's credential (when it has one: an activated card) by a new one with the card's privileges and
   * live upgrades, and revokes the old one. A card not yet activated keeps none: activation signs its first.
   */
  private async resign(tx: Tx, card: Card, upgrades: readonly CardUpgrade[], now: Date): Promise<Pick<Card, 'currentJti' | 'credential'>> {
    if (card.currentJti === null) return { currentJti: null, credential: null };
    const { jti, credential } = await this.sign(tx, card, upgrades, now);
    await tx.credential.update({ where: { jti: card.currentJti }, data: { revokedAt: now } });
    await this.revocations.append(tx, { kind: 'credential-revoked', jti: card.currentJti, card: card.cardNumber }, now, card.validTo);
    return { currentJti: jti, credential };
  }

  issue(edition: string, applicationId: string, request: IssueRequest, principal: Principal): Promise<CardState> {
    return serializableTransaction(this.prisma, async (tx) => {
      const application = await this.applications.visible(tx, edition, applicationId, principal);
      // The workflow's rule first: no card before clearance (409 vetting-not-cleared), nor before approval.
      await this.applications.move(tx, application, 'issue-card', principal.sub, request.reason);
      const pack = await this.referenceData.get(edition, tx);
      const category = pack.categories.find((c) => c.code === application.category);
      if (!category) throw conflict('unknown-category', 'Unknown category', `${application.category} is no longer a category of ${edition}`);
      const editionFrom = new Date(pack.edition.validFrom);
      const editionTo = new Date(pack.edition.validTo);
      const validFrom = request.validFrom ? wholeSeconds(request.validFrom) : editionFrom;
      const validTo = request.validTo ? wholeSeconds(request.validTo) : editionTo;
      if (validTo <= validFrom) throw unprocessable('invalid-validity', 'Invalid validity', 'validTo must be after validFrom', 'validTo');
      if (validFrom < editionFrom || validTo > editionTo) {
        throw unprocessable('invalid-validity', 'Invalid validity', `a card is valid within the edition's ${pack.edition.validFrom} .. ${pack.edition.validTo}`, 'validFrom');
      }
      const now = new Date();
      // A person handed over by volunteers or workforce: the card names them there (the events' source).
      const handover = await tx.handover.findUnique({ where: { applicationId }, select: { source: true, id: true } });
      const card = await tx.card.create({
        data: {
          cardNumber: await nextCardNumber(tx, edition),
          sourceService: handover?.source ?? null,
          sourceId: handover?.id ?? null,
          edition,
          applicationId,
          category: category.code,
          venues: category.venues,
          zones: category.zones,
          transport: category.transport,
          dining: category.dining,
          validFrom,
          validTo,
          status: 'issued',
          currentJti: null,
          credential: null,
          version: 1,
          issuedAt: now,
          updatedAt: now,
        },
      });
      const state = cardState(card, [], now);
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.issued', state, { tokens: { edition } });
      return state;
    });
  }

  /** Activation at pick-up: the card's first credential is signed; gates accept it from now on. */
  activate(cardNumber: string, reason: string | null, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'activate', reason, principal, async (tx, card, upgrades, now) => {
      const { jti, credential } = await this.sign(tx, card, upgrades, now);
      return tx.card.update({
        where: { cardNumber },
        data: { status: 'active', currentJti: jti, credential, activatedAt: now, activatedBy: principal.sub, version: card.version + 1, updatedAt: now },
      });
    });
  }

  /** A new credential for the card (its privileges changed, or a reissue): the old one is revoked. */
  reissue(cardNumber: string, change: { venues?: string[]; zones?: string[]; reason: string }, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'reissue', change.reason, principal, async (tx, card, upgrades, now) => {
      const next: Card = { ...card, venues: change.venues ?? card.venues, zones: change.zones ?? card.zones, version: card.version + 1, updatedAt: now };
      const { currentJti, credential } = await this.resign(tx, next, upgrades, now);
      return tx.card.update({
        where: { cardNumber },
        data: { venues: next.venues, zones: next.zones, currentJti, credential, version: next.version, updatedAt: now },
      });
    });
  }

  /**
   * An upgrade: venues and zones added for a window within the card's validity. The card's credential (if it is
   * activated) is replaced by one that carries it (`upg`); the old one is revoked.
   */
  upgrade(cardNumber: string, request: UpgradeRequest, principal: Principal): Promise<CardState> {
    // its id in the history entry too: a withdrawal's entry names it
    const id = randomUUID();
    return this.change(
      cardNumber,
      'upgrade',
      request.reason,
      principal,
      async (tx, card, upgrades, now) => {
        const validFrom = wholeSeconds(request.validFrom);
        const validTo = wholeSeconds(request.validTo);
        if (validTo <= validFrom) throw unprocessable('invalid-validity', 'Invalid validity', 'validTo must be after validFrom', 'validTo');
        if (validFrom < card.validFrom || validTo > card.validTo) {
          throw unprocessable('invalid-validity', 'Invalid validity', `an upgrade is within the card's validity ${card.validFrom.toISOString()} .. ${card.validTo.toISOString()}`, 'validFrom');
        }
        if (validTo <= now) throw unprocessable('invalid-validity', 'Invalid validity', 'the upgrade would already be over', 'validTo');
        const pack = await this.referenceData.get(card.edition, tx);
        const unknownVenue = request.venues.find((v) => v !== 'ALL' && !pack.venues.some((p) => p.code === v));
        if (unknownVenue) throw unprocessable('unknown-venue', 'Unknown venue', `${unknownVenue} is not a venue of ${card.edition}`, 'venues');
        const unknownZone = request.zones.find((z) => z !== 'ALL' && !pack.zones.some((p) => p.code === z));
        if (unknownZone) throw unprocessable('unknown-zone', 'Unknown zone', `${unknownZone} is not a zone of ${card.edition}`, 'zones');
        const live = liveUpgrades(upgrades, now);
        if (live.length >= MAX_UPGRADES) {
          throw conflict('too-many-upgrades', 'Too many upgrades', `${cardNumber} has ${live.length} upgrades whose window has not ended, the most a credential carries`, { max: MAX_UPGRADES });
        }
        const added = await tx.cardUpgrade.create({
          data: { id, cardNumber, venues: request.venues, zones: request.zones, validFrom, validTo, reason: request.reason, createdBy: principal.sub, createdAt: now },
        });
        upgrades.push(added);
        const { currentJti, credential } = await this.resign(tx, card, upgrades, now);
        return tx.card.update({ where: { cardNumber }, data: { currentJti, credential, version: card.version + 1, updatedAt: now } });
      },
      { upgrade: id, venues: request.venues.join(' '), zones: request.zones.join(' '), validFrom: request.validFrom, validTo: request.validTo },
    );
  }

  /**
   * Withdraws an upgrade before its window ends: the card's credential (if it is activated) is replaced by one without
   * it, the old one is revoked. An upgrade of another card answers 404 like an unknown one; one already withdrawn or
   * whose window has ended, 409.
   */
  withdrawUpgrade(cardNumber: string, upgradeId: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(
      cardNumber,
      'withdraw-upgrade',
      reason,
      principal,
      async (tx, card, upgrades, now) => {
        const index = upgrades.findIndex((u) => u.id === upgradeId);
        const upgrade = upgrades[index];
        if (upgrade === undefined) throw ProblemException.notFound(`No upgrade ${upgradeId} of card ${cardNumber}`, 'upgrade-not-found');
        if (upgrade.withdrawnAt !== null) {
          throw conflict('upgrade-withdrawn', 'Upgrade withdrawn', `upgrade ${upgradeId} of ${cardNumber} was withdrawn at ${upgrade.withdrawnAt.toISOString()}`, {
            withdrawnAt: upgrade.withdrawnAt.toISOString(),
          });
        }
        if (upgrade.validTo <= now) {
          throw conflict('upgrade-ended', 'Upgrade ended', `the window of upgrade ${upgradeId} of ${cardNumber} ended at ${upgrade.validTo.toISOString()}`, {
            validTo: upgrade.validTo.toISOString(),
          });
        }
        upgrades[index] = await tx.cardUpgrade.update({ where: { id: upgradeId }, data: { withdrawnAt: now, withdrawnBy: principal.sub } });
        const { currentJti, credential } = await this.resign(tx, card, upgrades, now);
        return tx.card.update({ where: { cardNumber }, data: { currentJti, credential, version: card.version + 1, updatedAt: now } });
      },
      { upgrade: upgradeId },
    );
  }

  suspend(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'suspend', reason, principal, async (tx, card, _upgrades, now) => {
      await this.revocations.append(tx, { kind: 'card-suspended', card: cardNumber }, now, card.validTo);
      return tx.card.update({ where: { cardNumber }, data: { status: 'suspended', version: card.version + 1, updatedAt: now } });
    });
  }

  reinstate(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return this.change(cardNumber, 'reinstate', reason, principal, async (tx, card, _upgrades, now) => {
      await this.revocations.append(tx, { kind: 'card-reinstated', card: cardNumber }, now, card.validTo);
      return tx.card.update({ where: { cardNumber }, data: { status: 'active', version: card.version + 1, updatedAt: now } });
    });
  }

  /** Revokes the card for good (an expired card too: a revocation says more than an expiry). */
  revoke(cardNumber: string, reason: string, principal: Principal): Promise<CardState> {
    return serializableTransaction(this.prisma, async (tx) => {
      const card = await this.find(tx, cardNumber);
      const application = await this.applications.visible(tx, card.edition, card.applicationId, principal);
      return this.revokeCard(tx, card, application, reason, principal.sub);
    });
  }

  /**
   * Revokes the card of an application, in the caller's transaction (the GDPR erasure): `null` when it has no card
   * or its card is revoked already. The caller has checked that the principal may act on the application.
   */
  async revokeForApplication(tx: Tx, application: Application, reason: string, by: string): Promise<CardState | null> {
    const card = await tx.card.findUnique({ where: { applicationId: application.id } });
    if (!card || card.status === 'revoked') return null;
    return this.revokeCard(tx, card, application, reason, by);
  }

  private async revokeCard(tx: Tx, card: Card, application: Application, reason: string, by: string): Promise<CardState> {
    await this.applications.move(tx, application, 'revoke', by, reason);
    const now = new Date();
    await this.revocations.append(tx, { kind: 'card-revoked', card: card.cardNumber }, now, card.validTo);
    await tx.credential.updateMany({ where: { cardNumber: card.cardNumber, revokedAt: null }, data: { revokedAt: now } });
    const updated = await tx.card.update({ where: { cardNumber: card.cardNumber }, data: { status: 'revoked', version: card.version + 1, updatedAt: now } });
    const state = cardState(updated, await this.upgradesOf(tx, card.cardNumber), now);
    await this.outbox.enqueue(tx, 'oms.accreditation.v1.card.{edition}.revoked', state, { tokens: { edition: card.edition } });
    return state;
  }

  /**
   * One change of a card that is not expired (409 card-expired): the workflow's rule and history entry on its
   * application, then `apply`, then its event (suspended, or changed), in one transaction.
   */
  private change(
    cardNumber: string,
    action: Exclude<WorkflowAction, 'revoke'>,
    reason: string | null,
    principal: Principal,
    apply: (tx: Tx, card: Card, upgrades: CardUpgrade[], now: Date) => Promise<Card>,
    details: Record<string, string> = {},
  ): Promise<CardState> {
    return serializableTransaction(this.prisma, async (tx) => {
      const card = await this.find(tx, cardNumber);
      const application = await this.applications.visible(tx, card.edition, card.applicationId, principal);
      const now = new Date();
      if (cardStatusAt(card, now) === 'expired') {
        throw conflict('card-expired', 'Card expired', `${cardNumber} expired at ${card.validTo.toISOString()}: only a revocation may change it`, { validTo: card.validTo.toISOString() });
      }
      await this.applications.move(tx, application, action, principal.sub, reason, {}, details);
      const upgrades = await this.upgradesOf(tx, cardNumber);
      const updated = await apply(tx, card, upgrades, now);
      const state = cardState(updated, upgrades, now);
      const subject = action === 'suspend' ? 'oms.accreditation.v1.card.{edition}.suspended' : 'oms.accreditation.v1.card.{edition}.changed';
      await this.outbox.enqueue(tx, subject, state, { tokens: { edition: card.edition } });
      return state;
    });
  }

  private upgradesOf(tx: Tx | PrismaService, cardNumber: string): Promise<CardUpgrade[]> {
    return tx.cardUpgrade.findMany({ where: { cardNumber }, orderBy: [{ validFrom: 'asc' }, { id: 'asc' }] });
  }

  private async find(tx: Tx | PrismaService, cardNumber: string): Promise<Card> {
    const card = await tx.card.findUnique({ where: { cardNumber } });
    if (!card) throw ProblemException.notFound(`No card ${cardNumber}`, 'card-not-found');
    return card;
  }

  /**
   * Cards by card number. `status`: `issued` (not picked up), `active` (activated), `suspended` and `expired` as
   * {@link cardStatusAt} computes them at this instant (validity ended: expired, whatever is stored), `revoked`.
   */
  async list(query: CardListQuery): Promise<{ items: CardState[]; nextCursor: string | null }> {
    const offset = Number(query.cursor ?? '0');
    const now = new Date();
    const where =
      query.status === undefined
        ? {}
        : query.status === 'revoked'
          ? { status: 'revoked' }
          : query.status === 'expired'
            ? { status: { not: 'revoked' }, validTo: { lte: now } }
            : { status: query.status, validTo: { gt: now } };
    const rows = await this.prisma.card.findMany({ where, orderBy: { cardNumber: 'asc' }, skip: offset, take: query.limit });
    const upgrades = rows.length === 0 ? [] : await this.prisma.cardUpgrade.findMany({ where: { cardNumber: { in: rows.map((r) => r.cardNumber) }, validTo: { gt: now }, withdrawnAt: null } });
    return {
      items: rows.map((row) => cardState(row, upgrades.filter((u) => u.cardNumber === row.cardNumber), now)),
      nextCursor: rows.length === query.limit ? String(offset + query.limit) : null,
    };
  }

  async get(cardNumber: string): Promise<CardState> {
    const card = await this.find(this.prisma, cardNumber);
    return cardState(card, await this.upgradesOf(this.prisma, cardNumber), new Date());
  }

  /**
   * The card's current credential: none before activation (409 card-not-activated), none for a revoked card (409
   * card-revoked). An expired card's is handed out (gates answer `expired`).
   */
  async credential(cardNumber: string): Promise<{ credential: string }> {
    const card = await this.find(this.prisma, cardNumber);
    if (card.status === 'revoked') throw conflict('card-revoked', 'Card revoked', `${cardNumber} is revoked`);
    if (card.credential === null) throw conflict('card-not-activated', 'Card not activated', `${cardNumber} has no credential until it is activated at pick-up`);
    return { credential: card.credential };
  }
}
