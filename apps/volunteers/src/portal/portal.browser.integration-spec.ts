/**
 * The public portal in headless Chromium (Debian's `chromium` driven by `playwright-core`, as results-distribution's
 * widget test): a whole application typed in the page, a bad date of birth shown next to its field, the status page
 * after an offer and its answer, the same with JavaScript off (a withdrawal with its reason, the applicant's data
 * downloaded and erased), and axe-core (WCAG 2.1 A and AA) on the form, the form with errors, the status page and the
 * erasure's pages, in English and French.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH), playwright-core and axe-core (or AXE_CORE_PATH): without them this
 * test FAILS and says so; it never skips. PORTAL_SCREENSHOT=<file.png> also writes a screenshot of the form.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

import {
  applicationForm,
  type AxeViolation,
  axeSource,
  axeViolations,
  clickAndLoad,
  launchChromium,
  type PlaywrightBrowser,
  type PlaywrightContext,
  type PlaywrightPage,
} from '../test-support/browser';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { type Harness, startVolunteers } from '../test-support/harness';

let browser: PlaywrightBrowser | undefined;
let h: Harness | undefined;
let pg: Client | undefined;
let axe = '';

beforeAll(async () => {
  axe = axeSource();
  browser = await launchChromium();
  h = await startVolunteers();
  const manager = await h.token(['volunteer-manager']);
  const put = await h.request('/v1/editions/OG2024/campaign', { method: 'PUT', json: DEMO_CAMPAIGN, token: manager });
  expect(put.status).toBe(200);
  pg = new Client({ connectionString: h.db!.url });
  await pg.connect();
});

afterAll(async () => {
  await browser?.close();
  await pg?.end();
  await h?.close();
});

/** A page of a new context (its own cookies), closed after the test. */
const contexts: PlaywrightContext[] = [];
async function newPage(options: Parameters<PlaywrightBrowser['newContext']>[0] = {}): Promise<PlaywrightPage> {
  const context = await browser!.newContext({ locale: 'en-GB', ...options });
  contexts.push(context);
  return context.newPage();
}
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** axe-core's WCAG 2.1 A/AA violations, one line each, so that a failure says what and where. */
async function expectAccessible(page: PlaywrightPage): Promise<void> {
  const violations: AxeViolation[] = await axeViolations(page, axe);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Types a whole application in the page, as a person would (by the labels where they are unique). */
async function typeApplication(page: PlaywrightPage, person: { family: string; given: string; dob: string }): Promise<void> {
  await page.getByLabel(/^Family name/).fill(person.family);
  await page.getByLabel(/^Given name/).fill(person.given);
  await page.getByLabel(/^Email address/).fill(`${person.family.toLowerCase()}@example.org`);
  await page.getByLabel(/^Phone number/).fill('+33 6 12 34 56 78');
  await page.getByLabel(/^Date of birth/).fill(person.dob);
  await page.getByLabel(/^Nationality/).fill('fra');
  await page.getByLabel('French', { exact: true }).selectOption('native');
  await page.getByLabel('English', { exact: true }).selectOption('B2');
  await page.getByLabel('First aid').check();
  await page.locator('#drivingLicence-no').check();
  await page.locator('#availability-0-from').fill('2024-07-20');
  await page.locator('#availability-0-to').fill('2024-08-11');
  await page.locator('#availability-1-from').fill('2024-08-28');
  await page.locator('#availability-1-to').fill('2024-09-08');
  await page.getByLabel(/^Choice 1/).selectOption('spectator-services');
  await page.getByLabel(/^Choice 2/).selectOption('transport');
  await page.getByLabel(/^T-shirt size/).selectOption('L');
  await page.getByLabel(/^I have read the privacy notice/).check();
}

describe('public portal in headless Chromium', () => {
  it('takes a whole application typed in the page and gives the private status link', async () => {
    const page = await newPage();
    const res = await page.goto(`${h!.url}/apply`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(page);
    if (process.env['PORTAL_SCREENSHOT']) {
      await page.setViewportSize({ width: 820, height: 900 });
      await page.screenshot({ path: process.env['PORTAL_SCREENSHOT'], fullPage: true });
    }

    await typeApplication(page, { family: 'Marchand', given: 'Inès', dob: '1996-09-14' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    expect(await page.locator('h1').textContent()).toBe('Application received');
    const stored = await pg!.query('SELECT given_name, languages, skills, driving_licence, fields, tshirt_size, available_dates FROM application WHERE family_name = $1', ['Marchand']);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]).toMatchObject({
      given_name: 'Inès',
      languages: [
        { code: 'fr', level: 'native' },
        { code: 'en', level: 'B2' },
      ],
      skills: ['first-aid'],
      driving_licence: false,
      fields: ['spectator-services', 'transport'],
      tshirt_size: 'L',
    });
    expect(stored.rows[0].available_dates).toHaveLength(23 + 12);

    await clickAndLoad(page, page.locator('.status-link a'));
    await page.waitForURL(/\/status\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('.who').textContent()).toContain('Inès Marchand');
    expect(await page.locator('.stage').textContent()).toBe('Received: we will review it.');
    await expectAccessible(page);
  });

  it('shows a bad date of birth next to its field, keeps what was typed, and is accessible with its errors', async () => {
    const page = await newPage({ locale: 'fr-FR' });
    await page.goto(`${h!.url}/apply?lang=en`);
    await typeApplication(page, { family: 'Petit', given: 'Hugo', dob: '2011-03-02' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    expect(await page.locator('#dateOfBirth-error').textContent()).toBe('Error: You must be born on or before 26 July 2006');
    expect(await page.locator('#dateOfBirth').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#dateOfBirth').getAttribute('aria-describedby')).toBe('dateOfBirth-hint dateOfBirth-error');
    expect(await page.locator('.error-summary a[href="#dateOfBirth"]').count()).toBe(1);
    expect(await page.evaluate(`document.querySelector('#familyName').value`)).toBe('Petit');
    expect(await page.evaluate(`document.querySelector('#dateOfBirth').value`)).toBe('2011-03-02');
    expect(await page.evaluate(`document.querySelector('#language-fr').value`)).toBe('native');
    expect(await page.evaluate(`document.querySelector('#consent').checked`)).toBe(true);
    expect(await page.evaluate(`document.title`)).toMatch(/^Error: /);
    await expectAccessible(page);
    // The switch was remembered (cookie): the next page is in English though the browser asks for French.
    await page.goto(`${h!.url}/apply`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('is in French for a French browser, and accessible', async () => {
    const page = await newPage({ locale: 'fr-FR', extraHTTPHeaders: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    await page.goto(`${h!.url}/apply`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe('Devenir volontaire');
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('button', { name: 'Envoyer ma candidature' }));
    expect(await page.locator('#familyName-error').textContent()).toBe('Erreur: Ce champ est obligatoire');
    await expectAccessible(page);
  });

  it('shows the offer on the status page and takes its acceptance', async () => {
    const page = await newPage();
    await page.goto(`${h!.url}/apply`);
    await typeApplication(page, { family: 'Gauthier', given: 'Noah', dob: '1988-11-30' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    const link = await page.locator('.status-link a').getAttribute('href');
    // The offer as the pipeline makes it (trained -> offered, with its role, venue and deadline).
    await pg!.query(
      `UPDATE application SET stage = 'offered', offer_role = 'Accreditation desk', offer_area = 'Accreditation', offer_venue = 'Arena Paris Sud',
       offer_deadline = '2099-03-01T09:30:00Z' WHERE family_name = 'Gauthier'`,
    );
    await page.goto(`${h!.url}${link}`);
    expect(await page.locator('.stage').textContent()).toBe('You have an offer: please answer it.');
    expect(await page.locator('.offer').textContent()).toContain('Arena Paris Sud');
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('button', { name: 'Accept the offer' }));
    await page.waitForURL(/\?done=1$/);
    expect(await page.locator('.notice').textContent()).toContain('Your answer has been recorded.');
    expect(await page.locator('.stage').textContent()).toBe('You accepted the offer: we will confirm it.');
    expect((await pg!.query(`SELECT stage FROM application WHERE family_name = 'Gauthier'`)).rows[0].stage).toBe('accepted');
    await expectAccessible(page);
  });

  it('works with JavaScript off: applying, errors, the status page and an answer', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${h!.url}/apply`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    expect(await page.locator('#givenName-error').textContent()).toBe('Error: This is required');
    await typeApplication(page, { family: 'Roux', given: 'Jade', dob: '1975-06-21' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    expect(await page.locator('h1').textContent()).toBe('Application received');
    await clickAndLoad(page, page.locator('.status-link a'));
    await page.waitForURL(/\/status\//);
    expect(await page.locator('.stage').textContent()).toBe('Received: we will review it.');
    await page.getByLabel(/^Why are you withdrawing\?/).selectOption('not-available');
    await page.getByLabel(/^Anything you would like to tell us/).fill('Moving to Lyon in July');
    await page.getByLabel('I understand that withdrawing is final.').check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Withdraw' }));
    await page.waitForURL(/\?done=1$/);
    expect(await page.locator('.stage').textContent()).toBe('You withdrew your application.');
    expect((await pg!.query(`SELECT stage FROM application WHERE family_name = 'Roux'`)).rows[0].stage).toBe('withdrawn');
    const withdrawal = await pg!.query(
      `SELECT h.reason, h.details FROM application_history h JOIN application a ON a.id = h.application_id WHERE a.family_name = 'Roux' AND h.action = 'withdraw'`,
    );
    expect(withdrawal.rows).toEqual([{ reason: 'Moving to Lyon in July', details: { reasonCode: 'not-available' } }]);
  });

  it('downloads the applicant\'s data and erases it after a confirmation, with JavaScript off', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${h!.url}/apply`);
    await typeApplication(page, { family: 'Lefebvre', given: 'Camille', dob: '1993-04-05' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Send my application' }));
    await clickAndLoad(page, page.locator('.status-link a'));
    await page.waitForURL(/\/status\//);
    const statusUrl = page.url();

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByRole('link', { name: 'Download my data (JSON file)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^volunteer-application-[0-9a-f-]{36}\.json$/);
    const saved = await download.path();
    const exported = JSON.parse(readFileSync(saved!, 'utf8')) as { application: Record<string, unknown> };
    expect(exported.application).toMatchObject({ familyName: 'Lefebvre', givenName: 'Camille', email: 'lefebvre@example.org', dateOfBirth: '1993-04-05', nationality: 'FRA' });

    await clickAndLoad(page, page.getByRole('link', { name: 'Erase my data' }));
    expect(await page.locator('h1').textContent()).toBe('Erase your personal data');
    await clickAndLoad(page, page.getByRole('button', { name: 'Erase my data' }));
    expect(await page.locator('#erase-confirm-error').textContent()).toBe('Error: Tick the box to confirm.');
    await page.getByLabel(/^I understand that erasing my data is final/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Erase my data' }));
    expect(await page.locator('h1').textContent()).toBe('Your data has been erased');
    expect((await pg!.query(`SELECT count(*)::int AS n FROM application WHERE family_name = 'Lefebvre'`)).rows[0].n).toBe(0);
    expect((await page.goto(statusUrl))?.status()).toBe(404);
  });

  it('has accessible personal data and erasure pages in French (the confirmation, its error, the result)', async () => {
    const page = await newPage({ locale: 'fr-FR', extraHTTPHeaders: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    const res = await fetch(`${h!.url}/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: applicationForm({ familyName: 'Girard', givenName: 'Léon', dateOfBirth: '1970-01-02', locale: 'fr' }).toString(),
    });
    expect(res.status).toBe(201);
    const token = /href="\/status\/([A-Za-z0-9_-]{43})"/.exec(await res.text())?.[1];
    await page.goto(`${h!.url}/status/${token}`);
    expect(await page.locator('#data-title').textContent()).toBe('Vos données personnelles');
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('link', { name: 'Effacer mes données' }));
    expect(await page.locator('h1').textContent()).toBe('Effacer vos données personnelles');
    await expectAccessible(page);
    await clickAndLoad(page, page.getByRole('button', { name: 'Effacer mes données' }));
    expect(await page.locator('#erase-confirm-error').textContent()).toBe('Erreur: Cochez la case pour confirmer.');
    await expectAccessible(page);
    await page.getByLabel(/^Je comprends que l’effacement de mes données est définitif/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Effacer mes données' }));
    expect(await page.locator('h1').textContent()).toBe('Vos données ont été effacées');
    await expectAccessible(page);
  });

  it('answers an unknown token with an accessible 404 page', async () => {
    const page = await newPage();
    const res = await page.goto(`${h!.url}/status/${'x'.repeat(43)}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await expectAccessible(page);
  });
});
