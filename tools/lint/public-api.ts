/**
 * Which exports of a lib's public entry point (@podium/<lib>) are used outside the lib.
 *
 *   npx tsx tools/lint/public-api.ts platform auth contracts     (or: npx nx run lint-rules:public-api -- platform)
 *   npx tsx tools/lint/public-api.ts --check platform             exit 1 when @podium/platform exports an unused name
 *
 * Exports: the names the lib's src/index.ts exports, from the TypeScript checker (re-exports followed).
 * Uses: every `import {..} from '@podium/<lib>'` (types included), `export {..} from`, `import * as ns` with the
 * `ns.X` it reads, `import('@podium/<lib>').X`, in every file of apps/, libs/ and tools/ outside the lib, code
 * and text alike (so the service generator's templates and `tsx -e` snippets in scripts count). An
 * `export * from '@podium/<lib>'` or a whole-module use (jest.mock, require) marks every export used.
 * Not callers: the lib's own files (its specs import relative paths) and tools/lint (its boundary probes import
 * sample names).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const repoRoot = resolve(__dirname, '..', '..');
const ROOTS = ['apps', 'libs', 'tools'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'generated', '.nx', 'coverage', '__fixtures__']);
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|sh)$/;

export interface LibUsage {
  lib: string;
  exported: string[];
  used: Set<string>;
  /** Files that use the whole module (export *, jest.mock, require, dynamic import). */
  wholeModule: string[];
}

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(repoRoot, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : filesUnder(path);
    return e.isFile() && TEXT.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The names src/index.ts of libs/<lib> exports (values and types). */
export function exportsOf(lib: string): string[] {
  const index = join(repoRoot, 'libs', lib, 'src', 'index.ts');
  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const program = ts.createProgram([index], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read the exports of ${relative(repoRoot, index)}`);
  return checker.getExportsOfModule(symbol).map((s) => s.getName()).sort();
}

const names = (list: string): string[] =>
  list
    .split(',')
    .map((part) => part.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').trim())
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/^type\s+/, '').split(/\s+as\s+/)[0]?.trim() ?? '')
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));

/** What the files outside libs/<lib> use of @podium/<lib>. */
export function usageOf(lib: string): LibUsage {
  const spec = `@podium/${lib}`;
  const quoted = `['"\`]${spec.replace(/[/-]/g, '\\$&')}['"\`]`;
  const named = new RegExp(`(?:import|export)\\s+(?:type\\s+)?\\{([^}]*)\\}\\s*from\\s*${quoted}`, 'g');
  const namespace = new RegExp(`import\\s+(?:type\\s+)?\\*\\s+as\\s+([A-Za-z_$][\\w$]*)\\s+from\\s*${quoted}`, 'g');
  const importType = new RegExp(`import\\(\\s*${quoted}\\s*\\)\\.([A-Za-z_$][\\w$]*)`, 'g');
  const whole = new RegExp(
    `export\\s+\\*\\s+from\\s*${quoted}|(?:jest\\.mock|require|import)\\(\\s*${quoted}\\s*\\)(?!\\.)|import\\s+${quoted}`,
  );
  const used = new Set<string>();
  const wholeModule: string[] = [];
  const notCallers = [`libs/${lib}/`, 'tools/lint/'];
  for (const file of ROOTS.flatMap((root) => filesUnder(root))) {
    if (notCallers.some((dir) => file.startsWith(dir))) continue;
    const text = readFileSync(join(repoRoot, file), 'utf8');
    if (!text.includes(spec)) continue;
    for (const m of text.matchAll(named)) for (const name of names(m[1] ?? '')) used.add(name);
    for (const m of text.matchAll(importType)) used.add(m[1] ?? '');
    for (const m of text.matchAll(namespace)) {
      const ns = m[1] ?? '';
      for (const access of text.matchAll(new RegExp(`\\b${ns}\\.([A-Za-z_$][\\w$]*)`, 'g'))) used.add(access[1] ?? '');
      if (new RegExp(`\\b${ns}\\b(?!\\s*\\.)`, 'g').test(text.slice((m.index ?? 0) + m[0].length))) wholeModule.push(`${file} (import * as ${ns})`);
    }
    if (whole.test(text)) wholeModule.push(file);
  }
  return { lib, exported: exportsOf(lib), used, wholeModule };
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const libs = argv.filter((a) => !a.startsWith('--'));
  if (libs.length === 0) {
    console.error('usage: public-api.ts [--check] <lib>...   (e.g. platform auth contracts odf odf-message)');
    return 2;
  }
  let failed = false;
  for (const lib of libs) {
    const usage = usageOf(lib);
    const unused = usage.exported.filter((name) => !usage.used.has(name));
    const unknown = [...usage.used].filter((name) => !usage.exported.includes(name)).sort();
    console.log(`@podium/${lib}: ${usage.exported.length} exports, ${usage.exported.length - unused.length} used outside it, ${unused.length} unused`);
    if (usage.wholeModule.length > 0) console.log(`  whole-module uses (every export counts as used): ${usage.wholeModule.join(', ')}`);
    if (unused.length > 0) console.log(`  unused: ${unused.join(', ')}`);
    if (unknown.length > 0) console.log(`  imported but not exported: ${unknown.join(', ')}`);
    if (check && (unused.length > 0 || unknown.length > 0) && usage.wholeModule.length === 0) failed = true;
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
