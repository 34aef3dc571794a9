/**
 * The embeddable widget in headless Chromium (Debian's `chromium` driven by `playwright-core`): a page on another
 * origin with one script tag shows a unit's live results and the medal table, updated over SSE.
 * Needs /usr/bin/chromium (`apt-get install -y chromium`, or CHROMIUM_PATH) and the playwright-core package: without
 * them this test FAILS and says so; it never skips.
 */
import { waitFor } from '@podium/testing';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { distributionForThisFile } from '../test-support/distribution';
import { medallists, publishResult, publishScheduleUnit, result, scheduleUnit, UNIT } from '../test-support/messages';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The part of playwright-core's API used here (page functions are passed as source: this project has no DOM types). */
interface PlaywrightPage {
  goto(url: string): Promise<unknown>;
  waitForFunction(expression: string, arg?: unknown, options?: { timeout?: number }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}
interface PlaywrightBrowser {
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<PlaywrightBrowser> };
}

/** playwright-core, or a failure that says what to install. */
function loadPlaywright(): PlaywrightCore {
  try {
    return require('playwright-core') as PlaywrightCore;
  } catch (error) {
    throw new Error(
      `The widget test needs the npm package playwright-core (npm install --save-dev playwright-core): ${String(error)}`,
    );
  }
}

let site: Server | undefined;
let browser: PlaywrightBrowser | undefined;
// Declared before the service's hooks: the browser and the site go first, then the service.
afterAll(async () => {
  await browser?.close();
  // Without Chromium the site was never started: nothing to close (a close callback that never runs would hang here).
  const server = site;
  if (server) await new Promise((resolve) => server.close(resolve));
});
const rd = distributionForThisFile();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The widget test needs Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const playwright = loadPlaywright();
  // The embedding site: another origin, one script tag.
  const page = `<!doctype html><html><body><h1>Partner site</h1>
<podium-results unit="${UNIT}" medals></podium-results>
<script src="${rd.app.url}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(page));
  site = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
});

/** Reads the widget's shadow DOM. */
function widgetState(page: PlaywrightPage): Promise<unknown> {
  return page.evaluate(`(() => {
    const host = document.querySelector('podium-results');
    const root = host && host.shadowRoot;
    return {
      version: host ? host.getAttribute('data-version') : null,
      status: root && root.querySelector('[data-role=status]') ? root.querySelector('[data-role=status]').textContent : null,
      rows: root ? root.querySelectorAll('[data-role=result-row]').length : 0,
      medals: root ? [...root.querySelectorAll('[data-role=medal-row]')].map((r) => r.getAttribute('data-noc')) : [],
    };
  })()`);
}

const versionIs = (v: number): string => `document.querySelector('podium-results')?.getAttribute('data-version') === '${v}'`;

describe('widget in headless Chromium', () => {
  it("shows the unit's results and the medal table, and follows them live", async () => {
    await publishScheduleUnit(rd.app, scheduleUnit(UNIT, { medal: true, status: 'RUNNING' }));
    const s1 = await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'LIVE', competitors: 8 }));
    await waitFor(() => rd.app.state.resultsSeq >= s1);

    const page = await browser!.newPage();
    await page.goto(`http://127.0.0.1:${(site!.address() as AddressInfo).port}/`);
    await page.waitForFunction(versionIs(1), undefined, { timeout: 15_000 });
    expect(await widgetState(page)).toMatchObject({ version: '1', status: 'LIVE', rows: 8, medals: [] });

    // Live: a new version and then the medals arrive over SSE, without reloading.
    await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'OFFICIAL', competitors: 8 }));
    await page.waitForFunction(versionIs(2), undefined, { timeout: 15_000 });
    await publishResult(rd.app, medallists({
        eventRsc: UNIT,
        medals: [
          { medal: 'GOLD', noc: 'KEN' },
          { medal: 'SILVER', noc: 'ETH' },
          { medal: 'BRONZE', noc: 'UGA' },
        ],
      }),
    );
    await page.waitForFunction(
      `document.querySelector('podium-results')?.shadowRoot?.querySelectorAll('[data-role=medal-row]').length === 3`,
      undefined,
      { timeout: 15_000 },
    );
    expect(await widgetState(page)).toMatchObject({ version: '2', status: 'OFFICIAL', medals: ['KEN', 'ETH', 'UGA'] });
  });
});
