/**
 * `npm run new:lib -- <name> --type <platform|contracts|util|testing> --scope <shared|service>`: adds a library
 * libs/<name>, importable as `@podium/<name>` (path added to tsconfig.base.json), tagged on both boundary axes, with
 * lint, typecheck and test targets that pass from the start: its one spec pins the lib's public API (the names
 * src/index.ts exports), so every export added later is a deliberate change to that spec.
 *
 *   options: --root <dir>   the workspace to write into (default: this repository)
 */
import { SERVICES } from '@podium/contracts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { namesOf } from './src/names';

export const LIB_TYPES = ['platform', 'contracts', 'util', 'testing'] as const;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Relative path -> content of a new lib. */
export function libFiles(name: string, type: string, scope: string): Map<string, string> {
  const dir = `libs/${name}`;
  const n = namesOf(name);
  return new Map([
    [
      `${dir}/project.json`,
      json({
        name,
        $schema: '../../node_modules/nx/schemas/project-schema.json',
        sourceRoot: `${dir}/src`,
        projectType: 'library',
        tags: [`type:${type}`, `scope:${scope}`],
        targets: {
          lint: { executor: '@nx/eslint:lint' },
          typecheck: {
            executor: 'nx:run-commands',
            options: { command: `tsc -p ${dir}/tsconfig.lib.json --noEmit && tsc -p ${dir}/tsconfig.spec.json --noEmit` },
          },
          test: { executor: '@nx/jest:jest', options: { jestConfig: `${dir}/jest.config.js`, passWithNoTests: false } },
        },
      }),
    ],
    [
      `${dir}/tsconfig.json`,
      json({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] }),
    ],
    [
      `${dir}/tsconfig.lib.json`,
      json({
        extends: './tsconfig.json',
        compilerOptions: { outDir: '../../dist/out-tsc', types: ['node'] },
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.spec.ts', 'src/**/*.integration-spec.ts'],
      }),
    ],
    [`${dir}/tsconfig.spec.json`, json({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', types: ['node', 'jest'] }, include: ['src/**/*.ts'] })],
    [`${dir}/jest.config.js`, `module.exports = {\n  displayName: '${name}',\n  preset: '../../jest.preset.js',\n  rootDir: __dirname,\n  testMatch: ['<rootDir>/src/**/*.spec.ts'],\n};\n`],
    [`${dir}/eslint.config.mjs`, "import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig];\n"],
    [`${dir}/src/index.ts`, `// The public API of @podium/${name}: export here only what other projects use.\nexport {};\n`],
    [
      `${dir}/src/index.spec.ts`,
      `import * as ${n.camel} from './index';

describe('@podium/${name}', () => {
  it('exports exactly its public API', () => {
    // Add each name here when you export it from src/index.ts: the lib's API is a decision, not an accident.
    expect(Object.keys(${n.camel}).sort()).toEqual([]);
  });
});
`,
    ],
  ]);
}

/** tsconfig.base.json with the `@podium/<name>` path, keys kept in order. */
export function addPath(tsconfigBase: string, name: string): string {
  const doc = JSON.parse(tsconfigBase) as { compilerOptions: { paths?: Record<string, string[]> } };
  const paths = doc.compilerOptions.paths ?? {};
  const key = `@podium/${name}`;
  if (paths[key]) throw new Error(`tsconfig.base.json already maps ${key}`);
  doc.compilerOptions.paths = { ...paths, [key]: [`./libs/${name}/src/index.ts`] };
  return json(doc);
}

export function main(argv: readonly string[]): void {
  const [name, ...rest] = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1] ?? '').startsWith('--'));
  const flag = (key: string): string | undefined => {
    const i = argv.indexOf(`--${key}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const type = flag('type');
  const scope = flag('scope') ?? 'shared';
  if (!name || rest.length > 0 || !type) throw new Error('usage: npm run new:lib -- <name> --type <platform|contracts|util|testing> [--scope shared|<service>]');
  namesOf(name);
  if (!(LIB_TYPES as readonly string[]).includes(type)) throw new Error(`--type must be one of ${LIB_TYPES.join(', ')}`);
  const root = resolve(flag('root') ?? join(__dirname, '..', '..'));
  const scopes = ['shared', ...SERVICES.map((s) => s.name)];
  if (!scopes.includes(scope)) throw new Error(`--scope must be shared or a service of libs/contracts/src/services.json (${scopes.join(', ')})`);
  if (existsSync(join(root, 'libs', name))) throw new Error(`libs/${name} exists already`);

  const tsconfigPath = join(root, 'tsconfig.base.json');
  const tsconfig = addPath(readFileSync(tsconfigPath, 'utf8'), name);
  for (const [path, content] of libFiles(name, type, scope)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`created ${path}`);
  }
  writeFileSync(tsconfigPath, tsconfig);
  console.log(`updated tsconfig.base.json (@podium/${name})\nNext: npx nx run-many -t lint typecheck test -p ${name}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`new:lib: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
