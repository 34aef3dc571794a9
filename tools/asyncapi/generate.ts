/**
 * Generates docs/asyncapi.yaml (AsyncAPI 3.0) from the subject registry in @podium/contracts.
 *
 *   npx tsx tools/asyncapi/generate.ts          write docs/asyncapi.yaml
 *   npx tsx tools/asyncapi/generate.ts --check  exit 1 when the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { renderAsyncApi } from './render';

const root = resolve(__dirname, '../..');
const target = join(root, 'docs', 'asyncapi.yaml');
const display = relative(root, target);

function main(argv: readonly string[]): number {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const output = renderAsyncApi({ version });

  if (argv.includes('--check')) {
    let current: string | null = null;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = null;
    }
    if (current !== output) {
      console.error(`${display} is ${current === null ? 'missing' : 'stale'}: run npm run asyncapi`);
      return 1;
    }
    console.log(`${display} is up to date`);
    return 0;
  }

  writeFileSync(target, output);
  console.log(`wrote ${display}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
