/**
 * Personal data (docs/accreditation.md#personal-data), against real PostgreSQL and NATS: the passport number and photo
 * reference sealed at rest (the raw row, the history, the outbox and the events never hold them), returned by GET of
 * the application only, never logged; the key rotation's re-wrap; the GDPR export and erasure with its anonymised
 * audit trail, and who may call them.
 */
import { Logger } from '@nestjs/common';
import { parseEnvelope } from '@podium/contracts';
import { createLogger, ROOT_LOGGER } from '@podium/platform';
import { type StreamMessage, startTestService, waitFor } from '@podium/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

import { AppModule } from '../app/app.module';
import { type Harness, json } from '../test-support/harness';

const EDITION = 'OG2024';
const PACK = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as { edition: { validTo: string } };
// Cards are activated at pick-up, which a card past its validity refuses: these must still be valid now.
PACK.edition.validTo = '2099-12-31T00:00:00Z';
const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const ring = (current: string, keys: Record<string, string>) => JSON.stringify({ current, keys });

interface Application {
  id: string;
  state: string;
  familyName: string;
  passportNumber?: string | null;
  photoReference?: string | null;
  vetting?: unknown;
}

/** Every line the service logs (its root logger, at debug: the access lines of successes too). */
const logLines: string[] = [];

describe('accreditation personal data: encrypted at rest, never logged, rotation, GDPR export and erasure', () => {
  let h: Harness;
  let pg: Client;
  let admin: string;
  let dpo: string;
  let security: string;
  let officer: string;
  let fra: string;
  let ken: string;

  const start = (keys: string) =>
    startTestService({
      service: 'accreditation',
      module: AppModule,
      env: { LOG_LEVEL: 'debug', ACCREDITATION_DATA_KEYS: keys },
      override: (builder) =>
        builder.overrideProvider(ROOT_LOGGER).useValue(createLogger({ service: 'accreditation', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } })),
    });
  /** The running service with another ACCREDITATION_DATA_KEYS (same database). */
  async function restartWith(keys: string): Promise<void> {
    h = await h.restart({ env: { ACCREDITATION_DATA_KEYS: keys } });
  }

  const post = (path: string, body: unknown, token: string) => h.request(path, { method: 'POST', json: body, token });
  const apps = `/v1/editions/${EDITION}/applications`;
  let serial = 0;
  /** A person with a passport number and a photo reference of their own (unique strings, to search for). */
  const person = (over: Record<string, unknown> = {}) => {
    serial += 1;
    const n = String(serial).padStart(3, '0');
    return {
      organisation: 'FRA',
      category: 'AA',
      familyName: `ZEPHYRINE${n}`,
      givenName: `Octavie${n}`,
      dateOfBirth: '1998-02-03',
      nationality: 'FRA',
      passportNumber: `PX${n}93817`,
      photoReference: `photos/OG2024/ph-${n}-a81f.jpg`,
      ...over,
    };
  };
  const submit = async (body: Record<string, unknown>, token = admin) => json<Application>(await post(apps, body, token), 201);
  /** Submitted, vetted (cleared, with a note), approved, carded and activated: the application and the card number. */
  async function carded(body = person()): Promise<{ app: Application; cardNumber: string }> {
    const app = await submit(body);
    await json(await post(`${apps}/${app.id}/transitions`, { to: 'vetting', reason: `checks of ${body.familyName}` }, admin), 200);
    await json(await h.request(`${apps}/${app.id}/vetting`, { method: 'PUT', json: { result: 'cleared', note: `${body.familyName} seen by service X` }, token: security }), 200);
    await json(await post(`${apps}/${app.id}/transitions`, { to: 'approved', reason: 'ok' }, admin), 200);
    const card = await json<{ cardNumber: string }>(await post(`${apps}/${app.id}/card`, {}, admin), 201);
    await json(await post(`/v1/cards/${card.cardNumber}/activate`, {}, admin), 200);
    return { app, cardNumber: card.cardNumber };
  }
  /** The text of every row of a table (to search it for a value). */
  const tableText = async (table: 'application' | 'application_history' | 'outbox_event' | 'card' | 'card_upgrade' | 'gate_check' | 'revocation') =>
    (await pg.query<{ t: string | null }>(`SELECT string_agg(x::text, E'\\n') AS t FROM ${table} x`)).rows[0]?.t ?? '';
  const rawRow = async (id: string) =>
    (
      await pg.query<{ personal_kid: string | null; personal_key: Buffer | null; personal_data: Buffer | null; family_name: string; erased_at: Date | null; row: string }>(
        'SELECT personal_kid, personal_key, personal_data, family_name, erased_at, a::text AS row FROM application a WHERE id = $1',
        [id],
      )
    ).rows[0];

  const ERASED_SUBJECT = `oms.accreditation.v1.application.${EDITION}.erased`;
  /** The erased events of an application on the stream, once at least `count` are there (the relay publishes after the commit). */
  const erasedEvents = async (applicationId: string, count = 1): Promise<StreamMessage[]> =>
    (await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === ERASED_SUBJECT && JSON.stringify(m.json).includes(applicationId));
        return found.length >= count ? found : undefined;
      },
      { timeoutMs: 15_000, description: `${count} erased event(s) of ${applicationId}` },
    )) ?? [];
  const erasedData = (message: StreamMessage | undefined) => parseEnvelope('oms.accreditation.v1.application.{edition}.erased', message?.json).data;
  /** Every outbox row of this database published (an event not written is then surely not on the stream either). */
  const outboxDrained = () =>
    waitFor(async () => (((await pg.query('SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL')).rows[0] as { n: number }).n === 0 ? true : undefined), {
      timeoutMs: 15_000,
      description: 'the outbox relayed',
    });

  beforeAll(async () => {
    h = await start(ring('k1', { k1: K1 }));
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    dpo = await h.token(['data-protection-officer'], { sub: 'dpo-1' });
    security = await h.token(['accreditation-security'], { sub: 'sec-1' });
    officer = await h.token(['accreditation-officer'], { sub: 'officer-1' });
    fra = await h.token(['noc-official'], { sub: 'fra-1', noc: 'FRA' });
    ken = await h.token(['noc-official'], { sub: 'ken-1', noc: 'KEN' });
    await json(await post(`/v1/editions/${EDITION}/reference-data`, PACK, admin), 200);
  });

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  it('seals the passport number and photo reference: not in the raw row, the history, the outbox or the events; GET shows them to whom may see the application, lists never', async () => {
    const body = person();
    const created = await submit(body, fra);
    expect(created).toMatchObject({ passportNumber: body.passportNumber, photoReference: body.photoReference });

    const raw = await rawRow(created.id);
    expect(raw?.personal_kid).toBe('k1');
    expect(raw?.personal_key?.length).toBe(61);
    expect(raw?.row).not.toContain(body.passportNumber);
    expect(raw?.row).not.toContain(body.photoReference);
    expect(raw?.personal_data?.includes(body.passportNumber)).toBe(false);
    // The same passport number twice: two different ciphertexts (a fresh data key and IV each time).
    const twin = await submit({ ...person(), passportNumber: body.passportNumber });
    expect((await rawRow(twin.id))?.personal_data?.equals(raw?.personal_data ?? Buffer.alloc(0))).toBe(false);

    for (const token of [fra, admin, officer, security]) {
      expect(await json<Application>(await h.request(`${apps}/${created.id}`, { token }), 200)).toMatchObject({ passportNumber: body.passportNumber, photoReference: body.photoReference });
    }
    expect((await h.request(`${apps}/${created.id}`, { token: ken })).status).toBe(404);
    expect((await h.request(`${apps}/${created.id}`, { token: dpo })).status).toBe(403);
    const list = await h.request(`${apps}?organisation=FRA&limit=500`, { token: admin });
    const listText = await list.text();
    expect(list.status).toBe(200);
    expect(listText).toContain(created.id);
    expect(listText).not.toContain(body.passportNumber);
    expect(listText).not.toContain('passportNumber');

    // Without a passport or photo: nothing sealed.
    const bare = await submit({ ...person(), passportNumber: undefined, photoReference: undefined });
    expect(bare).toMatchObject({ passportNumber: null, photoReference: null });
    expect(await rawRow(bare.id)).toMatchObject({ personal_kid: null, personal_key: null, personal_data: null });

    const { cardNumber } = await carded(body);
    for (const table of ['application', 'application_history', 'outbox_event', 'card'] as const) {
      const text = await tableText(table);
      expect(text).not.toContain(body.passportNumber);
      expect(text).not.toContain(body.photoReference);
    }
    const events = JSON.stringify(await h.readStream('ACCREDITATION'));
    expect(events).toContain(cardNumber);
    expect(events).not.toContain(body.passportNumber);
    expect(events).not.toContain(body.photoReference);
  });

  it('validates their shape (normalised to upper case), never echoing the value', async () => {
    const lower = await submit({ ...person(), passportNumber: '  ab1234567 ' });
    expect(lower.passportNumber).toBe('AB1234567');
    for (const [field, value] of [
      ['passportNumber', 'AB 12345'],
      ['passportNumber', 'X1'],
      ['passportNumber', 'P'.repeat(21)],
      ['photoReference', '../../etc/passwd'],
      ['photoReference', '/photos/a.jpg'],
      ['photoReference', 'photos//a.jpg'],
      ['photoReference', 'photos/a b.jpg'],
    ] as const) {
      const res = await post(apps, { ...person(), [field]: value }, admin);
      const text = await res.text();
      expect(res.status).toBe(400);
      expect(text).toContain(`body.${field}`);
      expect(text).not.toContain(value);
    }
    expect((await post(apps, { ...person(), passport: 'AB1234567' }, admin)).status).toBe(400);
  });

  it('never logs a passport number or photo reference: access lines, refusals, malformed bodies, an object logged by the code', async () => {
    logLines.length = 0;
    const body = person();
    const created = await submit(body);
    await json(await h.request(`${apps}/${created.id}`, { token: admin }), 200);
    expect((await post(apps, { ...body, passportNumber: `${body.passportNumber} !` }, admin)).status).toBe(400);
    expect((await post(apps, { ...body, photoReference: `../${body.photoReference}` }, admin)).status).toBe(400);
    const malformed = await h.request(apps, { method: 'POST', token: admin, headers: { 'content-type': 'application/json' }, body: `{"passportNumber": "${body.passportNumber}" "x": 1}` });
    expect(malformed.status).toBe(400);
    // What a careless log call in the service would write: redacted by the platform logger's configuration.
    new Logger('PersonalDataSpec').log({ application: { id: created.id, passportNumber: body.passportNumber, photoReference: body.photoReference } }, 'submitted');

    const text = logLines.join('');
    expect(text).toContain(`"route":"/v1/editions/:edition/applications"`);
    expect(text).toContain('"status":400');
    expect(text).toContain('"passportNumber":"[redacted]"');
    expect(text).not.toContain(body.passportNumber);
    expect(text).not.toContain(body.photoReference);
  });

  it('the bulk path seals them as the single path does: not in the raw rows, readable by GET, a bad one refuses its own row only, never logged', async () => {
    logLines.length = 0;
    const rows = [person(), person(), person({ passportNumber: 'AB 12!' }), person({ photoReference: '../secret.jpg' }), person({ passportNumber: undefined, photoReference: undefined })];
    const bad = [rows[2]!, rows[3]!];
    const report = await json<{ accepted: number; refused: number; items: { index: number; status: string; id?: string; reason?: string; errors?: { field: string }[] }[] }>(
      await post(`${apps}/bulk`, { rows }, fra),
      200,
    );
    expect(report.items.map((i) => i.reason ?? i.status)).toEqual(['accepted', 'accepted', 'invalid', 'invalid', 'accepted']);
    expect(report.items[2]!.errors?.map((e) => e.field)).toEqual(['rows[2].passportNumber']);
    expect(report.items[3]!.errors?.map((e) => e.field)).toEqual(['rows[3].photoReference']);
    const reportText = JSON.stringify(report);
    for (const row of rows) {
      expect(reportText).not.toContain(String(row.passportNumber));
      expect(reportText).not.toContain(String(row.photoReference));
    }

    for (const index of [0, 1]) {
      const { id } = report.items[index]!;
      const row = rows[index]!;
      const raw = await rawRow(id!);
      expect(raw?.personal_kid).toBe('k1');
      expect(raw?.personal_key?.length).toBe(61);
      expect(raw?.row).not.toContain(row.passportNumber);
      expect(raw?.row).not.toContain(row.photoReference);
      for (const token of [fra, admin, officer, security]) {
        expect(await json<Application>(await h.request(`${apps}/${id}`, { token }), 200)).toMatchObject({ passportNumber: row.passportNumber, photoReference: row.photoReference });
      }
      expect((await h.request(`${apps}/${id}`, { token: ken })).status).toBe(404);
    }
    // Sealed each under its own row's id: another row's sealed columns do not open here.
    const [first, second] = [report.items[0]!.id!, report.items[1]!.id!];
    const own = await rawRow(second);
    await pg.query('UPDATE application SET personal_kid = s.personal_kid, personal_key = s.personal_key, personal_data = s.personal_data FROM application s WHERE s.id = $1 AND application.id = $2', [first, second]);
    expect((await h.request(`${apps}/${second}`, { token: admin })).status).toBe(500);
    await pg.query('UPDATE application SET personal_kid = $2, personal_key = $3, personal_data = $4 WHERE id = $1', [second, own?.personal_kid, own?.personal_key, own?.personal_data]);
    expect(await json<Application>(await h.request(`${apps}/${second}`, { token: admin }), 200)).toMatchObject({ passportNumber: rows[1]!.passportNumber });
    const bare = report.items[4]!.id!;
    expect(await rawRow(bare)).toMatchObject({ personal_kid: null, personal_key: null, personal_data: null });
    expect(await json<Application>(await h.request(`${apps}/${bare}`, { token: admin }), 200)).toMatchObject({ passportNumber: null, photoReference: null });

    for (const table of ['application', 'application_history', 'outbox_event'] as const) {
      const text = await tableText(table);
      for (const row of rows.slice(0, 2)) {
        expect(text).not.toContain(row.passportNumber);
        expect(text).not.toContain(row.photoReference);
      }
    }
    const logged = logLines.join('');
    expect(logged).toContain('/applications/bulk');
    for (const row of [...rows.slice(0, 2), ...bad]) {
      expect(logged).not.toContain(String(row.passportNumber));
      expect(logged).not.toContain(String(row.photoReference));
    }
  });

  it('rotates the key-encryption key: old rows stay readable, new ones use the current key, the re-wrap moves the old ones without touching their ciphertext', async () => {
    await restartWith(ring('k1', { k1: K1 }));
    const before = await Promise.all([person(), person(), person()].map(async (p) => ({ p, app: await submit(p) })));
    // Every row wrapped by k1 so far (this file's other tests' too).
    const oldRows = (await pg.query<{ id: string; personal_data: Buffer }>("SELECT id, personal_data FROM application WHERE personal_kid = 'k1' ORDER BY id")).rows;
    expect(oldRows.length).toBeGreaterThanOrEqual(3);

    await restartWith(ring('k2', { k1: K1, k2: K2 }));
    for (const { p, app } of before) expect(await json<Application>(await h.request(`${apps}/${app.id}`, { token: admin }), 200)).toMatchObject({ passportNumber: p.passportNumber });
    const fresh = await submit(person());
    expect((await rawRow(fresh.id))?.personal_kid).toBe('k2');

    expect((await post('/v1/personal-data/rewrap', {}, officer)).status).toBe(403);
    expect((await post('/v1/personal-data/rewrap', {}, dpo)).status).toBe(403);
    const first = await json<{ current: string; rewrapped: number; remaining: number; failed: string[] }>(await post('/v1/personal-data/rewrap', { limit: 2 }, admin), 200);
    expect(first).toMatchObject({ current: 'k2', rewrapped: 2, remaining: oldRows.length - 2, failed: [], unreadable: {} });
    let last = first;
    for (let round = 0; round < 100 && last.remaining > 0; round++) last = await json(await post('/v1/personal-data/rewrap', { limit: 2 }, admin), 200);
    expect(last.remaining).toBe(0);
    expect(await json(await post('/v1/personal-data/rewrap', {}, admin), 200)).toMatchObject({ rewrapped: 0, remaining: 0 });
    const after = (await pg.query<{ id: string; personal_kid: string; personal_data: Buffer }>('SELECT id, personal_kid, personal_data FROM application WHERE id = ANY($1) ORDER BY id', [oldRows.map((r) => r.id)])).rows;
    expect(after.map((r) => r.personal_kid)).toEqual(oldRows.map(() => 'k2'));
    expect(after.map((r) => r.personal_data.toString('hex'))).toEqual(oldRows.map((r) => r.personal_data.toString('hex')));

    // k1 retired: everything still reads.
    await restartWith(ring('k2', { k2: K2 }));
    for (const { p, app } of before) expect(await json<Application>(await h.request(`${apps}/${app.id}`, { token: fra }), 200)).toMatchObject({ passportNumber: p.passportNumber, photoReference: p.photoReference });
  });

  it('says which key is missing when a row was wrapped by a retired key, and refuses a tampered row, naming neither the data nor a key', async () => {
    await restartWith(ring('k1', { k1: K1, k2: K2 }));
    const p = person();
    const orphan = await submit(p);
    await restartWith(ring('k2', { k2: K2 }));
    const res = await h.request(`${apps}/${orphan.id}`, { token: admin });
    const problem = await res.text();
    expect(res.status).toBe(500);
    expect(problem).toContain('personal-data-unreadable');
    expect(problem).toContain('(unknown-key, key k1)');
    expect(problem).not.toContain(p.passportNumber);
    expect(await json(await post('/v1/personal-data/rewrap', {}, admin), 200)).toMatchObject({ rewrapped: 0, remaining: 0, unreadable: { k1: 1 } });

    const tampered = await submit(person());
    await pg.query("UPDATE application SET personal_data = overlay(personal_data placing '\\x00'::bytea from 20 for 1) WHERE id = $1", [tampered.id]);
    const bad = await h.request(`${apps}/${tampered.id}`, { token: admin });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('authentication-failed');
    // Copying one row's sealed columns onto another does not open either.
    await pg.query('UPDATE application SET personal_kid = s.personal_kid, personal_key = s.personal_key, personal_data = s.personal_data FROM application s WHERE s.id = $1 AND application.id = $2', [orphan.id, tampered.id]);
    await restartWith(ring('k2', { k1: K1, k2: K2 }));
    expect((await h.request(`${apps}/${orphan.id}`, { token: admin })).status).toBe(200);
    expect((await h.request(`${apps}/${tampered.id}`, { token: admin })).status).toBe(500);
  });

  it('exports everything held about the person to oc-admin and the data protection officer only, the vetting to oc-admin only', async () => {
    const body = person();
    const { app, cardNumber } = await carded(body);
    await pg.query(
      "INSERT INTO gate_check (at, venue, zone, gate, decision, reason, card_number, mode, checked_by) VALUES (now(), 'STA', '1', 'STA-N1', 'allow', 'ok', $1, 'online', 'scanner-1'), (now(), 'STA', '4', 'STA-N1', 'deny', 'zone-not-granted', $1, 'online', 'scanner-1')",
      [cardNumber],
    );
    const credentials = (await pg.query<{ jti: string }>('SELECT jti FROM credential WHERE card_number = $1 ORDER BY issued_at, jti', [cardNumber])).rows.map((r) => r.jti);
    expect(credentials).toHaveLength(1);

    for (const token of [fra, ken, security, officer]) expect((await h.request(`${apps}/${app.id}/personal-data`, { token })).status).toBe(403);
    expect((await h.request(`${apps}/00000000-0000-4000-8000-000000000000/personal-data`, { token: dpo })).status).toBe(404);

    type Export = {
      format: string;
      application: Application & { erasedAt: string | null };
      history: { action: string; reason: string | null; details?: unknown }[];
      cards: { cardNumber: string }[];
      credentials: { jti: string }[];
      gateChecks: { decision: string; zone: string; cardNumber: string }[];
      withheld: string[];
    };
    const full = await json<Export>(await h.request(`${apps}/${app.id}/personal-data`, { token: admin }), 200);
    expect(full.format).toBe('podium.accreditation-personal-data/v1');
    expect(full.application).toMatchObject({ id: app.id, familyName: body.familyName, passportNumber: body.passportNumber, photoReference: body.photoReference, erasedAt: null });
    expect(full.application.vetting).toMatchObject({ result: 'cleared', note: `${body.familyName} seen by service X` });
    expect(full.history.map((e) => e.action)).toEqual(['submit', 'start-vetting', 'record-vetting', 'approve', 'issue-card', 'activate']);
    expect(full.cards.map((c) => c.cardNumber)).toEqual([cardNumber]);
    expect(full.credentials.map((c) => c.jti)).toEqual(credentials);
    expect(full.gateChecks.map((g) => [g.decision, g.zone, g.cardNumber])).toEqual([
      ['allow', '1', cardNumber],
      ['deny', '4', cardNumber],
    ]);
    expect(full.withheld).toEqual([]);

    const byDpo = await json<Export>(await h.request(`${apps}/${app.id}/personal-data`, { token: dpo }), 200);
    expect(byDpo.application).toMatchObject({ passportNumber: body.passportNumber });
    expect(byDpo.application.vetting).toBeUndefined();
    expect(byDpo.history.find((e) => e.action === 'record-vetting')).toMatchObject({ reason: null });
    expect(JSON.stringify(byDpo)).not.toContain('seen by service X');
    expect(byDpo.withheld).toHaveLength(1);
    expect(byDpo.gateChecks).toHaveLength(2);
  });

  it('erases: card revoked (list entry, event), personal fields replaced, ciphertexts deleted, history and gate checks kept without personal data, the erasure recorded; again 409', async () => {
    const body = person();
    const { app, cardNumber } = await carded(body);
    // An upgrade whose free-text reason names the person.
    const upgrade = { venues: ['STA'], zones: ['4'], validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 86_400_000).toISOString(), reason: `press day of ${body.familyName}` };
    await json(await post(`/v1/cards/${cardNumber}/upgrades`, upgrade, admin), 200);
    await pg.query("INSERT INTO gate_check (at, venue, zone, gate, decision, reason, card_number, mode, checked_by) VALUES (now(), 'STA', '1', 'STA-N1', 'allow', 'ok', $1, 'online', 'scanner-1')", [cardNumber]);
    const historyBefore = (await pg.query('SELECT count(*)::int AS n FROM application_history WHERE application_id = $1', [app.id])).rows[0] as { n: number };
    const seqBefore = Number(((await pg.query('SELECT coalesce(max(seq), 0) AS s FROM revocation')).rows[0] as { s: string }).s);
    const streamBefore = (await h.readStream('ACCREDITATION')).length;
    const scanner = await h.token(['gate-scanner'], { sub: 'scanner-1' });
    const { credential } = await json<{ credential: string }>(await h.request(`/v1/cards/${cardNumber}/credential`, { token: admin }), 200);
    const gate = async () => json<{ decision: string; reason: string }>(await post('/v1/gate/checks', { credential, venue: 'STA', zone: '1', gate: 'STA-N1' }, scanner), 200);
    expect(await gate()).toMatchObject({ decision: 'allow' });

    for (const token of [fra, officer, security]) expect((await post(`${apps}/${app.id}/erasure`, { reason: 'request' }, token)).status).toBe(403);
    expect((await post(`${apps}/${app.id}/erasure`, {}, dpo)).status).toBe(400);

    const result = await json<{ state: string; cardRevoked: string | null; withdrawal: string; erasedBy: string; erasedAt: string }>(
      await post(`${apps}/${app.id}/erasure`, { reason: 'GDPR Art. 17 request DP-0042' }, dpo),
      200,
    );
    expect(result).toMatchObject({ state: 'revoked', cardRevoked: cardNumber, withdrawal: 'revoke', erasedBy: 'dpo-1' });

    // The raw row: markers, no ciphertext, nothing of the person anywhere in the tables.
    const raw = await rawRow(app.id);
    expect(raw).toMatchObject({ family_name: '[erased]', personal_kid: null, personal_key: null, personal_data: null });
    expect(raw?.erased_at).not.toBeNull();
    for (const table of ['application', 'application_history', 'outbox_event', 'card', 'card_upgrade', 'gate_check', 'revocation'] as const) {
      const text = await tableText(table);
      for (const value of [body.familyName, body.givenName, body.passportNumber, body.photoReference]) expect(text).not.toContain(value);
    }

    // The card: revoked, on the revocation list, and the event published.
    const card = await json<{ status: string }>(await h.request(`/v1/cards/${cardNumber}`, { token: admin }), 200);
    expect(card.status).toBe('revoked');
    expect(await gate()).toMatchObject({ decision: 'deny', reason: 'revoked' });
    const revokedCredentials = await pg.query('SELECT jti FROM credential WHERE card_number = $1 AND revoked_at IS NULL', [cardNumber]);
    expect(revokedCredentials.rows).toEqual([]);
    const page = await json<{ items: { kind: string; card: string }[] }>(await h.request(`/v1/revocations?after=${seqBefore}`, { token: admin }), 200);
    expect(page.items).toContainEqual(expect.objectContaining({ kind: 'card-revoked', card: cardNumber }));
    // Other systems are told to erase their copies: one event, after the card's revocation, with ids only.
    const told = await erasedEvents(app.id);
    expect(told).toHaveLength(1);
    const published = (await h.readStream('ACCREDITATION')).slice(streamBefore).map((m) => m.subject);
    expect(published.indexOf(`oms.accreditation.v1.card.${EDITION}.revoked`)).toBeGreaterThanOrEqual(0);
    expect(published.indexOf(`oms.accreditation.v1.card.${EDITION}.revoked`)).toBeLessThan(published.indexOf(ERASED_SUBJECT));
    expect(erasedData(told[0])).toEqual({ edition: EDITION, applicationId: app.id, cardNumber, erasedAt: result.erasedAt });
    const message = JSON.stringify(told[0]?.json);
    for (const value of [body.familyName, body.givenName, body.dateOfBirth, body.passportNumber, body.photoReference, 'seen by service X', 'press day of', 'GDPR Art. 17', 'dpo-1']) {
      expect(message).not.toContain(value);
    }

    // The audit trail: every entry kept (who, when, what), free text erased, the withdrawal and the erasure added.
    const history = await json<{ items: { by: string; action: string; from: string | null; to: string; reason: string | null }[] }>(await h.request(`${apps}/${app.id}/history`, { token: admin }), 200);
    expect(history.items).toHaveLength(historyBefore.n + 2);
    expect(history.items.map((e) => e.action)).toEqual(['submit', 'start-vetting', 'record-vetting', 'approve', 'issue-card', 'activate', 'upgrade', 'revoke', 'erase']);
    expect(history.items.find((e) => e.action === 'start-vetting')).toMatchObject({ by: 'admin-1', from: 'submitted', to: 'vetting', reason: '[erased]' });
    expect(history.items.at(-1)).toMatchObject({ by: 'dpo-1', action: 'erase', from: 'revoked', to: 'revoked', reason: 'GDPR Art. 17 request DP-0042' });
    const exported = await json<{ application: Application & { erasedAt: string; vetting?: { note: string | null } }; cards: { upgrades: { reason: string }[] }[]; gateChecks: unknown[] }>(await h.request(`${apps}/${app.id}/personal-data`, { token: admin }), 200);
    expect(exported.application).toMatchObject({ familyName: '[erased]', passportNumber: null, photoReference: null, erasedAt: result.erasedAt });
    expect(exported.application.vetting?.note).toBeNull();
    expect(exported.cards[0]?.upgrades).toEqual([expect.objectContaining({ zones: ['4'], reason: '[erased]', createdBy: 'admin-1' })]);
    // The inserted check and the two real ones (allowed before the erasure, refused after), kept.
    expect(exported.gateChecks).toHaveLength(3);

    // Again: 409, nothing changed; and the application moves no more.
    const again = await post(`${apps}/${app.id}/erasure`, { reason: 'twice' }, admin);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: expect.stringContaining('already-erased'), erasedAt: result.erasedAt });
    expect((await pg.query('SELECT count(*)::int AS n FROM application_history WHERE application_id = $1', [app.id])).rows[0]).toEqual({ n: historyBefore.n + 2 });
    // ... and no second event: none written, none published.
    await outboxDrained();
    expect((await pg.query('SELECT count(*)::int AS n FROM outbox_event WHERE subject = $1 AND payload::text LIKE $2', [ERASED_SUBJECT, `%${app.id}%`])).rows[0]).toEqual({ n: 1 });
    expect((await h.readStream('ACCREDITATION')).filter((m) => m.subject === ERASED_SUBJECT && JSON.stringify(m.json).includes(app.id))).toHaveLength(1);
  });

  it('erases an application without a card by withdrawing it (rejected: the quota place comes back); it moves no more', async () => {
    const app = await submit(person());
    await json(await post(`${apps}/${app.id}/transitions`, { to: 'vetting', reason: 'checks' }, admin), 200);
    const used = async () => ((await pg.query("SELECT used FROM quota WHERE edition = $1 AND organisation = 'FRA' AND category = 'AA'", [EDITION])).rows[0] as { used: number }).used;
    const usedBefore = await used();
    const result = await json<{ state: string; cardRevoked: string | null; withdrawal: string; erasedAt: string }>(await post(`${apps}/${app.id}/erasure`, { reason: 'withdrawn by the person' }, admin), 200);
    expect(result).toMatchObject({ state: 'rejected', cardRevoked: null, withdrawal: 'reject' });
    expect(await used()).toBe(usedBefore - 1);
    const told = await erasedEvents(app.id);
    expect(told).toHaveLength(1);
    expect(erasedData(told[0])).toEqual({ edition: EDITION, applicationId: app.id, cardNumber: null, erasedAt: result.erasedAt });
    const refused = await post(`${apps}/${app.id}/transitions`, { to: 'vetting', reason: 'again' }, admin);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ type: expect.stringContaining('application-erased') });
  });

  it('tells other systems to erase their copies of a person whose card was revoked before: the card number in it, nothing revoked again', async () => {
    const body = person();
    const { app, cardNumber } = await carded(body);
    await json(await post(`/v1/cards/${cardNumber}/revoke`, { reason: `left, ${body.familyName}` }, admin), 200);
    await outboxDrained();
    const streamBefore = (await h.readStream('ACCREDITATION')).length;
    const result = await json<{ cardRevoked: string | null; withdrawal: string | null; erasedAt: string }>(await post(`${apps}/${app.id}/erasure`, { reason: 'DP-0043' }, dpo), 200);
    expect(result).toMatchObject({ cardRevoked: null, withdrawal: null });
    const told = await erasedEvents(app.id);
    expect(told).toHaveLength(1);
    expect(erasedData(told[0])).toEqual({ edition: EDITION, applicationId: app.id, cardNumber, erasedAt: result.erasedAt });
    expect(Object.keys((told[0]?.json as { data: object }).data).sort()).toEqual(['applicationId', 'cardNumber', 'edition', 'erasedAt']);
    for (const value of [body.familyName, body.givenName, body.passportNumber, body.photoReference]) expect(JSON.stringify(told[0]?.json)).not.toContain(value);
    await outboxDrained();
    expect((await h.readStream('ACCREDITATION')).slice(streamBefore).map((m) => m.subject)).toEqual([ERASED_SUBJECT]);
  });
});
