/**
 * Writes the HTML API reference, docs/reference/, from the committed documents (never from a running service):
 * - http/<service>.html: Redoc's page of docs/openapi/<service>.json (Redocly CLI `build-docs`, offline), its script
 *   vendored once as assets/redoc.standalone.js (the one Redocly CLI embeds with --inlineBundle: the same bytes, so
 *   the page's integrity hash holds) instead of the CDN address Redocly writes;
 * - nats.html: the NATS subjects of docs/asyncapi.yaml, read by @asyncapi/parser (nats-page.ts);
 * - index.html: links to them all, and to the documents.
 * The output is deterministic (no dates; Redocly CLI and the parser pinned): `--check` regenerates into a scratch
 * folder and fails on any difference, missing or extra file. Every page is checked for resources fetched from
 * another site when viewed: there must be none.
 *
 *   npm run api-docs:html          write docs/reference
 *   npm run api-docs:html:check    exit 1 when docs/reference is not what the documents give
 */
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { SERVICES } from '@podium/contracts';
import { esc, externalFetches, inline, page } from './html-kit';
import { renderNatsPage } from './nats-page';
import { asyncApiFile, builtServices, openApiFileOf, root } from './services';

/** docs/reference: what this tool writes, and nothing else. */
export const referenceDir = join(root, 'docs', 'reference');

/** Redocly CLI's copy of Redoc's browser bundle (what `build-docs --inlineBundle` inlines). */
const REDOC_BUNDLE = join(dirname(require.resolve('@redocly/cli/package.json')), 'lib', 'chunks', 'redoc.standalone.js');
const REDOC_ASSET = 'assets/redoc.standalone.js';
const REDOCLY_BIN = join(root, 'node_modules', '.bin', 'redocly');
/** Redocly's default page template, with a Content-Security-Policy that lets the page load nothing from elsewhere. */
const REDOC_TEMPLATE = join(__dirname, 'redoc-page.hbs');

interface OpenApiInfo {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, unknown>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Redoc's page of one OpenAPI document, its script taken from assets/ instead of Redocly's CDN. */
function redocPage(service: string, scratch: string): string {
  const out = join(scratch, `${service}.redoc.html`);
  try {
    execFileSync(REDOCLY_BIN, ['build-docs', relative(root, openApiFileOf(service)), '--output', out, '--template', relative(root, REDOC_TEMPLATE), '--lint-config', 'off'], {
      cwd: root,
      // Telemetry off: nothing is sent while building, and the page is written with disableTelemetry (it reports nothing).
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      // Redocly CLI's banners (Node version, Redoc 3) go to stderr on every run: shown only when the build fails.
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`redocly build-docs failed for ${service}:\n${String(stdout ?? '')}${String(stderr ?? '')}`);
  }
  const html = readFileSync(out, 'utf8');
  const cdn = [...new Set(html.match(/https:\/\/cdn\.redocly\.com\/redoc\/v[\d.]+\/bundles\/redoc\.standalone\.js/g) ?? [])];
  if (cdn.length !== 1) throw new Error(`Redocly's page of ${service} names ${cdn.length} Redoc bundle addresses (expected 1): has build-docs changed? Check tools/api-docs/html.ts`);
  if (!html.includes('"disableTelemetry":true')) throw new Error(`Redocly's page of ${service} was written with telemetry on`);
  const integrity = `sha384-${createHash('sha384').update(readFileSync(REDOC_BUNDLE)).digest('base64')}`;
  if (!html.includes(`integrity="${integrity}"`)) throw new Error(`Redocly's page of ${service} names another Redoc bundle than ${relative(root, REDOC_BUNDLE)}`);
  return html.split(cdn[0] ?? '').join(`../${REDOC_ASSET}`);
}

function indexPage(services: { name: string; port: number; api: OpenApiInfo }[], nats: AsyncAPIDocumentInterface): string {
  const cards = services.map(({ name, port, api }) => {
    const operations = Object.values(api.paths ?? {}).reduce((n, item) => n + Object.keys(item).filter((m) => METHODS.has(m)).length, 0);
    const description = (api.info?.description ?? '').split(/\n\s*\n/)[0] ?? '';
    return `<li>
<h3><a href="http/${esc(name)}.html">${esc(name)}</a></h3>
<p>${inline(description)}</p>
<p class="muted">${esc(api.info?.title ?? name)}, version ${esc(api.info?.version ?? '')}, OpenAPI ${esc(api.openapi ?? '')}: ${operations} operations. Document: <a href="../openapi/${esc(name)}.json">openapi/${esc(name)}.json</a>. Running locally: <code>http://localhost:${port}/docs</code></p>
</li>`;
  });
  const channels = nats.channels().all().length;
  const streams = (nats.extensions().get('x-jetstream-streams')?.value() as unknown[] | undefined)?.length ?? 0;
  const body = `<h2 id="http">HTTP APIs</h2>
<p>One page per service, from its OpenAPI document, rendered by Redoc (the page reads without its script, which adds search and interaction).</p>
<ul class="cards">
${cards.join('\n')}
</ul>
<h2 id="nats">NATS subjects</h2>
<ul class="cards">
<li>
<h3><a href="nats.html">NATS subjects and streams</a></h3>
<p>${inline(nats.info().description()?.split(/\n\s*\n/)[0] ?? '')}</p>
<p class="muted">AsyncAPI ${esc(nats.version())}, version ${esc(nats.info().version())}: ${channels} subjects in ${streams} JetStream streams. Document: <a href="../asyncapi.yaml">asyncapi.yaml</a></p>
</li>
</ul>
<h2 id="about">About these pages</h2>
<p>Generated by <code>npm run api-docs:html</code> (<code>tools/api-docs/html.ts</code>) from the committed documents in <code>docs/openapi/</code> and <code>docs/asyncapi.yaml</code>; CI fails when they are stale (<code>npm run api-docs:html:check</code>). Static files that fetch nothing from another site: any static host serves them, and so does a checkout.</p>`;
  const header = `<h1>Podium API reference</h1>
<p>The HTTP APIs of the Podium services and the NATS subjects they publish, for partners and integrators.</p>`;
  return page({ title: 'Podium API reference', header, body });
}

/** Every file of docs/reference, by its path inside it, as the committed documents give it. */
export async function renderReference(scratch: string): Promise<Map<string, string | Buffer>> {
  const files = new Map<string, string | Buffer>();
  const { document, diagnostics } = await new Parser().parse(readFileSync(asyncApiFile, 'utf8'), { source: asyncApiFile });
  const errors = diagnostics.filter((d) => d.severity === 0);
  if (document === undefined || errors.length > 0) throw new Error(`docs/asyncapi.yaml is not parsed by @asyncapi/parser: ${errors.map((d) => d.message).join('; ')} (npm run api:validate)`);

  const services = builtServices().map((name) => {
    if (!existsSync(openApiFileOf(name))) throw new Error(`${relative(root, openApiFileOf(name))} is missing: run npm run openapi, then npm run api-docs:html`);
    const port = SERVICES.find((s) => s.name === name)?.port ?? 0;
    return { name, port, api: JSON.parse(readFileSync(openApiFileOf(name), 'utf8')) as OpenApiInfo };
  });
  for (const { name } of services) files.set(`http/${name}.html`, redocPage(name, scratch));
  files.set(REDOC_ASSET, readFileSync(REDOC_BUNDLE));
  files.set('nats.html', renderNatsPage(document, { indexHref: 'index.html', sourceHref: '../asyncapi.yaml' }));
  files.set('index.html', indexPage(services, document));

  for (const [path, content] of files) {
    if (!path.endsWith('.html')) continue;
    const fetched = externalFetches(content.toString());
    if (fetched.length > 0) throw new Error(`docs/reference/${path} would fetch from another site when viewed: ${fetched.join(', ')}`);
  }
  return files;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const scratch = mkdtempSync(join(tmpdir(), 'podium-reference-'));
  try {
    const files = await renderReference(scratch);
    let failures = 0;
    if (!check) rmSync(referenceDir, { recursive: true, force: true });
    for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = join(referenceDir, path);
      const display = relative(root, target);
      if (!check) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
        console.log(`wrote ${display} (${Math.ceil(Buffer.byteLength(content) / 1024)} KiB)`);
        continue;
      }
      const current = existsSync(target) ? readFileSync(target) : null;
      if (current === null || !current.equals(Buffer.from(content))) {
        console.error(`${display} is ${current === null ? 'missing' : 'stale'}: run npm run api-docs:html`);
        failures++;
      } else {
        console.log(`${display} is up to date`);
      }
    }
    for (const extra of listFiles(referenceDir).filter((f) => !files.has(f))) {
      console.error(`docs/reference/${extra} is not written by npm run api-docs:html: remove it (or run it)`);
      failures++;
    }
    return failures === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
