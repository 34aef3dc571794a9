import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { EnvelopeCipher, OutboxWriter, ProblemException, prismaRewrapTable, type RewrapResult, rewrapPersonalColumns, serializableTransaction } from '@podium/platform';

import { applicationView, ApplicationsRepository, historyEntryView, seesVetting } from '../applications/applications.repository';
import { type ApplicationState, step, type VettingResult } from '../applications/workflow';
import { CardsService } from '../cards/cards.service';
import { PrismaService } from '../database/prisma.service';
import { ERASED, openPersonalData, sealContext } from './personal-data.logic';

/** The export's format name (docs/accreditation.md#personal-data). */
export const EXPORT_FORMAT = 'podium.accreditation-personal-data/v1';

/** What the erasure answers (and records in the history's details). */
export interface ErasureResult {
  id: string;
  edition: string;
  state: ApplicationState;
  erasedAt: string;
  erasedBy: string;
  /** The card revoked by the erasure, if it had one that was not revoked yet. */
  cardRevoked: string | null;
  /** The workflow move the erasure made first: revoke (its card), reject (no card yet: the quota place comes back), none. */
  withdrawal: 'revoke' | 'reject' | null;
}

/** The re-wrap's answer (@podium/platform's, re-exported for the service's callers). */
export type { RewrapResult } from '@podium/platform';

/**
 * GDPR: the export of everything held about one person (the application, its history, card, credentials' ids and
 * gate checks) and the erasure of their personal data, keeping an anonymised audit trail; the KEK rotation's re-wrap.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly applications: ApplicationsRepository,
    private readonly cards: CardsService,
    private readonly cipher: EnvelopeCipher,
    private readonly outbox: OutboxWriter,
  ) {}

  async export(edition: string, id: string, principal: Principal) {
    const row = await this.applications.visible(this.prisma, edition, id, principal);
    const security = seesVetting(principal);
    const [history, cards] = await Promise.all([
      this.prisma.applicationHistory.findMany({ where: { applicationId: id }, orderBy: { id: 'asc' } }),
      this.prisma.card.findMany({ where: { applicationId: id }, orderBy: { cardNumber: 'asc' } }),
    ]);
    const cardNumbers = cards.map((c) => c.cardNumber);
    const [credentials, gateChecks, upgrades] = await Promise.all([
      this.prisma.credential.findMany({ where: { cardNumber: { in: cardNumbers } }, orderBy: [{ issuedAt: 'asc' }, { jti: 'asc' }] }),
      this.prisma.gateCheck.findMany({ where: { cardNumber: { in: cardNumbers } }, orderBy: { id: 'asc' } }),
      this.prisma.cardUpgrade.findMany({ where: { cardNumber: { in: cardNumbers } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ]);
    return {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      exportedBy: principal.sub,
      application: {
        ...applicationView(row, principal),
        ...openPersonalData(this.cipher, row),
        erasedAt: row.erasedAt?.toISOString() ?? null,
        erasedBy: row.erasedBy,
      },
      history: history.map((r) => historyEntryView(r, security)),
      cards: cards.map((c) => ({
        cardNumber: c.cardNumber,
        edition: c.edition,
        category: c.category,
        venues: c.venues,
        zones: c.zones,
        transport: c.transport,
        dining: c.dining,
        validFrom: c.validFrom.toISOString(),
        validTo: c.validTo.toISOString(),
        status: c.status,
        credentialId: c.currentJti,
        issuedAt: c.issuedAt.toISOString(),
        activatedAt: c.activatedAt?.toISOString() ?? null,
        updatedAt: c.updatedAt.toISOString(),
        upgrades: upgrades
          .filter((u) => u.cardNumber === c.cardNumber)
          .map((u) => ({ id: u.id, venues: u.venues, zones: u.zones, validFrom: u.validFrom.toISOString(), validTo: u.validTo.toISOString(), reason: u.reason, createdBy: u.createdBy, createdAt: u.createdAt.toISOString() })),
      })),
      credentials: credentials.map((c) => ({ jti: c.jti, cardNumber: c.cardNumber, kid: c.kid, issuedAt: c.issuedAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null })),
      gateChecks: gateChecks.map((g) => ({
        id: Number(g.id),
        at: g.at.toISOString(),
        recordedAt: g.recordedAt.toISOString(),
        venue: g.venue,
        zone: g.zone,
        gate: g.gate,
        decision: g.decision,
        reason: g.reason,
        cardNumber: g.cardNumber,
        mode: g.mode,
        checkedBy: g.checkedBy,
      })),
      withheld: security ? [] : ['the security vetting result, its note and its history details: only the security roles see them (oc-admin, accreditation-security)'],
    };
  }

  /**
   * Erases the person's personal data in one transaction: a card not yet revoked is revoked (revocation entry, event)
   * and the application withdrawn (revoke, or reject before a card: the quota place comes back); names, date of
   * birth, nationality and the vetting note become the marker, the sealed passport and photo are deleted; the
   * history keeps who did what and when, with its free-text reasons (and those of the card's upgrades) replaced by the
   * marker; the erasure is recorded, and published (`oms.accreditation.v1.application.{edition}.erased`, ids only) for
   * the systems that copied the person's data to erase theirs.
   * Again: 409 already-erased (and no event).
   */
  erase(edition: string, id: string, reason: string, principal: Principal): Promise<ErasureResult> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await this.applications.visible(tx, edition, id, principal);
      if (row.erasedAt) {
        throw new ProblemException({
          status: 409,
          slug: 'already-erased',
          title: 'Already erased',
          detail: `The personal data of application ${id} was erased at ${row.erasedAt.toISOString()}`,
          extensions: { erasedAt: row.erasedAt.toISOString() },
        });
      }
      // The free-text reasons written so far may name the person: the marker instead (who, when, what stay).
      await tx.applicationHistory.updateMany({ where: { applicationId: id, reason: { not: null } }, data: { reason: ERASED } });
      const cardNumbers = (await tx.card.findMany({ where: { applicationId: id }, select: { cardNumber: true } })).map((c) => c.cardNumber);
      await tx.cardUpgrade.updateMany({ where: { cardNumber: { in: cardNumbers } }, data: { reason: ERASED } });
      // The hand-over it was made from (volunteers, workforce) keeps no copy of the names either, from this transaction on.
      await tx.handover.updateMany({
        where: { applicationId: id },
        data: { status: 'erased', statusReason: 'application-erased', statusDetail: null, familyName: null, givenName: null, dateOfBirth: null, nationality: null },
      });
      // A card not revoked yet: revoked (the application's `revoke` move, the list entry, the event), by cards.
      const card = await this.cards.revokeForApplication(tx, row, reason, principal.sub);
      let current = card ? await tx.application.findUniqueOrThrow({ where: { id } }) : row;
      let withdrawal: ErasureResult['withdrawal'] = card ? 'revoke' : null;
      // No card: withdrawn before one (its quota place comes back), unless it is already rejected or revoked.
      if (!card && step('reject', row.state as ApplicationState, row.vettingResult as VettingResult | null).ok) {
        current = await this.applications.move(tx, row, 'reject', principal.sub, reason);
        withdrawal = 'reject';
      }
      const cardRevoked = card?.cardNumber ?? null;
      const now = new Date();
      const erased = await tx.application.update({
        where: { id },
        data: {
          familyName: ERASED,
          givenName: ERASED,
          dateOfBirth: ERASED,
          nationality: ERASED,
          vettingNote: null,
          personalKid: null,
          personalKey: null,
          personalData: null,
          erasedAt: now,
          erasedBy: principal.sub,
          version: { increment: 1 },
          updatedAt: now,
        },
      });
      await tx.applicationHistory.create({
        data: { applicationId: id, at: now, by: principal.sub, action: 'erase', fromState: current.state, toState: erased.state, reason, details: { cardRevoked, withdrawal } },
      });
      // Ids only; the card (one per application) also when it was revoked before: copies may be keyed by its number.
      const erasedEvent = { edition: row.edition, applicationId: id, cardNumber: cardNumbers[0] ?? null, erasedAt: now.toISOString() };
      await this.outbox.enqueue(tx, 'oms.accreditation.v1.application.{edition}.erased', erasedEvent, { tokens: { edition: row.edition } });
      return { id, edition, state: erased.state as ApplicationState, erasedAt: now.toISOString(), erasedBy: principal.sub, cardRevoked, withdrawal };
    });
  }

  /**
   * Re-wraps up to `limit` data keys wrapped by an older key of the ring under the current one (the ciphertexts stay
   * as they are): @podium/platform's rewrapPersonalColumns on the applications' sealed columns.
   */
  rewrap(limit: number): Promise<RewrapResult> {
    return rewrapPersonalColumns(this.cipher, prismaRewrapTable(this.prisma.application), sealContext, limit);
  }

}
