/**
 * The public portal over plain HTTP (docs/volunteers-portal.md), against real PostgreSQL and NATS: the form post as
 * a browser sends it (urlencoded), errors next to their fields with everything typed kept (and escaped), duplicates,
 * the honeypot, the body cap (413), the per-address limit (429) while the recruiter API keeps answering, unknown
 * tokens (404 page), one token never showing another application, the answers to an offer and the withdrawal.
 */
import { execFile } from 'node:child_process';
import { Client } from 'pg';

import { CampaignService } from '../campaign/campaign.service';
import { applicationForm } from '../test-support/browser';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { type Harness, startVolunteers } from '../test-support/harness';

/** Form posts allowed per address in this file (per 10 minutes). */
const LIMIT = 6;
let address = 0;
/** A client address of its own (the loopback peer is a trusted proxy by default: X-Forwarded-For names the client). */
const newClient = () => `198.51.100.${++address}`;

describe('volunteers: public portal (HTTP)', () => {
  let h: Harness;
  let pg: Client;

  beforeAll(async () => {
    h = await startVolunteers({ VOLUNTEERS_PORTAL_POSTS_PER_ADDRESS: String(LIMIT) });
    const manager = await h.token(['volunteer-manager']);
    expect((await h.request('/v1/editions/OG2024/campaign', { method: 'PUT', json: DEMO_CAMPAIGN, token: manager })).status).toBe(200);
    pg = new Client({ connectionString: h.db!.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  const post = (path: string, body: string | URLSearchParams, headers: Record<string, string> = {}) =>
    fetch(`${h.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': newClient(), ...headers },
      body: body.toString(),
    });
  const applications = async () => Number((await pg.query('SELECT count(*)::int AS n FROM application')).rows[0].n);
  const tokenIn = (page: string) => /href="\/status\/([A-Za-z0-9_-]{43})"/.exec(page)?.[1];

  it('serves the form in the browser language, with the security headers and a language switch', async () => {
    const res = await h.request('/apply', { headers: { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await res.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Devenir volontaire');
    expect(page).toContain('Services aux spectateurs');
    expect(page).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    expect(page).toContain('<a href="/apply?lang=en" hreflang="en" lang="en">English</a>');

    const switched = await h.request('/apply?lang=en', { headers: { 'accept-language': 'fr' } });
    expect(await switched.text()).toContain('<html lang="en">');
    expect(switched.headers.get('set-cookie')).toMatch(/^lang=en; Path=\/;.*HttpOnly/);
    const remembered = await h.request('/apply', { headers: { 'accept-language': 'fr', cookie: 'lang=en' } });
    expect(await remembered.text()).toContain('<html lang="en">');
    // A language without a catalogue, or not offered, falls back to English.
    expect(await (await h.request('/apply', { headers: { 'accept-language': 'de' } })).text()).toContain('<html lang="en">');

    const css = await h.request('/portal.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('takes a form post and answers a private status link, whose page says where the application stands', async () => {
    const before = await applications();
    const res = await post('/apply', applicationForm({ familyName: 'Arnaud', givenName: 'Lucie', dateOfBirth: '1991-02-03' }));
    expect(res.status).toBe(201);
    const page = await res.text();
    expect(page).toContain('Application received');
    expect(page).toContain('Thank you, Lucie.');
    const token = tokenIn(page);
    expect(token).toBeDefined();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await applications()).toBe(before + 1);
    const stored = await pg.query('SELECT family_name, stage, locale, fields FROM application WHERE family_name = $1', ['Arnaud']);
    expect(stored.rows).toEqual([{ family_name: 'Arnaud', stage: 'applied', locale: 'en', fields: ['sport', 'medical'] }]);

    const status = await h.request(`/status/${token}`);
    expect(status.status).toBe(200);
    expect(status.headers.get('referrer-policy')).toBe('no-referrer');
    expect(status.headers.get('cache-control')).toBe('no-store');
    const html = await status.text();
    expect(html).toContain('Lucie Arnaud');
    expect(html).toContain('Received: we will review it.');
    expect(html).toContain('<li>Sport</li><li>Medical services</li>');
    expect(html).toContain(`action="/status/${token}/withdraw"`);
    expect(html).not.toContain('/answer"');
  });

  it('shows each error next to its field, in the form language, keeping (and escaping) what was typed', async () => {
    const before = await applications();
    const res = await post(
      '/apply',
      applicationForm({
        locale: 'fr',
        familyName: '<script>alert("x")</script>',
        givenName: '',
        email: 'not-an-email',
        dateOfBirth: '2001-02-30',
        'language.fr': '',
        'language.en': '',
        'availability.0.from': '2024-08-20',
        'availability.0.to': '2024-08-10',
        'fields.0': 'sport',
        'fields.1': 'sport',
        consent: '',
      }),
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(await applications()).toBe(before);
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<title>Erreur: Devenir volontaire');
    // Escaped, never markup.
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    // Each error next to its control, tied to it, and linked from the summary.
    const errorOf = (id: string) => new RegExp(`<p class="error-message" id="${id}-error"><strong>Erreur:</strong> ([^<]+)</p>`).exec(page)?.[1];
    expect(errorOf('givenName')).toBe('Ce champ est obligatoire');
    expect(errorOf('email')).toBe('Saisissez une adresse e-mail comme nom@exemple.fr');
    expect(errorOf('dateOfBirth')).toBe('Saisissez une date réelle au format année-mois-jour, par ex. 1990-05-31');
    expect(errorOf('languages')).toBe('Choisissez un niveau pour au moins une langue');
    expect(errorOf('availability-0')).toBe('La fin de la période est avant son début');
    expect(errorOf('fields')).toBe('Choisissez chaque domaine d’activité une seule fois');
    expect(errorOf('consent')).toBe('Vous devez accepter la politique de confidentialité pour candidater');
    expect(page).toMatch(/<input type="date" id="dateOfBirth" name="dateOfBirth" value="2001-02-30" required autocomplete="bday"[^>]* aria-describedby="dateOfBirth-hint dateOfBirth-error" aria-invalid="true">/);
    expect(page).toContain('<a href="#dateOfBirth">Date de naissance: Saisissez une date réelle au format année-mois-jour, par ex. 1990-05-31</a>');
    expect(page).toContain('value="not-an-email"');
    expect(page).toContain('<option value="sport" selected>Sport</option>');
    expect(page).toMatch(/name="skills" value="first-aid" checked/);
  });

  it('applies the age rule: a date of birth after the configured date is shown next to its field', async () => {
    const res = await post('/apply', applicationForm({ dateOfBirth: '2012-05-01', familyName: 'Young' }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<p class="error-message" id="dateOfBirth-error"><strong>Error:</strong> You must be born on or before 26 July 2006</p>');
    expect(page).toContain('<a href="#dateOfBirth">Date of birth: You must be born on or before 26 July 2006</a>');
  });

  it('shows "too young" together with the other errors, not once they are fixed', async () => {
    const res = await post('/apply', applicationForm({ dateOfBirth: '2012-05-01', familyName: 'Young', givenName: '', email: 'not-an-email' }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<p class="error-message" id="dateOfBirth-error"><strong>Error:</strong> You must be born on or before 26 July 2006</p>');
    expect(page).toContain('<p class="error-message" id="givenName-error"><strong>Error:</strong> This is required</p>');
    expect(page).toContain('<p class="error-message" id="email-error"><strong>Error:</strong> Enter an email address like name@example.org</p>');
  });

  it('withdraws with a reason of the list and the applicant\'s own words (capped), which the recruiter reads', async () => {
    const token = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Renard', givenName: 'Rémi', dateOfBirth: '1985-06-07' }))).text())!;
    const page = await (await h.request(`/status/${token}`)).text();
    expect(page).toContain('<label for="withdraw-reason">Why are you withdrawing? <span class="req">(optional)</span></label>');
    expect(page).toContain('<option value="health">Health reasons</option>');
    expect(page).toMatch(/<textarea id="withdraw-text" name="reasonText" maxlength="300" rows="3" aria-describedby="withdraw-text-hint"><\/textarea>/);
    const fr = await (await h.request(`/status/${token}?lang=fr`)).text();
    expect(fr).toContain('<option value="other-commitment">Un autre engagement (travail, études)</option>');

    expect((await post(`/status/${token}/withdraw`, 'confirm=yes&reason=bored')).status).toBe(400);
    const words = `<b>Nouveau</b> travail ${'x'.repeat(400)}`;
    const done = await post(`/status/${token}/withdraw`, new URLSearchParams({ confirm: 'yes', reason: 'other-commitment', reasonText: words }));
    expect(done.status).toBe(303);
    const { rows } = await pg.query(
      "SELECT h.application_id AS id, h.reason, h.details FROM application_history h JOIN application a ON a.id = h.application_id WHERE a.family_name = 'Renard' AND h.action = 'withdraw'",
    );
    expect(rows).toEqual([{ id: expect.any(String), reason: words.slice(0, 300), details: { reasonCode: 'other-commitment' } }]);
    const recruiter = await h.token(['volunteer-recruiter']);
    const view = (await (await h.request(`/v1/editions/OG2024/applications/${rows[0].id}`, { token: recruiter })).json()) as Record<string, unknown>;
    expect(view['withdrawal']).toMatchObject({ by: 'applicant', reasonCode: 'other-commitment', reason: words.slice(0, 300) });
  });

  it('downloads the applicant\'s data as a JSON file and erases it after a confirmation; the link then leads nowhere', async () => {
    const token = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Effacée', givenName: 'Margaux', dateOfBirth: '1979-09-09', email: 'margaux.e@example.org' }))).text())!;
    const other = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Gardée', givenName: 'Paul', dateOfBirth: '1979-09-10' }))).text())!;
    const page = await (await h.request(`/status/${token}`)).text();
    expect(page).toContain(`<a href="/status/${token}/personal-data" download>Download my data (JSON file)</a>`);
    expect(page).toContain(`<a href="/status/${token}/erase">Erase my data</a>`);

    const file = await h.request(`/status/${token}/personal-data`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="volunteer-application-[0-9a-f-]{36}\.json"$/);
    expect(file.headers.get('cache-control')).toBe('no-store');
    const exported = (await file.json()) as { format: string; exportedBy: string; application: Record<string, unknown>; history: { by: string }[] };
    expect(exported).toMatchObject({ format: 'podium.volunteers-personal-data/v1', exportedBy: 'applicant' });
    expect(exported.application).toMatchObject({ familyName: 'Effacée', email: 'margaux.e@example.org', dateOfBirth: '1979-09-09', nationality: 'FRA', stage: 'applied' });
    expect(exported.history.map((e) => e.by)).toEqual(['applicant']);
    expect(JSON.stringify(exported)).not.toContain('Gardée');

    const confirm = await h.request(`/status/${token}/erase?lang=fr`);
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('<h1>Effacer vos données personnelles</h1>');
    expect(confirmPage).toContain(`<form method="post" action="/status/${token}/erase" novalidate>`);
    const unconfirmed = await post(`/status/${token}/erase`, 'locale=fr');
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('Cochez la case pour confirmer.');
    expect((await pg.query("SELECT erased_at FROM application WHERE family_name = 'Effacée'")).rows[0].erased_at).toBeNull();

    const erased = await post(`/status/${token}/erase`, 'confirm=yes&locale=fr');
    expect(erased.status).toBe(200);
    const erasedPage = await erased.text();
    expect(erasedPage).toContain('Vos données ont été effacées');
    expect(erasedPage).not.toContain(token);
    const { rows } = await pg.query(
      "SELECT a.family_name, a.stage, a.personal_data, h.by, h.reason FROM application a JOIN application_history h ON h.application_id = a.id AND h.action = 'erase' WHERE a.given_name = '[erased]' AND a.erased_at IS NOT NULL",
    );
    expect(rows).toEqual([{ family_name: '[erased]', stage: 'withdrawn', personal_data: null, by: 'applicant', reason: 'requested by the applicant on the status page' }]);
    for (const path of [`/status/${token}`, `/status/${token}/personal-data`, `/status/${token}/erase`]) expect((await h.request(path)).status).toBe(404);
    expect((await post(`/status/${token}/erase`, 'confirm=yes')).status).toBe(404);
    expect((await post(`/status/${token}/withdraw`, 'confirm=yes')).status).toBe(404);
    // The other application is untouched, and the same person may apply again.
    expect(await (await h.request(`/status/${other}`)).text()).toContain('Paul Gardée');
    expect((await post('/apply', applicationForm({ familyName: 'Effacée', givenName: 'Margaux', dateOfBirth: '1979-09-09' }))).status).toBe(201);
    expect((await h.request('/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/personal-data')).status).toBe(404);
  });

  it('refuses the same person twice with a clear message that reveals nothing of the first application', async () => {
    const first = await post('/apply', applicationForm({ familyName: 'Dupont-Moreau', givenName: 'Élise', dateOfBirth: '1980-01-15' }));
    expect(first.status).toBe(201);
    const again = await post(
      '/apply',
      applicationForm({ familyName: 'dupont moreau', givenName: 'Elise', dateOfBirth: '1980-01-15', email: 'other@example.org', locale: 'en' }),
    );
    expect(again.status).toBe(409);
    const page = await again.text();
    expect(page).toContain('has already been received');
    expect(tokenIn(page)).toBeUndefined();
    expect(page).not.toContain('Dupont-Moreau');
    expect(page).toContain('value="dupont moreau"');
  });

  it('answers a filled honeypot as accepted, stores nothing, and its link leads nowhere', async () => {
    const before = await applications();
    const res = await post('/apply', applicationForm({ familyName: 'Robot', website: 'http://spam.example' }));
    expect(res.status).toBe(201);
    const page = await res.text();
    expect(page).toContain('Application received');
    const token = tokenIn(page);
    expect(token).toBeDefined();
    expect(await applications()).toBe(before);
    expect((await h.request(`/status/${token}`)).status).toBe(404);
  });

  it('caps the body at 16 KB (413 page) and takes only urlencoded forms (415 page)', async () => {
    const before = await applications();
    const big = await post('/apply', applicationForm({ familyName: 'x'.repeat(17 * 1024) }));
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('Too much data');
    expect(big.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // Without Content-Length (chunked): stopped as soon as the cap is passed.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(`familyName=${'y'.repeat(1000)}&`));
        controller.close();
      },
    });
    const streamed = await fetch(`${h.url}/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': newClient() },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const json = await post('/apply', JSON.stringify({ familyName: 'Json' }), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(await applications()).toBe(before);
  });

  it('answers the busy page (503, Retry-After) when the database is away for a moment, a 500 page for anything else', async () => {
    const campaigns = h.app.get(CampaignService);
    const restarting = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const spy = jest.spyOn(campaigns, 'get').mockRejectedValueOnce(restarting).mockRejectedValueOnce(new Error('a bug'));
    try {
      const busy = await h.request('/apply');
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(busy.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await busy.text()).toContain('Service busy');
      const bug = await h.request('/apply');
      expect(bug.status).toBe(500);
      expect(bug.headers.get('retry-after')).toBeNull();
    } finally {
      spy.mockRestore();
    }
    expect((await h.request('/apply')).status).toBe(200);
  });

  it('answers a 404 page for an unknown token, well formed or not', async () => {
    for (const token of ['A'.repeat(43), 'nope', '..%2F..%2Fetc', '<b>x</b>']) {
      const res = await h.request(`/status/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toContain('Page not found');
      expect(page).not.toContain('<b>x</b>');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
    const answer = await post(`/status/${'B'.repeat(43)}/answer`, 'answer=accept');
    expect(answer.status).toBe(404);
  });

  it('answers an offer and withdraws by the token; one token never shows nor moves another application', async () => {
    const tokenA = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Aubert', givenName: 'Anna', dateOfBirth: '1990-01-01' }))).text())!;
    const tokenB = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Bernard', givenName: 'Bruno', dateOfBirth: '1990-01-02' }))).text())!;
    const tokenC = tokenIn(await (await post('/apply', applicationForm({ familyName: 'Colin', givenName: 'Chloé', dateOfBirth: '1990-01-03' }))).text())!;
    // Offers made as the pipeline makes them (stage offered, role, venue, deadline): C's deadline has passed.
    const offer = (family: string, deadline: string) =>
      pg.query(
        `UPDATE application SET stage = 'offered', offer_role = 'Spectator guide', offer_area = 'Event services', offer_venue = 'Stade de France', offer_deadline = $2
         WHERE family_name = $1`,
        [family, deadline],
      );
    await offer('Aubert', '2099-01-01T12:00:00Z');
    await offer('Bernard', '2099-01-01T12:00:00Z');
    await offer('Colin', '2000-01-01T00:00:00Z');

    const pageA = await (await h.request(`/status/${tokenA}`)).text();
    expect(pageA).toContain('Anna Aubert');
    expect(pageA).not.toContain('Bernard');
    expect(pageA).toContain('Stade de France');
    expect(pageA).toContain('1 January 2099 at 12:00 UTC');
    expect(pageA).toContain(`action="/status/${tokenA}/answer"`);
    expect(pageA).not.toContain(tokenB);

    const accepted = await post(`/status/${tokenA}/answer`, 'answer=accept');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`/status/${tokenA}?done=1`);
    const afterA = await (await h.request(`/status/${tokenA}?done=1`)).text();
    expect(afterA).toContain('Your answer has been recorded.');
    expect(afterA).toContain('You accepted the offer');
    // Colin's stage is left out: the service's lapse sweep may write it down as lapsed at any moment.
    const stages = async () =>
      Object.fromEntries((await pg.query('SELECT family_name, stage FROM application WHERE family_name IN ($1, $2)', ['Aubert', 'Bernard'])).rows.map((r) => [r.family_name, r.stage]));
    expect(await stages()).toEqual({ Aubert: 'accepted', Bernard: 'offered' });

    // A's answer again: refused (accepted is not offered any more), B untouched.
    const twice = await post(`/status/${tokenA}/answer`, 'answer=decline');
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('This is no longer possible');
    expect(await stages()).toEqual({ Aubert: 'accepted', Bernard: 'offered' });

    // Past its deadline: no answer forms, and a posted answer is refused as lapsed.
    const pageC = await (await h.request(`/status/${tokenC}`)).text();
    expect(pageC).not.toContain('/answer"');
    expect(pageC).toContain('The offer was not answered in time and has lapsed.');
    const late = await post(`/status/${tokenC}/answer`, 'answer=accept');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('has lapsed');
    expect((await pg.query('SELECT stage FROM application WHERE family_name = $1', ['Colin'])).rows[0].stage).not.toBe('accepted');

    // Withdrawal needs its confirmation box.
    const unconfirmed = await post(`/status/${tokenB}/withdraw`, '');
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('Tick the box to confirm.');
    expect((await post(`/status/${tokenB}/withdraw`, 'confirm=yes')).status).toBe(303);
    expect(await stages()).toEqual({ Aubert: 'accepted', Bernard: 'withdrawn' });
    const pageB = await (await h.request(`/status/${tokenB}`)).text();
    expect(pageB).toContain('You withdrew your application.');
    expect(pageB).not.toContain('/withdraw"');
  });

  it('limits form posts per client address (429 with Retry-After) while the recruiter API keeps answering', async () => {
    const flooder = '203.0.113.66';
    const recruiter = await h.token(['volunteer-recruiter']);
    const before = await applications();
    const read = async () => {
      const started = performance.now();
      const res = await h.request('/v1/editions/OG2024/campaign', { token: recruiter });
      expect(res.status).toBe(200);
      await res.json();
      return performance.now() - started;
    };
    const p95Of = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? 0;
    const quiet: number[] = [];
    for (let i = 0; i < 40; i++) quiet.push(await read());
    // The flood comes from another process (its clients' work is not this process's, where the service runs): 8
    // concurrent clients, 50 posts each; it prints every status, and whether each 429 had a Retry-After.
    const form = applicationForm({ familyName: 'Flood', dateOfBirth: '1970-01-01' }).toString();
    const script = `
      const [url, address, body] = process.argv.slice(1);
      const statuses = [];
      let retryAfter = true;
      const worker = async () => {
        for (let i = 0; i < 50; i++) {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address }, body });
          statuses.push(res.status);
          if (res.status === 429 && !(Number(res.headers.get('retry-after')) > 0)) retryAfter = false;
          await res.arrayBuffer();
        }
      };
      Promise.all(Array.from({ length: 8 }, worker)).then(() => process.stdout.write(JSON.stringify({ statuses, retryAfter })));`;
    let flooding = true;
    const flood = new Promise<{ statuses: number[]; retryAfter: boolean }>((resolve, reject) => {
      execFile(process.execPath, ['-e', script, `${h.url}/apply`, flooder, form], { timeout: 60_000 }, (error, stdout) => {
        flooding = false;
        if (error) reject(error);
        else resolve(JSON.parse(stdout) as { statuses: number[]; retryAfter: boolean });
      });
    });
    // The recruiter API during the flood.
    const latencies: number[] = [];
    while (flooding) latencies.push(await read());
    const { statuses, retryAfter } = await flood;
    expect(retryAfter).toBe(true);
    const p95 = p95Of(latencies);
    // Figures for the reader. The counts are exact; the time bound is generous (CI's machine runs other tests beside).
    process.stdout.write(
      `flood: ${statuses.length} posts, ${statuses.filter((s) => s === 429).length} refused; recruiter API: p95 ${p95Of(quiet).toFixed(1)} ms ` +
        `before, ${p95.toFixed(1)} ms during the flood (${latencies.length} reads, max ${Math.max(...latencies).toFixed(1)} ms)\n`,
    );
    expect(statuses).toHaveLength(400);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1); // the others of the LIMIT are duplicates (409)
    expect(await applications()).toBe(before + 1);
    expect(latencies.length).toBeGreaterThan(5);
    expect(p95).toBeLessThan(500);

    // Another address is not limited by the flood.
    expect((await post('/apply', applicationForm({ familyName: 'Neighbour', dateOfBirth: '1971-01-01' }))).status).toBe(201);
    // The 429 page is in the visitor's language.
    const limited = await fetch(`${h.url}/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': flooder, 'accept-language': 'fr' },
      body: 'familyName=x',
    });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Trop de tentatives');
  });
});
