/**
 * The portal's tests: headless Chromium (Debian's `chromium` driven by `playwright-core`, launched as the widget test
 * of results-distribution does), axe-core to audit a page, and the application form as a browser posts it.
 * Without Chromium, playwright-core or axe-core the browser tests FAIL and say what to install; they never skip.
 * Test-only code (excluded from the app build).
 */
import { existsSync, readFileSync } from 'node:fs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The part of playwright-core's API the portal tests use (page functions are passed as source: no DOM types here). */
export interface PlaywrightLocator {
  fill(value: string): Promise<void>;
  check(): Promise<void>;
  selectOption(value: string): Promise<unknown>;
  click(): Promise<void>;
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
}
export interface PlaywrightResponse {
  status(): number;
  headers(): Record<string, string>;
}
export interface PlaywrightPage {
  goto(url: string): Promise<PlaywrightResponse | null>;
  locator(selector: string): PlaywrightLocator;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): PlaywrightLocator;
  getByRole(role: string, options?: { name?: string | RegExp }): PlaywrightLocator;
  waitForURL(url: string | RegExp, options?: { timeout?: number }): Promise<void>;
  waitForEvent(event: 'load', options?: { timeout?: number }): Promise<unknown>;
  waitForEvent(event: 'download', options?: { timeout?: number }): Promise<PlaywrightDownload>;
  evaluate(expression: string): Promise<unknown>;
  url(): string;
  content(): Promise<string>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}
export interface PlaywrightDownload {
  suggestedFilename(): string;
  /** Where the downloaded file was saved (the context's temporary directory). */
  path(): Promise<string | null>;
}
export interface PlaywrightContext {
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
}
export interface PlaywrightBrowser {
  newContext(options?: {
    javaScriptEnabled?: boolean;
    bypassCSP?: boolean;
    locale?: string;
    extraHTTPHeaders?: Record<string, string>;
    viewport?: { width: number; height: number };
  }): Promise<PlaywrightContext>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<PlaywrightBrowser> };
}

/** Launches headless Chromium, or fails saying what is missing. */
export async function launchChromium(): Promise<PlaywrightBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The portal's browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  let playwright: PlaywrightCore;
  try {
    playwright = require('playwright-core') as PlaywrightCore;
  } catch (error) {
    throw new Error(`The portal's browser tests need the npm package playwright-core (npm install --save-dev playwright-core): ${String(error)}`);
  }
  return playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** Clicks a button or link that loads another page, and waits until that page has loaded. */
export async function clickAndLoad(page: PlaywrightPage, target: PlaywrightLocator): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: 15_000 }), target.click()]);
}

/** axe-core's browser script (AXE_CORE_PATH, or the axe-core package), or a failure that says what to install. */
export function axeSource(): string {
  const path = process.env['AXE_CORE_PATH'];
  try {
    return readFileSync(path ?? require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch (error) {
    throw new Error(`The portal's accessibility tests need the npm package axe-core (npm install --save-dev axe-core): ${String(error)}`);
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core on the page with the WCAG 2.0/2.1 A and AA rules and answers the violations. Evaluated through the
 * DevTools protocol (as a test harness does), so the page's CSP, which allows no script, stays as it is.
 */
export async function axeViolations(page: PlaywrightPage, source: string): Promise<AxeViolation[]> {
  await page.evaluate(source);
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) })))`)) as AxeViolation[];
}

/** A complete application as the form posts it (control names of portal/form.ts), for the demo campaign. */
export function applicationForm(over: Record<string, string | string[]> = {}): URLSearchParams {
  const fields: Record<string, string | string[]> = {
    locale: 'en',
    familyName: 'Lefèvre',
    givenName: 'Camille',
    email: 'camille.lefevre@example.org',
    phone: '+33 6 12 34 56 78',
    dateOfBirth: '1994-04-12',
    nationality: 'FRA',
    'language.fr': 'native',
    'language.en': 'C1',
    'language.es': '',
    'language.de': '',
    skills: ['first-aid', 'photography'],
    drivingLicence: 'yes',
    'availability.0.from': '2024-07-20',
    'availability.0.to': '2024-08-11',
    'availability.1.from': '',
    'availability.1.to': '',
    'fields.0': 'sport',
    'fields.1': 'medical',
    'fields.2': '',
    tshirtSize: 'M',
    consent: 'yes',
    website: '',
    ...over,
  };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return form;
}
