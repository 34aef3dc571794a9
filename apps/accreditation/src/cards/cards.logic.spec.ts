import { credentialClaimsSchema, MAX_UPGRADES } from '@podium/accreditation-credential';

import type { Card } from '../database/prisma.service';
import type { CardUpgrade } from '../generated/prisma/client';
import { cardState, cardStatusAt, claimsOf, liveUpgrades } from './cards.logic';

const NOW = new Date('2024-08-01T10:00:00Z');
const card: Card = {
  cardNumber: 'OG2024-000001',
  edition: 'OG2024',
  applicationId: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
  category: 'AA',
  venues: ['STA', 'LDA'],
  zones: ['1', '2'],
  transport: [],
  dining: [],
  validFrom: new Date('2024-07-18T00:00:00Z'),
  validTo: new Date('2024-08-14T00:00:00Z'),
  status: 'active',
  currentJti: 'c-1',
  credential: 'x.y.z',
  version: 2,
  issuedAt: NOW,
  activatedAt: NOW,
  activatedBy: 'desk-1',
  updatedAt: NOW,
  sourceService: null,
  sourceId: null,
};
const upgrade = (id: string, from: string, to: string, over: Partial<CardUpgrade> = {}): CardUpgrade => ({
  id,
  cardNumber: card.cardNumber,
  venues: ['CDM'],
  zones: ['6'],
  validFrom: new Date(from),
  validTo: new Date(to),
  reason: 'r',
  createdBy: 'admin',
  createdAt: NOW,
  withdrawnAt: null,
  withdrawnBy: null,
  ...over,
});

describe('cards logic', () => {
  it('cardStatusAt: expired from validTo on, whatever is stored, but revoked', () => {
    for (const status of ['issued', 'active', 'suspended'] as const) {
      expect(cardStatusAt({ status, validTo: card.validTo }, new Date(card.validTo.getTime() - 1))).toBe(status);
      expect(cardStatusAt({ status, validTo: card.validTo }, card.validTo)).toBe('expired');
    }
    expect(cardStatusAt({ status: 'revoked', validTo: card.validTo }, new Date('2030-01-01T00:00:00Z'))).toBe('revoked');
  });

  it('claimsOf: no upg without live upgrades; live ones by start, in whole seconds, valid claims', () => {
    const plain = claimsOf(card, [upgrade('u0', '2024-07-20T00:00:00Z', '2024-07-21T00:00:00Z')], 'c-2', NOW);
    expect(plain).not.toHaveProperty('upg');
    expect(credentialClaimsSchema.safeParse(plain).success).toBe(true);
    const claims = claimsOf(
      card,
      [upgrade('u2', '2024-08-03T00:00:00Z', '2024-08-04T00:00:00Z', { venues: ['ALL', 'CDM'] }), upgrade('u1', '2024-08-01T08:00:00Z', '2024-08-01T20:00:00Z', { venues: [] })],
      'c-2',
      NOW,
    );
    expect(claims.upg).toEqual([
      { ven: [], zon: ['6'], nbf: Date.parse('2024-08-01T08:00:00Z') / 1000, exp: Date.parse('2024-08-01T20:00:00Z') / 1000 },
      { ven: ['ALL'], zon: ['6'], nbf: Date.parse('2024-08-03T00:00:00Z') / 1000, exp: Date.parse('2024-08-04T00:00:00Z') / 1000 },
    ]);
    expect(credentialClaimsSchema.safeParse(claims).success).toBe(true);
  });

  it('liveUpgrades: at most what a credential carries', () => {
    const many = Array.from({ length: MAX_UPGRADES + 3 }, (_, i) => upgrade(`u${i}`, '2024-08-02T00:00:00Z', '2024-08-05T00:00:00Z'));
    expect(liveUpgrades(many, NOW)).toHaveLength(MAX_UPGRADES);
  });

  it('liveUpgrades, claimsOf, cardState: a withdrawn upgrade is left out, whatever its window', () => {
    const withdrawn = upgrade('u1', '2024-08-01T08:00:00Z', '2024-08-01T20:00:00Z', { withdrawnAt: NOW, withdrawnBy: 'admin' });
    const kept = upgrade('u2', '2024-08-02T00:00:00Z', '2024-08-03T00:00:00Z', { zones: ['5'] });
    expect(liveUpgrades([withdrawn, kept], NOW).map((u) => u.id)).toEqual(['u2']);
    expect(claimsOf(card, [withdrawn, kept], 'c-3', NOW).upg).toEqual([expect.objectContaining({ zon: ['5'] })]);
    expect(claimsOf(card, [withdrawn], 'c-3', NOW)).not.toHaveProperty('upg');
    expect(cardState(card, [withdrawn, kept], NOW).upgrades?.map((u) => u.id)).toEqual(['u2']);
    // the MAX_UPGRADES a credential carries count the upgrades not withdrawn only
    const many = Array.from({ length: MAX_UPGRADES }, (_, i) => upgrade(`w${i}`, '2024-08-01T00:00:00Z', '2024-08-05T00:00:00Z', { withdrawnAt: NOW }));
    expect(liveUpgrades([...many, kept], NOW).map((u) => u.id)).toEqual(['u2']);
  });

  it('cardState: the computed status, no credential before activation, the live upgrades', () => {
    const issued = { ...card, status: 'issued', currentJti: null, credential: null, activatedAt: null };
    expect(cardState(issued, [], NOW)).toMatchObject({ status: 'issued', credentialId: null, activatedAt: null, upgrades: [] });
    const state = cardState(card, [upgrade('u1', '2024-07-20T00:00:00Z', '2024-07-21T00:00:00Z'), upgrade('u2', '2024-08-02T00:00:00Z', '2024-08-03T00:00:00Z')], NOW);
    expect(state.upgrades?.map((u) => u.id)).toEqual(['u2']);
    expect(cardState(card, [], new Date('2024-08-15T00:00:00Z')).status).toBe('expired');
  });

  it("cardState: the source of a handed-over holder, null for others and for a service it does not know", () => {
    expect(cardState(card, [], NOW).source).toBeNull();
    const id = '6a1f2e3d-4c5b-4a69-8877-665544332211';
    expect(cardState({ ...card, sourceService: 'workforce', sourceId: id }, [], NOW).source).toEqual({ service: 'workforce', id });
    expect(cardState({ ...card, sourceService: 'volunteers', sourceId: id }, [], NOW).source).toEqual({ service: 'volunteers', id });
    expect(cardState({ ...card, sourceService: 'elsewhere', sourceId: id }, [], NOW).source).toBeNull();
  });
});
