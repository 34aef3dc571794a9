/**
 * Writes docs/openapi/<service>.json from the built apps: `node dist/apps/<service>/main.js openapi`, run with no
 * configuration at all (no DATABASE_URL, no NATS_URL): the document needs neither (see runService in
 * libs/platform/src/bootstrap/service-main.ts).
 *
 *   npm run openapi           build the services (nx cache) and write the documents
 *   npm run openapi:check     exit 1 when a committed document differs from what the built app gives
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { builtServices, openApiDir, openApiFileOf, root } from './services';

/** The document a built service prints, as text. */
function documentOf(service: string, scratch: string): string {
  const main = join(root, 'dist', 'apps', service, 'main.js');
  if (!existsSync(main)) throw new Error(`${relative(root, main)} is missing: build it first (npm run openapi builds it)`);
  const out = join(scratch, `${service}.json`);
  execFileSync(process.execPath, [main, 'openapi', '--out', out], {
    cwd: root,
    // Only what node needs: proves that the document reads no configuration and connects to nothing.
    env: { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 60_000,
  });
  return readFileSync(out, 'utf8');
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const services = builtServices();
  const scratch = mkdtempSync(join(tmpdir(), 'podium-openapi-'));
  let failures = 0;
  try {
    if (!check) mkdirSync(openApiDir, { recursive: true });
    for (const service of services) {
      const target = openApiFileOf(service);
      const display = relative(root, target);
      const text = documentOf(service, scratch);
      if (!check) {
        writeFileSync(target, text);
        console.log(`wrote ${display}`);
        continue;
      }
      const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
      if (current !== text) {
        console.error(`${display} is ${current === null ? 'missing' : 'stale'}: run npm run openapi`);
        failures++;
      } else {
        console.log(`${display} is up to date`);
      }
    }
    const expected = new Set(services.map((s) => `${s}.json`));
    const extra = existsSync(openApiDir) ? readdirSync(openApiDir).filter((f) => f.endsWith('.json') && !expected.has(f)) : [];
    for (const file of extra) {
      console.error(`docs/openapi/${file} belongs to no service in apps/: remove it`);
      failures++;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
