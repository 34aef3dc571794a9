/**
 * Makes the tsconfig.base.json path aliases (@podium/*) resolvable when the CLI runs with plain
 * `npx tsx tools/db/cli.ts` (tsx reads only a tsconfig.json of the working directory). Import it first.
 *
 * `@podium/platform` resolves to its migrations entry point only: the CLI needs nothing else, and loading the
 * whole platform (NestJS, NATS, decorators that tsx cannot transpile without the workspace tsconfig) would slow
 * every command down and tie it to unrelated code. Types still come from `@podium/platform` (tsc), and
 * tools/db/jest.config.js maps it the same way.
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

aliases.set('@podium/platform', join(root, 'libs/platform/src/migrations/index.ts'));

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
loader._resolveFilename = function resolveAlias(this: unknown, request: string, ...rest: unknown[]): string {
  return original.call(this, aliases.get(request) ?? request, ...rest);
};
