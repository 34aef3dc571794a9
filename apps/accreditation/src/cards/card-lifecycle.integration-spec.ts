/**
 * The card lifecycle against real PostgreSQL and NATS: activation at pick-up, expiry, day passes, upgrades with
 * their windows, offline checks uploaded, and the revocation list pruned. Every gate case runs online (POST
 * /v1/gate/checks) and offline (the library with GET /v1/keys and the list read from GET /v1/revocations).
 */
import { type GateDecision, importJwkSet, RevocationGapError, RevocationState, revocationPageSchema, verifyCredential } from '@podium/accreditation-credential';
import { parseEnvelope } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Harness, json, startAccreditation } from '../test-support/harness';
import { GateService } from './gate.service';

const EDITION = 'OG2024';
/** An edition whose Games are over: its cards are expired from the start. */
const PAST = 'OG2021';

interface Pack {
  edition: { code: string; validFrom: string; validTo: string };
  categories: { code: string; venues: string[]; zones: string[] }[];
  organisations: { code: string; quotas: Record<string, number> }[];
}
const DEMO = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as Pack;
/** The demo pack, its cards valid until 2099 (so valid now), athletes granted two venues only. */
const LIVE: Pack = structuredClone(DEMO);
LIVE.edition.validTo = '2099-12-31T00:00:00Z';
LIVE.categories.find((c) => c.code === 'AA')!.venues = ['STA', 'LDA'];
const OVER: Pack = structuredClone(DEMO);
OVER.edition = { code: PAST, validFrom: '2021-07-01T00:00:00Z', validTo: '2021-08-10T00:00:00Z' };

interface Card {
  cardNumber: string;
  status: string;
  credentialId: string | null;
  activatedAt?: string | null;
  holder: string;
  validFrom: string;
  validTo: string;
  upgrades: { id: string; venues: string[]; zones: string[]; validFrom: string; validTo: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const claimsOf = (credential: string) => JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('accreditation: card lifecycle (activation, expiry, day passes, upgrades, offline checks, pruning)', () => {
  let h: Harness;
  let admin: string;
  let security: string;
  let scanner: string;
  let centre: string;

  const post = (path: string, body: unknown, token: string) => h.request(path, { method: 'POST', json: body, token });
  const problem = async (res: Response, status: number, slug: string) => {
    const body = (await res.json()) as { type: string };
    expect([res.status, body.type]).toEqual([status, expect.stringContaining(slug)]);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return body;
  };

  /** An application submitted, vetted (cleared) and approved, then its card issued (not activated): the card. */
  async function issued(edition: string, card: Record<string, unknown> = {}, category = 'AA'): Promise<Card> {
    const person = { organisation: category === 'E' ? 'AFP' : 'FRA', category, familyName: 'LEROY', givenName: 'Anne', dateOfBirth: '1998-05-06', nationality: 'FRA' };
    const app = await json<{ id: string }>(await post(`/v1/editions/${edition}/applications`, person, admin), 201);
    await json(await post(`/v1/editions/${edition}/applications/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
    await json(await h.request(`/v1/editions/${edition}/applications/${app.id}/vetting`, { method: 'PUT', json: { result: 'cleared' }, token: security }), 200);
    await json(await post(`/v1/editions/${edition}/applications/${app.id}/transitions`, { to: 'approved', reason: 'ok' }, admin), 200);
    return json<Card>(await post(`/v1/editions/${edition}/applications/${app.id}/card`, card, admin), 201);
  }
  const activate = async (card: Card, token = centre) => json<Card>(await post(`/v1/cards/${card.cardNumber}/activate`, { reason: 'picked up, photo checked' }, token), 200);
  const credentialOf = async (cardNumber: string) => (await json<{ credential: string }>(await h.request(`/v1/cards/${cardNumber}/credential`, { token: admin }), 200)).credential;
  const listed = async (status: string) =>
    (await json<{ items: Card[] }>(await h.request(`/v1/cards?status=${status}&limit=500`, { token: admin }), 200)).items.map((c) => c.cardNumber);

  /** Reads the list from `after` into `state`, in pages of `limit`, as a scanner does (no options: the pages say what was pruned). */
  async function readList(state: RevocationState, limit = 3): Promise<RevocationState> {
    for (let pages = 0; pages < 1000; pages++) {
      const page = revocationPageSchema.parse(await json(await h.request(`/v1/revocations?after=${state.lastSeq}&limit=${limit}`, { token: scanner }), 200));
      state.applyPage(page);
      if (page.items.length === 0) return state;
    }
    throw new Error('the revocation list does not end');
  }

  /** The same case online and offline (a fresh list): both decisions, which must be equal. */
  async function both(credential: string, venue: string, zone: string, at: number): Promise<GateDecision> {
    const online = await json<GateDecision>(await post('/v1/gate/checks', { credential, venue, zone, gate: `${venue}-G1`, at: iso(at) }, scanner), 200);
    const keys = importJwkSet(await json(await h.request('/v1/keys'), 200));
    const offline = verifyCredential(credential, { keys, revocations: await readList(new RevocationState()), venue, zone, at: new Date(at) });
    expect(offline).toEqual(online);
    return online;
  }

  beforeAll(async () => {
    h = await startAccreditation({ ACCREDITATION_REVOCATION_PRUNE_INTERVAL_SECONDS: '0' });
    admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    security = await h.token(['accreditation-security'], { sub: 'sec-1' });
    scanner = await h.token(['gate-scanner'], { sub: 'scanner-1' });
    centre = await h.token(['accreditation-centre'], { sub: 'desk-1' });
    await json(await post(`/v1/editions/${EDITION}/reference-data`, LIVE, admin), 200);
    await json(await post(`/v1/editions/${PAST}/reference-data`, OVER, admin), 200);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('issues a card without a credential; the pick-up desk activates it, which signs its first credential', async () => {
    const card = await issued(EDITION);
    expect(card).toMatchObject({ status: 'issued', credentialId: null, activatedAt: null });
    await problem(await h.request(`/v1/cards/${card.cardNumber}/credential`, { token: admin }), 409, 'card-not-activated');
    expect(await listed('issued')).toContain(card.cardNumber);
    expect(await listed('active')).not.toContain(card.cardNumber);
    // no credential exists: nothing of this card can pass a gate before pick-up
    expect((await post(`/v1/cards/${card.cardNumber}/activate`, {}, scanner)).status).toBe(403);
    expect((await post(`/v1/cards/${card.cardNumber}/suspend`, { reason: 'x' }, admin)).status).toBe(409);

    const active = await activate(card);
    expect(active).toMatchObject({ status: 'active', credentialId: expect.any(String), activatedAt: expect.any(String) });
    await problem(await post(`/v1/cards/${card.cardNumber}/activate`, {}, centre), 409, 'invalid-transition');
    const credential = (await json<{ credential: string }>(await h.request(`/v1/cards/${card.cardNumber}/credential`, { token: centre }), 200)).credential;
    expect(claimsOf(credential)).toMatchObject({ jti: active.credentialId, card: card.cardNumber });
    expect(await both(credential, 'STA', '1', Date.now())).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await listed('active')).toContain(card.cardNumber);
    expect(await listed('issued')).not.toContain(card.cardNumber);

    const history = await json<{ items: { action: string; by: string; from: string; to: string }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${card.holder}/history`, { token: admin }),
      200,
    );
    expect(history.items.slice(-2)).toEqual([
      expect.objectContaining({ action: 'issue-card', from: 'approved', to: 'card-issued' }),
      expect.objectContaining({ action: 'activate', by: 'desk-1', from: 'card-issued', to: 'activated', reason: 'picked up, photo checked' }),
    ]);
    const events = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject.startsWith(`oms.accreditation.v1.card.${EDITION}.`) && JSON.stringify(m.json).includes(card.cardNumber));
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'issued and changed events' },
    );
    expect(events?.map((m) => m.subject)).toEqual([`oms.accreditation.v1.card.${EDITION}.issued`, `oms.accreditation.v1.card.${EDITION}.changed`]);
    expect(parseEnvelope(`oms.accreditation.v1.card.{edition}.issued`, events?.[0]?.json).data).toMatchObject({ status: 'issued', credentialId: null });
    expect(parseEnvelope(`oms.accreditation.v1.card.{edition}.changed`, events?.[1]?.json).data).toMatchObject({ status: 'active', credentialId: active.credentialId });
  });

  it('a day pass: valid for its window only, online and offline; past it the card is expired, only a revocation changes it', async () => {
    const now = Date.now();
    const tomorrow = await issued(EDITION, { validFrom: iso(now + 100_000), validTo: iso(now + 86_400_000) }, 'E');
    await activate(tomorrow);
    const early = await credentialOf(tomorrow.cardNumber);
    expect(await both(early, 'STA', '4', Date.now())).toEqual({ decision: 'deny', reason: 'not-yet-valid', cardNumber: tomorrow.cardNumber });
    expect(await both(early, 'STA', '4', now + 140_000)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: tomorrow.cardNumber });

    const start = Date.now();
    const pass = await issued(EDITION, { validFrom: iso(start - 3_600_000), validTo: iso(start + 4_000) }, 'E');
    expect(pass.validTo).toBe(iso(Math.floor((start + 4_000) / 1000) * 1000));
    await activate(pass);
    const credential = await credentialOf(pass.cardNumber);
    expect(await both(credential, 'STA', '4', Date.now())).toEqual({ decision: 'allow', reason: 'ok', cardNumber: pass.cardNumber });
    // past its end (and the 30 s clock tolerance): expired, online and offline
    expect(await both(credential, 'STA', '4', start + 4_000 + 31_000)).toEqual({ decision: 'deny', reason: 'expired', cardNumber: pass.cardNumber });

    await sleep(Math.max(0, start + 4_500 - Date.now()));
    expect((await json<Card>(await h.request(`/v1/cards/${pass.cardNumber}`, { token: admin }), 200)).status).toBe('expired');
    expect(await listed('expired')).toContain(pass.cardNumber);
    expect(await listed('active')).not.toContain(pass.cardNumber);
    expect(await listed('expired')).not.toContain(tomorrow.cardNumber);
    await problem(await post(`/v1/cards/${pass.cardNumber}/suspend`, { reason: 'lost' }, admin), 409, 'card-expired');
    await problem(await post(`/v1/cards/${pass.cardNumber}/reissue`, { zones: ['4', '5'], reason: 'more' }, admin), 409, 'card-expired');
    expect((await json<Card>(await post(`/v1/cards/${pass.cardNumber}/revoke`, { reason: 'guest misbehaved' }, admin), 200)).status).toBe('revoked');
    expect(await listed('revoked')).toContain(pass.cardNumber);
    expect(await listed('expired')).not.toContain(pass.cardNumber);

  });

  it('refuses a day pass outside the edition`s validity, or ending before it starts', async () => {
    for (const window of [
      { validFrom: '2024-07-01T00:00:00Z', validTo: '2024-07-20T00:00:00Z' },
      { validFrom: '2024-08-02T00:00:00Z', validTo: '2024-08-01T00:00:00Z' },
    ]) {
      const person = { organisation: 'AFP', category: 'E', familyName: 'GUEST', givenName: 'Day', dateOfBirth: '1990-01-01', nationality: 'FRA' };
      const app = await json<{ id: string }>(await post(`/v1/editions/${EDITION}/applications`, person, admin), 201);
      await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
      await json(await h.request(`/v1/editions/${EDITION}/applications/${app.id}/vetting`, { method: 'PUT', json: { result: 'cleared' }, token: security }), 200);
      await json(await post(`/v1/editions/${EDITION}/applications/${app.id}/transitions`, { to: 'approved', reason: 'ok' }, admin), 200);
      await problem(await post(`/v1/editions/${EDITION}/applications/${app.id}/card`, window, admin), 422, 'invalid-validity');
      // nothing was written: the application may still get its card
      expect((await json<Card>(await post(`/v1/editions/${EDITION}/applications/${app.id}/card`, {}, admin), 201)).status).toBe('issued');
    }
  });

  it('an upgrade adds venues and zones for its window: a new credential carries it (upg), the old one is revoked', async () => {
    const card = await activate(await issued(EDITION));
    const first = await credentialOf(card.cardNumber);
    const now = Date.now();
    expect(await both(first, 'CDM', '6', now)).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: card.cardNumber });

    const window = { validFrom: iso(now + 60_000), validTo: iso(now + 3_600_000) };
    const bad = [
      [{ venues: ['CDM'], zones: [], validFrom: iso(now), validTo: '2100-01-01T00:00:00Z', reason: 'r' }, 422, 'invalid-validity'],
      [{ venues: ['CDM'], zones: [], validFrom: '2024-08-01T00:00:00Z', validTo: '2024-08-02T00:00:00Z', reason: 'r' }, 422, 'invalid-validity'],
      [{ venues: ['ZZZ'], zones: [], ...window, reason: 'r' }, 422, 'unknown-venue'],
      [{ venues: [], zones: ['9'], ...window, reason: 'r' }, 422, 'unknown-zone'],
      [{ venues: [], zones: [], ...window, reason: 'r' }, 400, 'validation'],
      [{ venues: ['ALL', 'CDM'], zones: [], ...window, reason: 'r' }, 400, 'validation'],
    ] as const;
    for (const [body, status, slug] of bad) await problem(await post(`/v1/cards/${card.cardNumber}/upgrades`, body, admin), status, slug);
    const fra = await h.token(['noc-official'], { sub: 'fra-1', noc: 'FRA' });
    expect((await post(`/v1/cards/${card.cardNumber}/upgrades`, { venues: ['CDM'], zones: ['6'], ...window, reason: 'VIP' }, fra)).status).toBe(403);

    const upgraded = await json<Card>(await post(`/v1/cards/${card.cardNumber}/upgrades`, { venues: ['CDM'], zones: ['6'], ...window, reason: 'VIP reception' }, admin), 200);
    expect(upgraded.credentialId).not.toBe(card.credentialId);
    expect(upgraded.upgrades).toEqual([expect.objectContaining({ venues: ['CDM'], zones: ['6'], validFrom: iso(Math.floor((now + 60_000) / 1000) * 1000) })]);
    const second = await credentialOf(card.cardNumber);
    expect(claimsOf(second)['upg']).toEqual([{ ven: ['CDM'], zon: ['6'], nbf: Math.floor((now + 60_000) / 1000), exp: Math.floor((now + 3_600_000) / 1000) }]);
    expect(await both(first, 'STA', '1', Date.now())).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    // before the window (beyond the 30 s tolerance): what the card granted; in it: the union of both
    expect(await both(second, 'CDM', '6', Date.now())).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: card.cardNumber });
    expect(await both(second, 'CDM', '6', now + 120_000)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await both(second, 'STA', '6', now + 120_000)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await both(second, 'CDM', '1', now + 120_000)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    expect(await both(second, 'PMS', '6', now + 120_000)).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: card.cardNumber });

    const history = await json<{ items: { action: string; reason: string; details: Record<string, string> }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${card.holder}/history`, { token: admin }),
      200,
    );
    expect(history.items.at(-1)).toMatchObject({ action: 'upgrade', reason: 'VIP reception', details: { venues: 'CDM', zones: '6', ...window } });
    const changed = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === `oms.accreditation.v1.card.${EDITION}.changed` && JSON.stringify(m.json).includes(upgraded.credentialId!));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'changed event of the upgrade' },
    );
    expect(parseEnvelope(`oms.accreditation.v1.card.{edition}.changed`, changed?.[0]?.json).data.upgrades).toHaveLength(1);
  });

  it('an upgrade before pick-up: no credential to replace; the one signed at activation carries it', async () => {
    const card = await issued(EDITION);
    const now = Date.now();
    const upgraded = await json<Card>(
      await post(`/v1/cards/${card.cardNumber}/upgrades`, { venues: [], zones: ['6'], validFrom: iso(now - 60_000), validTo: iso(now + 3_600_000), reason: 'VIP' }, admin),
      200,
    );
    expect(upgraded).toMatchObject({ status: 'issued', credentialId: null });
    const before = await readList(new RevocationState());
    await activate(card);
    const credential = await credentialOf(card.cardNumber);
    expect(claimsOf(credential)['upg']).toEqual([expect.objectContaining({ ven: [], zon: ['6'] })]);
    expect(await both(credential, 'LDA', '6', Date.now())).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    // neither the upgrade nor the activation added a revocation entry
    expect((await readList(before)).lastSeq).toBe(before.lastSeq);
  });

  it('withdraws an upgrade before its window ends: a new credential without it, the old one revoked, history and event', async () => {
    const card = await activate(await issued(EDITION));
    const now = Date.now();
    const window = { validFrom: iso(now - 60_000), validTo: iso(now + 3_600_000) };
    const upgrade = (body: Record<string, unknown>, token = admin) => post(`/v1/cards/${card.cardNumber}/upgrades`, { ...window, ...body }, token);
    const vip = (await json<Card>(await upgrade({ venues: ['CDM'], zones: ['6'], reason: 'VIP reception' }), 200)).upgrades[0]!;
    const upgraded = await json<Card>(await upgrade({ venues: [], zones: ['5'], reason: 'broadcast visit' }), 200);
    const broadcast = upgraded.upgrades.find((u) => u.id !== vip.id)!;
    const withVip = await credentialOf(card.cardNumber);
    expect(await both(withVip, 'CDM', '6', Date.now())).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    const withdraw = (upgradeId: string, token = admin, body: unknown = { reason: 'reception cancelled' }, cardNumber = card.cardNumber) =>
      post(`/v1/cards/${cardNumber}/upgrades/${upgradeId}/withdraw`, body, token);

    // only the roles that grant upgrades: not an organisation's officers (the card's own NOC's nor another's), the desk, a scanner
    const fra = await h.token(['noc-official'], { sub: 'fra-1', noc: 'FRA' });
    const usa = await h.token(['noc-official'], { sub: 'usa-1', noc: 'USA' });
    const afp = await h.token(['ro-officer'], { sub: 'afp-1', org: 'AFP' });
    for (const token of [fra, usa, afp, centre, scanner]) expect((await withdraw(vip.id, token)).status).toBe(403);
    // an upgrade of another card, an unknown one, an unknown card: 404; malformed: 400
    const other = await issued(EDITION);
    const othersUpgrade = (await json<Card>(await post(`/v1/cards/${other.cardNumber}/upgrades`, { venues: ['CDM'], zones: [], ...window, reason: 'x' }, admin), 200)).upgrades[0]!;
    await problem(await withdraw(othersUpgrade.id), 404, 'upgrade-not-found');
    await problem(await withdraw('00000000-0000-4000-8000-000000000000'), 404, 'upgrade-not-found');
    await problem(await withdraw(vip.id, admin, { reason: 'x' }, `${EDITION}-999999`), 404, 'card-not-found');
    await problem(await withdraw('not-a-uuid'), 400, 'validation');
    for (const body of [{}, { reason: ' ' }, { reason: 'x', extra: 1 }]) await problem(await withdraw(vip.id, admin, body), 400, 'validation');
    // nothing of the above changed the card
    expect((await json<Card>(await h.request(`/v1/cards/${card.cardNumber}`, { token: admin }), 200)).credentialId).toBe(upgraded.credentialId);

    const withdrawn = await json<Card>(await withdraw(vip.id), 200);
    expect(withdrawn.credentialId).not.toBe(upgraded.credentialId);
    expect(withdrawn.upgrades.map((u) => u.id)).toEqual([broadcast.id]);
    const without = await credentialOf(card.cardNumber);
    expect(claimsOf(without)).toMatchObject({ jti: withdrawn.credentialId, upg: [expect.objectContaining({ ven: [], zon: ['5'] })] });
    // the old credential is revoked; the new one lacks the withdrawn upgrade's venue and zone, keeps the other upgrade
    expect(await both(withVip, 'CDM', '6', Date.now())).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: card.cardNumber });
    expect(await both(without, 'CDM', '1', Date.now())).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: card.cardNumber });
    expect(await both(without, 'STA', '6', Date.now())).toEqual({ decision: 'deny', reason: 'zone-not-granted', cardNumber: card.cardNumber });
    expect(await both(without, 'STA', '5', Date.now())).toEqual({ decision: 'allow', reason: 'ok', cardNumber: card.cardNumber });
    // again: 409, nothing changed
    const again = await problem(await withdraw(vip.id), 409, 'upgrade-withdrawn');
    expect(again).toMatchObject({ withdrawnAt: expect.any(String) });
    expect((await json<Card>(await h.request(`/v1/cards/${card.cardNumber}`, { token: admin }), 200)).credentialId).toBe(withdrawn.credentialId);

    const history = await json<{ items: { action: string; by: string; reason: string; details: Record<string, string> }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${card.holder}/history`, { token: admin }),
      200,
    );
    expect(history.items.slice(-3)).toEqual([
      expect.objectContaining({ action: 'upgrade', reason: 'VIP reception', details: expect.objectContaining({ upgrade: vip.id, venues: 'CDM', zones: '6' }) }),
      expect.objectContaining({ action: 'upgrade', reason: 'broadcast visit', details: expect.objectContaining({ upgrade: broadcast.id }) }),
      expect.objectContaining({ action: 'withdraw-upgrade', by: 'admin-1', reason: 'reception cancelled', details: { upgrade: vip.id } }),
    ]);
    const changed = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === `oms.accreditation.v1.card.${EDITION}.changed` && JSON.stringify(m.json).includes(withdrawn.credentialId!));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'changed event of the withdrawal' },
    );
    expect(parseEnvelope(`oms.accreditation.v1.card.{edition}.changed`, changed?.[0]?.json).data.upgrades?.map((u) => u.id)).toEqual([broadcast.id]);
  });

  it('an upgrade whose window has ended cannot be withdrawn (409 upgrade-ended); one before pick-up is, with no credential to replace', async () => {
    const card = await activate(await issued(EDITION));
    const start = Date.now();
    const short = await json<Card>(
      await post(`/v1/cards/${card.cardNumber}/upgrades`, { venues: [], zones: ['6'], validFrom: iso(start - 60_000), validTo: iso(start + 3_000), reason: 'short visit' }, admin),
      200,
    );
    const ended = short.upgrades[0]!;
    await sleep(Math.max(0, Date.parse(ended.validTo) - Date.now() + 200));
    const body = await problem(await post(`/v1/cards/${card.cardNumber}/upgrades/${ended.id}/withdraw`, { reason: 'too late' }, admin), 409, 'upgrade-ended');
    expect(body).toMatchObject({ validTo: ended.validTo });

    const before = await readList(new RevocationState());
    const notPickedUp = await issued(EDITION);
    const now = Date.now();
    const upgraded = await json<Card>(
      await post(`/v1/cards/${notPickedUp.cardNumber}/upgrades`, { venues: [], zones: ['6'], validFrom: iso(now - 60_000), validTo: iso(now + 3_600_000), reason: 'VIP' }, admin),
      200,
    );
    const withdrawn = await json<Card>(await post(`/v1/cards/${notPickedUp.cardNumber}/upgrades/${upgraded.upgrades[0]!.id}/withdraw`, { reason: 'not needed' }, admin), 200);
    expect(withdrawn).toMatchObject({ status: 'issued', credentialId: null, upgrades: [] });
    await activate(notPickedUp);
    expect(claimsOf(await credentialOf(notPickedUp.cardNumber))['upg']).toBeUndefined();
    // neither the withdrawal nor the activation added a revocation entry
    expect((await readList(before)).lastSeq).toBe(before.lastSeq);
  });

  it("uploads a scanner's offline checks: recorded once per scanner id, exported with the online ones", async () => {
    const other = await h.token(['gate-scanner'], { sub: 'scanner-2' });
    const at = iso(Date.now() - 600_000);
    const checks = [
      { id: 'sc1-0001', at, venue: 'STA', zone: '1', gate: 'STA-N1', decision: 'allow', reason: 'ok', cardNumber: 'OG2024-000001', credentialId: 'cred-1' },
      { id: 'sc1-0002', at, venue: 'STA', zone: '1', gate: 'STA-N1', decision: 'deny', reason: 'revoked', cardNumber: 'OG2024-000002' },
      { id: 'sc1-0003', at, venue: 'STA', zone: '3', gate: 'STA-N1', decision: 'deny', reason: 'bad-signature' },
    ];
    expect(await json(await post('/v1/gate/checks/offline', { checks }, scanner), 200)).toEqual({ received: 3, recorded: 3, duplicates: 0 });
    // again (a retry after a lost answer), with one more: only the new one is recorded
    const more = [...checks, { ...checks[1]!, id: 'sc1-0004' }];
    expect(await json(await post('/v1/gate/checks/offline', { checks: more }, scanner), 200)).toEqual({ received: 4, recorded: 1, duplicates: 3 });
    // the same id twice in one batch: once
    expect(await json(await post('/v1/gate/checks/offline', { checks: [{ ...checks[2]!, id: 'sc1-0005' }, { ...checks[2]!, id: 'sc1-0005' }] }, scanner), 200)).toEqual({
      received: 2,
      recorded: 1,
      duplicates: 1,
    });
    // another scanner's ids are its own
    expect(await json(await post('/v1/gate/checks/offline', { checks: checks.slice(0, 1) }, other), 200)).toEqual({ received: 1, recorded: 1, duplicates: 0 });

    const invalid = [
      { ...checks[0]!, reason: 'revoked' }, // allow goes with ok only
      { ...checks[2]!, cardNumber: 'OG2024-000001' }, // a credential that did not verify names no card
      { ...checks[1]!, cardNumber: undefined }, // a verified credential names its card
      { ...checks[0]!, reason: 'lost' },
      { ...checks[0]!, id: 'has space' },
    ];
    for (const check of invalid) expect([check, (await post('/v1/gate/checks/offline', { checks: [check] }, scanner)).status]).toEqual([check, 400]);
    await problem(await post('/v1/gate/checks/offline', { checks: [{ ...checks[0]!, id: 'future', at: iso(Date.now() + 3_600_000) }] }, scanner), 400, 'at-out-of-range');
    expect((await post('/v1/gate/checks/offline', { checks: [] }, scanner)).status).toBe(400);
    expect((await post('/v1/gate/checks/offline', { checks }, admin)).status).toBe(403);

    const exported = await json<{ items: { mode: string; checkedBy: string; scannerCheckId: string | null; reason: string; credentialId: string | null; at: string }[] }>(
      await h.request('/v1/gate/checks?limit=1000', { token: admin }),
      200,
    );
    const offline = exported.items.filter((c) => c.mode === 'offline');
    expect(offline.map((c) => [c.checkedBy, c.scannerCheckId])).toEqual([
      ['scanner-1', 'sc1-0001'],
      ['scanner-1', 'sc1-0002'],
      ['scanner-1', 'sc1-0003'],
      ['scanner-1', 'sc1-0004'],
      ['scanner-1', 'sc1-0005'],
      ['scanner-2', 'sc1-0001'],
    ]);
    expect(offline[0]).toMatchObject({ at, reason: 'ok', credentialId: 'cred-1' });
    expect(exported.items.some((c) => c.mode === 'online')).toBe(true);
    const onlyOffline = await json<{ items: { mode: string }[] }>(await h.request('/v1/gate/checks?mode=offline', { token: admin }), 200);
    expect(onlyOffline.items).toHaveLength(6);
  });

  it('prunes the entries of expired cards: readers behind go on from the pages (prunedThrough), and an older `at` is refused', async () => {
    // the gate answers for any past `at` while nothing is pruned
    const live = await activate(await issued(EDITION));
    const liveFirst = await credentialOf(live.cardNumber);
    expect((await post('/v1/gate/checks', { credential: liveFirst, venue: 'STA', zone: '1', gate: 'G', at: '2024-08-01T10:00:00Z' }, scanner)).status).toBe(200);

    const behind = await readList(new RevocationState());
    // between kept entries, entries of two cards of an edition that is over (expired at issue: only revocable)
    const gone1 = await issued(PAST);
    expect(gone1.status).toBe('expired');
    await json(await post(`/v1/cards/${gone1.cardNumber}/revoke`, { reason: 'never picked up' }, admin), 200);
    await json(await post(`/v1/cards/${live.cardNumber}/reissue`, { zones: ['1', '2', '3'], reason: 'needs operations' }, admin), 200);
    const gone2 = await issued(PAST);
    await json(await post(`/v1/cards/${gone2.cardNumber}/revoke`, { reason: 'never picked up' }, admin), 200);
    await json(await post(`/v1/cards/${live.cardNumber}/suspend`, { reason: 'lost' }, admin), 200);
    const full = revocationPageSchema.parse(await json(await h.request(`/v1/revocations?after=${behind.lastSeq}`, { token: scanner }), 200));
    const seqOf = (card: string) => full.items.find((e) => e.card === card && e.kind === 'card-revoked')!.seq;
    expect(full.items.map((e) => e.kind)).toEqual(['card-revoked', 'credential-revoked', 'card-revoked', 'card-suspended']);

    // what the service's own list holds before the prune (a check brings it up to date)
    const gate = h.app.get(GateService);
    expect((await post('/v1/gate/checks', { credential: liveFirst, venue: 'STA', zone: '1', gate: 'G' }, scanner)).status).toBe(200);
    const heldBefore = gate.revocationEntries;

    expect((await post('/v1/revocations/prune', {}, scanner)).status).toBe(403);
    const pruned = await json<{ pruned: number; prunedThrough: number; prunedBefore: string }>(await post('/v1/revocations/prune', {}, admin), 200);
    expect(pruned).toMatchObject({ pruned: 2, prunedThrough: seqOf(gone2.cardNumber) });
    expect(Date.parse(pruned.prunedBefore)).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000);
    expect(Date.parse(pruned.prunedBefore)).toBeGreaterThan(Date.now() - 7 * 86_400_000 - 60_000);
    // again: nothing more, the horizon stays
    expect(await json(await post('/v1/revocations/prune', {}, admin), 200)).toMatchObject({ pruned: 0, prunedThrough: pruned.prunedThrough, prunedBefore: pruned.prunedBefore });

    const after = revocationPageSchema.parse(await json(await h.request(`/v1/revocations?after=${behind.lastSeq}`, { token: scanner }), 200));
    expect(after.items.map((e) => e.kind)).toEqual(['credential-revoked', 'card-suspended']);
    expect(after.prunedThrough).toBe(pruned.prunedThrough);
    // the signal matters: without it, the same page is a gap
    expect(() => new RevocationState().applyPage({ items: after.items, lastSeq: after.lastSeq })).toThrow(RevocationGapError);
    // a reader that was behind goes on, in pages of one, and ends where a fresh reader ends
    const caughtUp = await readList(behind, 1);
    const fresh = await readList(new RevocationState(), 2);
    expect(caughtUp.lastSeq).toBe(full.lastSeq);
    expect(fresh.lastSeq).toBe(full.lastSeq);
    expect(caughtUp.prunedThrough).toBe(pruned.prunedThrough);
    expect(caughtUp.statusOf(live.credentialId!, live.cardNumber)).toBe('revoked');
    const current = await credentialOf(live.cardNumber);
    expect(await both(current, 'STA', '3', Date.now())).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: live.cardNumber });
    // the NATS entries carry no prunedThrough: a gap there is a missed message
    const published = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === 'oms.accreditation.v1.revocations');
        return found.length >= full.lastSeq ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'revocation entries on NATS' },
    );
    expect(published?.every((m) => parseEnvelope('oms.accreditation.v1.revocations', m.json).data.prunedThrough === undefined)).toBe(true);

    // an `at` the pruned list cannot answer for: before its horizon (+ the tolerance), or too far ahead
    await problem(await post('/v1/gate/checks', { credential: current, venue: 'STA', zone: '1', gate: 'G', at: '2024-08-01T10:00:00Z' }, scanner), 400, 'at-out-of-range');
    await problem(await post('/v1/gate/checks', { credential: current, venue: 'STA', zone: '1', gate: 'G', at: pruned.prunedBefore }, scanner), 400, 'at-out-of-range');
    await problem(await post('/v1/gate/checks', { credential: current, venue: 'STA', zone: '1', gate: 'G', at: iso(Date.now() + 600_000) }, scanner), 400, 'at-out-of-range');
    const withinHorizon = iso(Date.parse(pruned.prunedBefore) + 60_000);
    expect((await json<GateDecision>(await post('/v1/gate/checks', { credential: current, venue: 'STA', zone: '1', gate: 'G', at: withinHorizon }, scanner), 200)).reason).toBe('suspended');

    // the service's own list sheds the pruned entries: read again from the start in the background once a check saw
    // the prune, swapped in by a later check; its decisions stay the same
    const held = await waitFor(
      async () => {
        expect((await json<GateDecision>(await post('/v1/gate/checks', { credential: current, venue: 'STA', zone: '1', gate: 'G' }, scanner), 200)).reason).toBe('suspended');
        return gate.revocationEntries === heldBefore - 2 ? gate.revocationEntries : undefined;
      },
      { timeoutMs: 10_000, description: 'the pruned entries shed by the online check' },
    );
    expect(held).toBe(heldBefore - 2);
    expect(await both(liveFirst, 'STA', '1', Date.now())).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: live.cardNumber });
    expect(await both(current, 'STA', '3', Date.now())).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: live.cardNumber });
    // the same again: nothing more is re-read
    expect(await both(current, 'STA', '3', Date.now())).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: live.cardNumber });
    expect(gate.revocationEntries).toBe(heldBefore - 2);
  });
});
