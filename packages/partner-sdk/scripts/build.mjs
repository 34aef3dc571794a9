#!/usr/bin/env node
// Builds the publishable package into dist/: tsc compiles the SDK and the workspace libs it imports (@podium/contracts
// and what that imports) to CommonJS + .d.ts in .build/; then the SDK goes to dist/, each lib to dist/vendor/<lib>/,
// and every `@podium/<lib>` specifier (require, import, import() in .js and .d.ts) becomes a relative path to it.
// So the package carries the exact contracts it was built with and needs only its npm dependencies (nats, ws, zod).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const build = join(root, '.build');
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(build, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const sdkOut = join(build, 'packages', 'partner-sdk', 'src');
if (!existsSync(join(sdkOut, 'index.js'))) throw new Error(`tsc wrote no ${join(sdkOut, 'index.js')}`);
cpSync(sdkOut, dist, { recursive: true });
const libsOut = join(build, 'libs');
const libs = existsSync(libsOut) ? readdirSync(libsOut) : [];
for (const lib of libs) cpSync(join(libsOut, lib, 'src'), join(dist, 'vendor', lib), { recursive: true });

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
const specifier = /(require\(|from |import\()(["'])@podium\/([a-z0-9-]+)\2/g;
const unresolved = [];
for (const file of files(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(specifier, (_all, lead, quote, lib) => {
    if (!libs.includes(lib)) {
      unresolved.push(`${relative(dist, file)}: @podium/${lib}`);
      return _all;
    }
    let path = relative(dirname(file), join(dist, 'vendor', lib)).split(sep).join('/');
    if (!path.startsWith('.')) path = `./${path}`;
    return `${lead}${quote}${path}/index${quote}`;
  });
  if (rewritten !== text) writeFileSync(file, rewritten);
}
if (unresolved.length > 0) throw new Error(`imports of workspace libs not bundled:\n${unresolved.join('\n')}`);
rmSync(build, { recursive: true, force: true });
console.log(`partner-sdk: dist/ built (vendored: ${libs.join(', ') || 'none'})`);
