/**
 * Headless Chromium for tests (Debian's `chromium` driven by `playwright-core`) and axe-core to audit a page, as the
 * volunteers portal's tests do (apps/volunteers/src/test-support/browser.ts, which has more form helpers).
 * Without Chromium, playwright-core or axe-core the browser tests FAIL and say what to install; they never skip.
 * `bash tools/dev/services.sh --browser` installs Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The part of playwright-core's API these helpers and their callers use (no DOM types in this project). */
export interface BrowserRequest {
  url(): string;
}
export interface BrowserRoute {
  request(): BrowserRequest;
  continue(): Promise<void>;
  abort(errorCode?: string): Promise<void>;
}
export interface BrowserResponse {
  status(): number;
}
export interface BrowserPage {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' }): Promise<BrowserResponse | null>;
  evaluate(expression: string): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  close(): Promise<void>;
}
export interface BrowserContext {
  newPage(): Promise<BrowserPage>;
  route(url: string, handler: (route: BrowserRoute) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
export interface Browser {
  newContext(options?: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

/** Launches headless Chromium, or fails saying what is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM}: bash tools/dev/services.sh --browser (or apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  let playwright: PlaywrightCore;
  try {
    playwright = require('playwright-core') as PlaywrightCore;
  } catch (error) {
    throw new Error(`Browser tests need the npm package playwright-core (npm install --save-dev playwright-core): ${String(error)}`);
  }
  return playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** axe-core's browser script (AXE_CORE_PATH, or the axe-core package), or a failure that says what to install. */
export function axeSource(): string {
  const path = process.env['AXE_CORE_PATH'];
  try {
    return readFileSync(path ?? require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch (error) {
    throw new Error(`Accessibility tests need the npm package axe-core (npm install --save-dev axe-core): ${String(error)}`);
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** The WCAG 2.0 and 2.1 levels A and AA: what the project's pages must pass. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/**
 * Runs axe-core on the page with the WCAG 2.0/2.1 A and AA rules and answers the violations. Evaluated through the
 * DevTools protocol (as a test harness does), so the page's CSP stays as it is.
 */
export async function axeViolations(page: BrowserPage, source: string): Promise<AxeViolation[]> {
  await page.evaluate(source);
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) })))`)) as AxeViolation[];
}

/** Violations as lines a failing assertion can show (rule, impact, help, the first elements). */
export function describeViolations(violations: readonly AxeViolation[]): string[] {
  return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}: ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}
