/**
 * Configuration that fails closed (docs/auth.md#local-development-only): dev auth and the public demo key are local
 * only. A results-ingest process started with NODE_ENV=staging and AUTH_MODE=dev exits at boot with the reasons; an
 * in-process results-ingest without the local opt-in answers 401 to the demo key and refuses INGEST_DEMO_KEYS=true,
 * and with the opt-in (what @podium/testing and `npm start` set) takes the demo key.
 */
import { LOCAL_DEV_SECRET } from '@podium/auth';
import { makeResultMessage } from '@podium/odf-message';
import { workspaceRoot } from '@podium/testing';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';

import { type Harness, SOURCE_KEY, startResultsIngest } from '../test-support/harness';

const RSC = 'ATHM100M--------------FNL-000100--';

interface Exit {
  code: number | null;
  output: string;
}

/** Runs results-ingest's main.ts as its own process (ts-node, transpile only: decorator metadata as the build emits it). */
function runMain(env: Record<string, string>, timeoutMs = 90_000): Promise<Exit> {
  const root = workspaceRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(root, 'apps/results-ingest/src/main.ts')],
      {
        cwd: root,
        env: {
          PATH: process.env['PATH'] ?? '',
          TS_NODE_PROJECT: join(root, 'apps/results-ingest/tsconfig.app.json'),
          // The @podium/* paths of tsconfig.base.json are relative to the workspace (it has no baseUrl).
          TS_NODE_BASEURL: root,
          TS_NODE_TRANSPILE_ONLY: 'true',
          // contracts' './services' is services.ts, not the services.json beside it (Node tries .json before .ts).
          TS_NODE_PREFER_TS_EXTS: 'true',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`results-ingest did not exit within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function publicKeyPem(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Public-key auth instead of TestService's dev auth, and the local opt-in off (NODE_ENV stays the runner's `test`). */
const WITHOUT_OPT_IN = { PODIUM_LOCAL_DEV: 'false', AUTH_MODE: 'public-key', AUTH_PUBLIC_KEY: publicKeyPem(), AUTH_DEV_SECRET: '' };

describe('results-ingest: local-only conveniences fail closed', () => {
  it(
    'refuses to start with NODE_ENV=staging and AUTH_MODE=dev (exit code 1, the variables named), opt-in or not',
    async () => {
      const { code, output } = await runMain({
        NODE_ENV: 'staging',
        PODIUM_LOCAL_DEV: 'true',
        AUTH_MODE: 'dev',
        AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
        // Nothing listens there: the configuration is refused before any connection is tried.
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/podium_results_ingest',
        NATS_URL: 'nats://127.0.0.1:1',
        HOST: '127.0.0.1',
        PORT: '1',
        LOG_LEVEL: 'info',
      });
      expect(code).toBe(1);
      expect(output).toContain('Invalid configuration: ');
      expect(output).toContain("AUTH_MODE: 'dev' is refused when NODE_ENV=staging: use jwks or public-key");
      expect(output).toContain('PODIUM_LOCAL_DEV: refused when NODE_ENV=staging');
      expect(output).toContain('AUTH_ISSUER: required when NODE_ENV=staging');
      expect(output).not.toContain(LOCAL_DEV_SECRET);
      expect(output).not.toContain('listening on');
    },
    120_000,
  );

  describe('without the local opt-in', () => {
    let h: Harness | undefined;
    afterAll(() => h?.close());

    it('answers 401 to the demo venue key, and takes a configured key', async () => {
      h = await startResultsIngest(WITHOUT_OPT_IN);
      await h.publishUnit(RSC);
      const m = makeResultMessage({ rsc: RSC, version: 1, resultStatus: 'LIVE' });
      const demo = await h.post(m.xml, { apiKey: 'demo-venue-key' });
      expect(demo.status).toBe(401);
      expect(((await demo.json()) as { type: string }).type).toBe('https://podium.dev/problems/invalid-api-key');
      const venue = await h.post(m.xml, { apiKey: SOURCE_KEY });
      expect(venue.status).toBe(200);
      expect(await venue.json()).toMatchObject({ outcome: 'applied', version: 1 });
    });

    it('refuses to start with INGEST_DEMO_KEYS=true, naming the variable', async () => {
      await expect(startResultsIngest({ ...WITHOUT_OPT_IN, INGEST_DEMO_KEYS: 'true' })).rejects.toThrow(
        "INGEST_DEMO_KEYS: the public demo key 'demo-venue-key' is local only: it needs PODIUM_LOCAL_DEV=true",
      );
    });
  });

  describe('with the local opt-in (PODIUM_LOCAL_DEV=true, NODE_ENV=test)', () => {
    let h: Harness | undefined;
    afterAll(() => h?.close());

    it('takes the demo venue key', async () => {
      h = await startResultsIngest({ AUTH_PUBLIC_KEY: '' }); // TestService's defaults: dev auth, opted in
      await h.publishUnit(RSC);
      const m = makeResultMessage({ rsc: RSC, version: 1, resultStatus: 'LIVE' });
      const demo = await h.post(m.xml, { apiKey: 'demo-venue-key' });
      expect(demo.status).toBe(200);
      expect(await demo.json()).toMatchObject({ outcome: 'applied', version: 1 });
    });
  });
});
