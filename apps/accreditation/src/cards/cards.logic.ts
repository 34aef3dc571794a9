import { ALL, type CredentialClaims, MAX_UPGRADES } from '@podium/accreditation-credential';
import type { CardState } from '@podium/contracts';

import type { Card } from '../database/prisma.service';
import type { CardUpgrade } from '../generated/prisma/client';

/** The card number of an edition's card numbered `n` (the sequence card_number_seq): `OG2024-000001`. */
export function cardNumberOf(edition: string, n: number): string {
  return `${edition}-${String(n).padStart(6, '0')}`;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** What an upgrade needs to be carried by a credential (a withdrawn one is not). */
export type UpgradeWindow = Pick<CardUpgrade, 'venues' | 'zones' | 'validFrom' | 'validTo'> & { withdrawnAt?: Date | null };

/**
 * The upgrades a credential signed at `now` carries: those not withdrawn whose window has not ended, by start, at
 * most MAX_UPGRADES.
 */
export function liveUpgrades<U extends UpgradeWindow>(upgrades: readonly U[], now: Date): U[] {
  return upgrades
    .filter((u) => (u.withdrawnAt ?? null) === null && u.validTo.getTime() > now.getTime())
    .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || a.validTo.getTime() - b.validTo.getTime())
    .slice(0, MAX_UPGRADES);
}

const grant = (codes: readonly string[]): string[] => (codes.includes(ALL) ? [ALL] : [...codes]);

/**
 * The claims of a card's credential: what a gate needs, nothing personal (the holder is the application's id); the
 * card's upgrades not withdrawn whose window has not ended, each in `upg` with its own nbf/exp (absent when there is none).
 */
export function claimsOf(
  card: Pick<Card, 'cardNumber' | 'edition' | 'applicationId' | 'category' | 'venues' | 'zones' | 'validFrom' | 'validTo'>,
  upgrades: readonly UpgradeWindow[],
  jti: string,
  now: Date,
): CredentialClaims {
  const claims: CredentialClaims = {
    iss: `podium-accreditation/${card.edition}`,
    sub: card.applicationId,
    jti,
    iat: seconds(now),
    nbf: seconds(card.validFrom),
    exp: seconds(card.validTo),
    card: card.cardNumber,
    cat: card.category,
    ven: grant(card.venues),
    zon: grant(card.zones),
  };
  const upg = liveUpgrades(upgrades, now).map((u) => ({ ven: grant(u.venues), zon: grant(u.zones), nbf: seconds(u.validFrom), exp: seconds(u.validTo) }));
  return upg.length > 0 ? { ...claims, upg } : claims;
}

/** The stored statuses of a card; `expired` is computed ({@link cardStatusAt}). */
export type StoredCardStatus = 'issued' | 'active' | 'suspended' | 'revoked';

/**
 * A card's status at `now`: `expired` once its validity has ended (whatever it was, but revoked: a revocation is
 * final and says more), else the stored one. Expiry is computed, not swept: it is exact at every instant.
 */
export function cardStatusAt(card: Pick<Card, 'status' | 'validTo'>, now: Date): CardState['status'] {
  if (card.status !== 'revoked' && card.validTo.getTime() <= now.getTime()) return 'expired';
  return card.status as StoredCardStatus;
}

/** The hand-over the card's holder came from (volunteers, workforce), with the person's id there; null otherwise. */
export function cardSource(card: Pick<Card, 'sourceService' | 'sourceId'>): CardState['source'] {
  if (card.sourceId === null) return null;
  if (card.sourceService !== 'volunteers' && card.sourceService !== 'workforce') return null;
  return { service: card.sourceService, id: card.sourceId };
}

/** The published and served state of a card at `now`, with its upgrades not withdrawn whose window has not ended. */
export function cardState(card: Card, upgrades: readonly CardUpgrade[], now: Date): CardState {
  return {
    cardNumber: card.cardNumber,
    edition: card.edition,
    holder: card.applicationId,
    category: card.category,
    venues: card.venues,
    zones: card.zones,
    transport: card.transport,
    dining: card.dining,
    validFrom: card.validFrom.toISOString(),
    validTo: card.validTo.toISOString(),
    status: cardStatusAt(card, now),
    credentialId: card.currentJti,
    activatedAt: card.activatedAt?.toISOString() ?? null,
    source: cardSource(card),
    upgrades: liveUpgrades(upgrades, now).map((u) => ({
      id: u.id,
      venues: u.venues,
      zones: u.zones,
      validFrom: u.validFrom.toISOString(),
      validTo: u.validTo.toISOString(),
    })),
    version: card.version,
    updatedAt: card.updatedAt.toISOString(),
  };
}
