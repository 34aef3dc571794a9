/**
 * Makes the tsconfig.base.json path aliases (@podium/*) resolvable under plain `npx tsx` (tsx reads only a
 * tsconfig.json in the working directory). Import it before anything that imports a @podium/* lib.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths?: Record<string, string[]> };
};
const aliases = new Map(
  Object.entries(compilerOptions.paths ?? {}).flatMap(([alias, targets]) =>
    targets[0] && !alias.includes('*') ? [[alias, join(root, targets[0])] as const] : [],
  ),
);

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
loader._resolveFilename = function resolveAlias(this: unknown, request: string, ...rest: unknown[]): string {
  return original.call(this, aliases.get(request) ?? request, ...rest);
};
