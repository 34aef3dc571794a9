import { ALL, type CredentialClaims } from '@podium/accreditation-credential';
import type { CardState } from '@podium/contracts';

import type { Card } from '../database/prisma.service';

/** The card number of the n-th card of an edition: `OG2024-000001`. */
export function cardNumberOf(edition: string, n: number): string {
  return `${edition}-${String(n).padStart(6, '0')}`;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The claims of a card's credential: what a gate needs, nothing personal (the holder is the application's id). */
export function claimsOf(card: Pick<Card, 'cardNumber' | 'edition' | 'applicationId' | 'category' | 'venues' | 'zones' | 'validFrom' | 'validTo'>, jti: string, now: Date): CredentialClaims {
  return {
    iss: `podium-accreditation/${card.edition}`,
    sub: card.applicationId,
    jti,
    iat: seconds(now),
    nbf: seconds(card.validFrom),
    exp: seconds(card.validTo),
    card: card.cardNumber,
    cat: card.category,
    ven: card.venues.includes(ALL) ? [ALL] : card.venues,
    zon: card.zones.includes(ALL) ? [ALL] : card.zones,
  };
}

/** The published and served state of a card. */
export function cardState(card: Card): CardState {
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
    status: card.status as CardState['status'],
    credentialId: card.currentJti,
    version: card.version,
    updatedAt: card.updatedAt.toISOString(),
  };
}
