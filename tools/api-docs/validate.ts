/**
 * Validates the committed API documents with the tools partners feed them to:
 * - docs/openapi/<service>.json with @apidevtools/swagger-parser validate() (OpenAPI 3.1 schema and $refs);
 * - docs/asyncapi.yaml with the official @asyncapi/parser (errors fail; warnings and hints are printed).
 *
 *   npm run api:validate
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Parser } from '@asyncapi/parser';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { asyncApiFile, builtServices, openApiFileOf, root } from './services';

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

async function validateOpenApi(file: string): Promise<boolean> {
  const display = relative(root, file);
  if (!existsSync(file)) {
    console.error(`${display} is missing: run npm run openapi`);
    return false;
  }
  try {
    const api = await SwaggerParser.validate(file);
    console.log(`${display}: valid OpenAPI ${'openapi' in api ? api.openapi : '(unknown version)'}`);
    return true;
  } catch (error) {
    console.error(`${display}: INVALID: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

async function validateAsyncApi(file: string): Promise<boolean> {
  const display = relative(root, file);
  const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'), { source: file });
  for (const d of diagnostics) {
    console.log(`${display}: ${SEVERITY[d.severity] ?? d.severity} ${d.code}: ${d.message} (at ${d.path.join('.') || '/'})`);
  }
  const errors = diagnostics.filter((d) => d.severity === 0).length;
  if (document === undefined || errors > 0) {
    console.error(`${display}: NOT PARSED by @asyncapi/parser (${errors} error(s))`);
    return false;
  }
  console.log(`${display}: parsed by @asyncapi/parser, AsyncAPI ${document.version()}`);
  return true;
}

async function main(): Promise<number> {
  const results = [
    ...(await Promise.all(builtServices().map((service) => validateOpenApi(openApiFileOf(service))))),
    await validateAsyncApi(asyncApiFile),
  ];
  return results.every(Boolean) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
