import {
  type CredentialClaims,
  generateSigningKey,
  importJwkSet,
  RevocationState,
  revocationPageSchema,
  signCredential,
  verifyCredential,
} from '@podium/accreditation-credential';
import { parseEnvelope } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Harness, json, startAccreditation } from '../test-support/harness';

const EDITION = 'OG2024';
const PACK = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as {
  edition: { validTo: string };
  organisations: { code: string; quotas: Record<string, number> }[];
};
// Cards valid from the demo's 2024-07-18 until long after today: a card past its validity is expired (and no longer
// activated), so these cards must still be valid now; expiry itself: cards/card-lifecycle.integration-spec.ts.
PACK.edition.validTo = '2099-12-31T00:00:00Z';
/** During the demo pack's Games (its cards are valid from 2024-07-18). */
const DURING = '2024-08-01T10:00:00.000Z';

interface Application {
  id: string;
  state: string;
  organisation: string;
  vetting?: unknown;
}
interface Card {
  cardNumber: string;
  status: string;
  credentialId: string;
  holder?: string;
}
interface Decision {
  decision: string;
  reason: string;
  cardNumber?: string;
}

describe('accreditation: reference data, applications within quota, cards, gate checks', () => {
  let h: Harness;
  let admin: string;
  let security: string;
  let scanner: string;
  let fra: string;

  const post = (path: string, body: unknown, token: string) => h.request(path, { method: 'POST', json: body, token });
  const person = (over: Record<string, unknown> = {}) => ({
    organisation: 'FRA',
    category: 'AA',
    familyName: 'DUPONT',
    givenName: 'Marie',
    dateOfBirth: '1999-03-04',
    nationality: 'FRA',
    ...over,
  });

  /** Submitted, vetted (cleared), approved, carded and activated at pick-up: the card. */
  async function cardFor(over: Record<string, unknown> = {}): Promise<Card> {
    const app = await json<Application>(await post(`/v1/editions/${EDITION}/applications`, person(over), admin), 201);
    await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
    await json(await h.request(`/v1/editions/${EDITION}/applications/${app.id}/vetting`, { method: 'PUT', json: { result: 'cleared' }, token: security }), 200);
    await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'approved', reason: 'ok' }, admin), 200);
    const issued = await json<Card>(await post(`/v1/editions/${EDITION}/applications/${app.id}/card`, {}, admin), 201);
    return json<Card>(await post(`/v1/cards/${issued.cardNumber}/activate`, {}, admin), 200);
  }
  const credentialOf = async (cardNumber: string) => (await json<{ credential: string }>(await h.request(`/v1/cards/${cardNumber}/credential`, { token: admin }), 200)).credential;
  const check = async (credential: string, over: Record<string, unknown> = {}) =>
    json<Decision>(await post('/v1/gate/checks', { credential, venue: 'STA', zone: '1', gate: 'STA-N1', at: DURING, ...over }, scanner), 200);

  /** The offline verdict: the lib with the JWK Set and a fresh revocation list read from the API. */
  async function offline(credential: string, venue = 'STA', zone = '1'): Promise<Decision> {
    const keys = importJwkSet(await json(await h.request('/v1/keys'), 200));
    const state = new RevocationState();
    for (let after = 0, pages = 0; pages < 100; pages++) {
      const page = revocationPageSchema.parse(await json(await h.request(`/v1/revocations?after=${after}&limit=2`, { token: scanner }), 200));
      state.applyPage(page);
      if (page.items.length === 0) break;
      after = page.lastSeq;
    }
    return verifyCredential(credential, { keys, revocations: state, venue, zone, at: new Date(DURING) });
  }

  beforeAll(async () => {
    h = await startAccreditation();
    admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    security = await h.token(['accreditation-security'], { sub: 'sec-1' });
    scanner = await h.token(['gate-scanner'], { sub: 'scanner-1' });
    fra = await h.token(['noc-official'], { sub: 'fra-1', noc: 'FRA' });
    const imported = await json<{ status: string }>(await post(`/v1/editions/${EDITION}/reference-data`, PACK, admin), 200);
    expect(imported.status).toBe('imported');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('imports the reference data pack all or nothing, and again unchanged', async () => {
    expect((await json<{ status: string }>(await post(`/v1/editions/${EDITION}/reference-data`, PACK, admin), 200)).status).toBe('unchanged');
    const bad = structuredClone(PACK) as unknown as { organisations: { quotas: Record<string, number> }[]; categories: { venues: string[] }[] };
    bad.organisations[0]!.quotas['AA'] = 1;
    bad.categories[0]!.venues = ['NOWHERE'];
    const rejected = await post(`/v1/editions/${EDITION}/reference-data`, bad, admin);
    expect(rejected.status).toBe(422);
    expect(JSON.stringify(await rejected.json())).toContain('NOWHERE: unknown venue');
    // Nothing written: the quota is still the demo's.
    const current = await json<typeof PACK>(await h.request(`/v1/editions/${EDITION}/reference-data`, { token: fra }), 200);
    expect(current.organisations[0]!.quotas['AA']).toBe(120);
    expect((await post(`/v1/editions/${EDITION}/reference-data`, PACK, fra)).status).toBe(403);
  });

  it('refuses an over-quota submission saying by how much, and gives the place back on rejection', async () => {
    const pack = structuredClone(PACK);
    pack.organisations.find((o) => o.code === 'KEN')!.quotas['AAP'] = 1;
    await json(await post(`/v1/editions/${EDITION}/reference-data`, pack, admin), 200);
    const ken = await h.token(['noc-official'], { sub: 'ken-1', noc: 'KEN' });
    const first = await json<Application>(await post(`/v1/editions/${EDITION}/applications`, person({ organisation: 'KEN', category: 'AAP', nationality: 'KEN' }), ken), 201);
    const over = await post(`/v1/editions/${EDITION}/applications`, person({ organisation: 'KEN', category: 'AAP', familyName: 'KIPTUM', nationality: 'KEN' }), ken);
    expect(over.status).toBe(409);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await over.json()) as { type: string; quota: number; used: number; over: number; detail: string };
    expect(problem).toMatchObject({ type: expect.stringContaining('quota-exceeded'), quota: 1, used: 1, over: 1 });
    expect(problem.detail).toContain('1 over the quota');
    await json(await post(`/v1/editions/${EDITION}/applications/${first.id}/transitions`, { to: 'rejected', reason: 'duplicate' }, admin), 200);
    await json(await post(`/v1/editions/${EDITION}/applications`, person({ organisation: 'KEN', category: 'AAP', familyName: 'KIPTUM', nationality: 'KEN' }), ken), 201);
  });

  it('lets exactly one of two officers racing for the last place win (concurrent requests, PostgreSQL)', async () => {
    const pack = structuredClone(PACK);
    pack.organisations.find((o) => o.code === 'JPN')!.quotas['AO'] = 1;
    await json(await post(`/v1/editions/${EDITION}/reference-data`, pack, admin), 200);
    for (let round = 0; round < 3; round++) {
      const officers = await Promise.all([1, 2, 3, 4].map((n) => h.token(['noc-official'], { sub: `jpn-${round}-${n}`, noc: 'JPN' })));
      const answers = await Promise.all(
        officers.map((token, n) => post(`/v1/editions/${EDITION}/applications`, person({ organisation: 'JPN', category: 'AO', familyName: `SATO${n}`, nationality: 'JPN' }), token)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      const winner = (await answers.find((a) => a.status === 201)!.json()) as Application;
      // Free the place for the next round.
      await json(await post(`/v1/editions/${EDITION}/applications/${winner.id}/transitions`, { to: 'rejected', reason: `round ${round}` }, admin), 200);
    }
  });

  it("hides another organisation's applicants (404), and the vetting result from all but the security role", async () => {
    const app = await json<Application>(await post(`/v1/editions/${EDITION}/applications`, person({ familyName: 'MARTIN' }), fra), 201);
    const usa = await h.token(['noc-official'], { sub: 'usa-1', noc: 'USA' });
    expect((await h.request(`/v1/editions/${EDITION}/applications/${app.id}`, { token: usa })).status).toBe(404);
    expect((await h.request(`/v1/editions/${EDITION}/applications/${app.id}/history`, { token: usa })).status).toBe(404);
    expect((await post(`/v1/editions/${EDITION}/applications`, person({ familyName: 'SMITH' }), usa)).status).toBe(403);
    const listed = await json<{ items: Application[] }>(await h.request(`/v1/editions/${EDITION}/applications?limit=500`, { token: usa }), 200);
    expect(listed.items.every((a) => a.organisation === 'USA')).toBe(true);
    expect(listed.items.some((a) => a.id === app.id)).toBe(false);

    await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
    await json(await h.request(`/v1/editions/${EDITION}/applications/${app.id}/vetting`, { method: 'PUT', json: { result: 'not-cleared', note: 'watch list' }, token: security }), 200);
    const seenByFra = await json<Application>(await h.request(`/v1/editions/${EDITION}/applications/${app.id}`, { token: fra }), 200);
    expect(seenByFra.vetting).toBeUndefined();
    const historyByFra = JSON.stringify(await json(await h.request(`/v1/editions/${EDITION}/applications/${app.id}/history`, { token: fra }), 200));
    expect(historyByFra).not.toContain('not-cleared');
    expect(historyByFra).not.toContain('watch list');
    const seenBySecurity = await json<Application>(await h.request(`/v1/editions/${EDITION}/applications/${app.id}`, { token: security }), 200);
    expect(seenBySecurity.vetting).toMatchObject({ result: 'not-cleared', note: 'watch list', by: 'sec-1' });
    expect((await h.request(`/v1/editions/${EDITION}/applications/${app.id}/vetting`, { method: 'PUT', json: { result: 'cleared' }, token: fra })).status).toBe(403);
  });

  it('refuses a card before vetting clearance with its reason code', async () => {
    const app = await json<Application>(await post(`/v1/editions/${EDITION}/applications`, person({ familyName: 'BERNARD' }), fra), 201);
    const early = await post(`/v1/editions/${EDITION}/applications/${app.id}/card`, {}, admin);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { type: string }).type).toContain('vetting-not-cleared');
    await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
    const approve = await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'approved', reason: 'hurry' }, admin);
    expect(approve.status).toBe(409);
    expect(((await approve.json()) as { type: string }).type).toContain('vetting-not-cleared');
    expect((await post(`/v1/editions/${EDITION}/applications/${app.id}/card`, {}, admin)).status).toBe(409);
  });

  it('issues a card with a credential the gate allows, records every check, publishes the card event once', async () => {
    const card = await cardFor({ familyName: 'PETIT' });
    expect(card).toMatchObject({ cardNumber: expect.stringMatching(/^OG2024-\d{6}$/), status: 'active' });
    const credential = await credentialOf(card.cardNumber);
    expect(await check(credential)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await offline(credential)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });

    const active = await json<{ items: { cardNumber: string }[]; nextCursor: string | null }>(await h.request('/v1/cards?status=active&limit=500', { token: admin }), 200);
    expect(active.items.map((c) => c.cardNumber)).toContain(card.cardNumber);
    expect((await h.request('/v1/cards?status=active', { token: fra })).status).toBe(403);
    expect((await post('/v1/gate/checks', { credential, venue: 'STA', zone: '1', gate: 'G' }, fra)).status).toBe(403);

    const checks = await json<{ items: { cardNumber: string | null; decision: string; reason: string; gate: string; mode: string; at: string }[] }>(
      await h.request('/v1/gate/checks?limit=1000', { token: admin }),
      200,
    );
    expect(checks.items.filter((c) => c.cardNumber === card.cardNumber)).toEqual([
      expect.objectContaining({ decision: 'allow', reason: 'ok', gate: 'STA-N1', mode: 'online', at: DURING }),
    ]);

    const issued = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === `oms.accreditation.v1.card.${EDITION}.issued` && JSON.stringify(m.json).includes(card.cardNumber));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'card issued event' },
    );
    expect(issued).toHaveLength(1);
    const envelope = parseEnvelope('oms.accreditation.v1.card.{edition}.issued', issued?.[0]?.json);
    expect(envelope.data).toMatchObject({ cardNumber: card.cardNumber, status: 'issued', credentialId: null });
    expect(JSON.stringify(envelope.data)).not.toContain('PETIT');
  });

  it('denies a tampered credential, an unknown key, a re-signed one under a known kid, not yet valid, outside venue or zone', async () => {
    const card = await cardFor({ familyName: 'ROUX' });
    const credential = await credentialOf(card.cardNumber);
    const [header, payload, signature] = credential.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    // Checks of the card's current credential, as the service signed it, that skipped the Ed25519 verification.
    const issuedChecks = async () =>
      Number(/^accreditation_gate_issued_credentials_total(?:\{[^}]*\})? (\d+)$/m.exec(await (await h.request('/metrics')).text())?.[1] ?? 0);
    const issuedBefore = await issuedChecks();
    const tamperedClaims = Buffer.from(JSON.stringify({ ...claims, zon: ['ALL'] })).toString('base64url');
    expect(await check(`${header}.${tamperedClaims}.${signature}`)).toEqual({ decision: 'deny', reason: 'bad-signature' });

    const stranger = generateSigningKey('stranger-1');
    const unknown = signCredential({ ...(claims as unknown as CredentialClaims), jti: 'forged-1' }, stranger);
    expect(await check(unknown)).toEqual({ decision: 'deny', reason: 'unknown-key' });
    const knownKid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const resigned = signCredential({ ...(claims as unknown as CredentialClaims), jti: 'forged-2' }, generateSigningKey(knownKid));
    expect(await check(resigned)).toEqual({ decision: 'deny', reason: 'bad-signature' });
    expect(await offline(resigned)).toEqual({ decision: 'deny', reason: 'bad-signature' });
    // the forgeries claim the card: each was compared with its current credential, none was trusted
    expect(await issuedChecks()).toBe(issuedBefore);

    expect(await check(credential, { at: '2024-07-10T10:00:00Z' })).toEqual({ decision: 'deny', reason: 'not-yet-valid', cardNumber: card.cardNumber });
    // the card's current credential, scanned for the first time: recognised, not verified again; then found verified
    expect(await issuedChecks()).toBe(issuedBefore + 1);
    expect(await check(credential, { venue: 'ZZZ' })).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: card.cardNumber });
    expect(await check(credential, { zone: '4' })).toEqual({ decision: 'deny', reason: 'zone-not-granted', cardNumber: card.cardNumber });
    expect(await offline(credential, 'STA', '4')).toEqual({ decision: 'deny', reason: 'zone-not-granted', cardNumber: card.cardNumber });
    expect((await post('/v1/gate/checks', { credential, venue: 'ALL', zone: '1', gate: 'G' }, scanner)).status).toBe(400);
  });

  it("records each online check's credential id (its jti once the signature verified; null for a forgery or garbage) and exports it", async () => {
    const card = await cardFor({ familyName: 'LAMBERT' });
    const credential = await credentialOf(card.cardNumber);
    const [header, payload, signature] = credential.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as CredentialClaims;
    expect(claims.jti).toBe(card.credentialId);
    const gate = 'JTI-G1';
    // The answer is unchanged: no credential id in it.
    expect(await check(credential, { gate })).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await check(credential, { gate, zone: '4' })).toEqual({ decision: 'deny', reason: 'zone-not-granted', cardNumber: card.cardNumber });
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, zon: ['ALL'] })).toString('base64url')}.${signature}`;
    expect((await check(tampered, { gate })).reason).toBe('bad-signature');
    // a forgery naming the real credential's jti under an unknown key: the jti is not recorded as if it were that credential
    expect((await check(signCredential(claims, generateSigningKey('stranger-2')), { gate })).reason).toBe('unknown-key');
    expect((await check('not.a.credential', { gate })).reason).toBe('malformed');

    const exported = await json<{ items: Record<string, unknown>[] }>(await h.request('/v1/gate/checks?limit=1000&mode=online', { token: admin }), 200);
    const mine = exported.items.filter((c) => c['gate'] === gate);
    expect(mine.map((c) => [c['reason'], c['cardNumber'], c['credentialId']])).toEqual([
      ['ok', card.cardNumber, card.credentialId],
      ['zone-not-granted', card.cardNumber, card.credentialId],
      ['bad-signature', null, null],
      ['unknown-key', null, null],
      ['malformed', null, null],
    ]);
    // the export's fields, as before
    expect(Object.keys(mine[0]!).sort()).toEqual(['at', 'cardNumber', 'checkedBy', 'credentialId', 'decision', 'gate', 'id', 'mode', 'reason', 'recordedAt', 'scannerCheckId', 'venue', 'zone']);
    expect(mine[0]).toMatchObject({ mode: 'online', checkedBy: 'scanner-1', scannerCheckId: null, venue: 'STA', zone: '1', at: DURING });
  });

  it('revokes: online and offline (a fresh revocation list) both deny; a reissue revokes the old credential; suspension', async () => {
    const card = await cardFor({ familyName: 'MOREAU' });
    const first = await credentialOf(card.cardNumber);
    const reissued = await json<Card>(await post(`/v1/cards/${card.cardNumber}/reissue`, { zones: ['1', '2', '3'], reason: 'needs operations' }, admin), 200);
    expect(reissued.credentialId).not.toBe(card.credentialId);
    const second = await credentialOf(card.cardNumber);
    expect(await check(first)).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    expect(await offline(first)).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    expect(await check(second, { zone: '3' })).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });

    await json(await post(`/v1/cards/${card.cardNumber}/suspend`, { reason: 'lost card reported' }, admin), 200);
    expect(await check(second)).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: card.cardNumber });
    expect(await offline(second)).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: card.cardNumber });
    await json(await post(`/v1/cards/${card.cardNumber}/reinstate`, { reason: 'found' }, admin), 200);
    expect(await check(second)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });

    const revoke = await post(`/v1/cards/${card.cardNumber}/revoke`, { reason: 'left the team' }, admin);
    expect((await json<Card>(revoke, 200)).status).toBe('revoked');
    expect(await check(second)).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    expect(await offline(second)).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    expect((await post(`/v1/cards/${card.cardNumber}/revoke`, { reason: 'again' }, admin)).status).toBe(409);
    // `second` was verified at its first check; the next ones found it among the verified credentials (no second
    // Ed25519 verification) and still answered suspended, ok and revoked as the list changed.
    const metrics = await (await h.request('/metrics')).text();
    expect(Number(/^accreditation_gate_verified_lookups_total\{[^}]*outcome="hit"[^}]*\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    const active = await json<{ items: { cardNumber: string }[] }>(await h.request('/v1/cards?status=active&limit=500', { token: admin }), 200);
    expect(active.items.map((c) => c.cardNumber)).not.toContain(card.cardNumber);

    // The revocation list: numbered from 1 without gaps, each entry also on NATS.
    const page = revocationPageSchema.parse(await json(await h.request('/v1/revocations?after=0', { token: scanner }), 200));
    expect(page.items.map((e) => e.seq)).toEqual(page.items.map((_, i) => i + 1));
    expect(page.items.filter((e) => e.card === card.cardNumber).map((e) => e.kind)).toEqual(['credential-revoked', 'card-suspended', 'card-reinstated', 'card-revoked']);
    const published = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === 'oms.accreditation.v1.revocations');
        return found.length >= page.items.length ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'revocation entries on NATS' },
    );
    // Applied one message at a time, the NATS entries give a scanner the same list as the HTTP pages.
    const fromNats = new RevocationState();
    for (const message of published ?? []) fromNats.applyPage(parseEnvelope('oms.accreditation.v1.revocations', message.json).data);
    expect(fromNats.lastSeq).toBe(page.lastSeq);
    expect(published).toHaveLength(page.items.length);

    const history = await json<{ items: { action: string; by: string; reason: string | null }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${reissued.holder ?? ''}/history`, { token: admin }),
      200,
    );
    expect(history.items.map((e) => e.action)).toEqual(['submit', 'start-vetting', 'record-vetting', 'approve', 'issue-card', 'activate', 'reissue', 'suspend', 'reinstate', 'revoke']);
    expect(history.items.at(-1)).toMatchObject({ by: 'admin-1', reason: 'left the team' });
  });

  it('publishes the JWK Set without a token', async () => {
    const set = await json<{ keys: { kty: string; crv: string; kid: string; x: string }[] }>(await h.request('/v1/keys'), 200);
    expect(set.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: 'dev-1' })]);
  });
});
