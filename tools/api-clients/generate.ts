/**
 * Generates the typed clients of the services' HTTP APIs (libs/api-clients/src/generated/) from the committed OpenAPI
 * documents (docs/openapi/<service>.json, written by `npm run openapi`) with openapi-typescript: one `<service>.ts` of
 * path, operation and schema types per document, and `index.ts`, the map from service name to its paths that
 * `apiClient('<service>', ...)` (libs/api-clients/src/client.ts) is typed by.
 *
 *   npm run api-clients           write them
 *   npm run api-clients:check     exit 1 when a generated file differs from what the committed documents give
 *
 * Reads only the documents (no build, no running service): change an API, run `npm run openapi`, then this.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import openapiTS, { COMMENT_HEADER, astToString, type OpenAPI3 } from 'openapi-typescript';

const root = resolve(__dirname, '../..');
const documents = join(root, 'docs', 'openapi');
const target = join(root, 'libs', 'api-clients', 'src', 'generated');

/** `schedules` -> `schedules`, `results-ingest` -> `resultsIngest`: the name of a service's paths type in index.ts. */
const identifier = (service: string) => service.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `results-ingest` -> `ResultsIngest`: the namespace of a service's generated types (`ResultsIngest.components`). */
const namespace = (service: string) => identifier(service).replace(/^[a-z]/, (c) => c.toUpperCase());

function header(source: string): string {
  return `${COMMENT_HEADER}// Generated from ${source} by \`npm run api-clients\` (tools/api-clients/generate.ts).\n\n`;
}

async function render(service: string): Promise<string> {
  const file = join(documents, `${service}.json`);
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenAPI3;
  // silent: no progress lines; the defaults otherwise (optional properties stay optional, no enums emitted).
  const ast = await openapiTS(document, { silent: true, rootTypes: false });
  return header(relative(root, file)) + astToString(ast);
}

function renderIndex(services: readonly string[]): string {
  const lines = [
    header('docs/openapi/*.json').trimEnd(),
    ...services.map((s) => `import type { paths as ${identifier(s)} } from './${s}';`),
    '',
    '/** Each service of docs/openapi and the paths of its API. */',
    'export interface ServicePaths {',
    ...services.map((s) => `  '${s}': ${identifier(s)};`),
    '}',
    '',
    "/** Each service's generated types: `paths`, `operations`, `components` (e.g. `Schedules.components['schemas']`). */",
    ...services.map((s) => `export type * as ${namespace(s)} from './${s}';`),
    '',
  ];
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const services = readdirSync(documents)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const wanted = new Map<string, string>();
  for (const service of services) wanted.set(`${service}.ts`, await render(service));
  wanted.set('index.ts', renderIndex(services));

  if (!check) mkdirSync(target, { recursive: true });
  let failures = 0;
  for (const [name, text] of wanted) {
    const file = join(target, name);
    const display = relative(root, file);
    if (!check) {
      writeFileSync(file, text);
      console.log(`wrote ${display}`);
      continue;
    }
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current !== text) {
      console.error(`${display} is ${current === null ? 'missing' : 'stale'}: run npm run api-clients`);
      failures++;
    } else {
      console.log(`${display} is up to date`);
    }
  }
  const extra = existsSync(target) ? readdirSync(target).filter((f) => !wanted.has(f)) : [];
  for (const file of extra) {
    console.error(`${relative(root, join(target, file))} belongs to no document in docs/openapi: remove it`);
    failures++;
  }
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
