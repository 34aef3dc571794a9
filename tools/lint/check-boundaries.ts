/**
 * Proof that the module boundaries in eslint.config.mjs bite.
 *
 *   npx tsx tools/lint/check-boundaries.ts        (or: npx nx run lint-rules:check-boundaries)
 *
 * Lints small in-memory snippets placed (virtually) at real file paths with ESLint's Node API and the
 * repository's own config, and checks that each forbidden import is reported, and each allowed one is not.
 * Exit code 1 when any case does not behave as expected.
 *
 * Cold start: the Nx rule reads the cached project graph and silently SKIPS itself when there is none.
 * So this script builds the graph itself (createProjectGraphAsync) into a private workspace-data
 * directory, which also leaves the shared .nx cache of concurrent nx runs untouched.
 *
 * Probe projects: no service has a lib of its own today, so the scope axis (a service never sees another
 * service's libs) cannot be exercised with real projects alone. The script adds virtual probe projects to
 * that private graph copy (nothing is written to the source tree). Their names start with `probe-`.
 *
 * Besides the cases, it checks what makes the rule complete: every folder of tools/ holding TypeScript is a
 * project tagged type:tool (a file outside every project is skipped by the rule), and the scope constraints are
 * exactly the services of libs/contracts/src/services.json.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';
const RULES_CHECKED = [RULE, 'no-restricted-imports'];

interface Probe {
  name: string;
  root: string;
  type: 'app' | 'lib';
  tags: string[];
  packageName: string;
}

const PROBES: Probe[] = [
  { name: 'probe-schedules-data', root: 'libs/probe-schedules-data', type: 'lib', tags: ['type:util', 'scope:schedules'], packageName: '@podium/probe-schedules-data' },
  { name: 'probe-entries-data', root: 'libs/probe-entries-data', type: 'lib', tags: ['type:util', 'scope:entries'], packageName: '@podium/probe-entries-data' },
  { name: 'probe-entries', root: 'apps/probe-entries', type: 'app', tags: ['type:app', 'scope:entries'], packageName: '@podium/probe-entries' },
];

interface Case {
  name: string;
  filePath: string;
  code: string;
  /** ruleId + message pattern that must be reported; null: no boundary error may be reported. */
  expect: { rule: string; message: RegExp } | null;
}

const use = (specifier: string, name = 'probe'): string => `import { ${name} } from '${specifier}';\nexport const used = [${name}];\n`;
const useAll = (specifier: string): string => `import * as all from '${specifier}';\nexport const used = [all];\n`;
const tagViolation = (sourceTag: string): RegExp => new RegExp(`tagged with "${sourceTag}" can only depend on libs tagged with`);
/**
 * Between real libs, the rule reports a cycle before the tags when the target already depends on the
 * source (platform -> contracts -> odf today): the import is refused either way. Probe sources have no
 * dependents, so their cases check the tag message alone.
 */
const tagViolationOrCycle = (sourceTag: string): RegExp => new RegExp(`${tagViolation(sourceTag).source}|^Circular dependency between`);

const CASES: Case[] = [
  // type axis
  {
    name: 'contracts must not import a runtime lib (@podium/platform)',
    filePath: 'libs/contracts/src/x.ts',
    code: use('@podium/platform', 'HealthRegistry'),
    expect: { rule: RULE, message: tagViolationOrCycle('type:contracts') },
  },
  {
    name: 'contracts must not import a runtime lib (@podium/auth)',
    filePath: 'libs/contracts/src/x.ts',
    code: use('@podium/auth', 'Public'),
    expect: { rule: RULE, message: tagViolationOrCycle('type:contracts') },
  },
  {
    name: 'a util lib (odf) must not import a platform lib',
    filePath: 'libs/odf/src/x.ts',
    code: use('@podium/platform', 'HealthRegistry'),
    expect: { rule: RULE, message: tagViolationOrCycle('type:util') },
  },
  {
    name: 'a util lib must not import a platform lib (probe source, no cycle possible)',
    filePath: 'libs/probe-schedules-data/src/x.ts',
    code: use('@podium/auth', 'Public'),
    expect: { rule: RULE, message: tagViolation('type:util') },
  },
  {
    name: 'a platform lib must not import an app-only kind (testing)',
    filePath: 'libs/auth/src/x.ts',
    code: useAll('@podium/testing'),
    expect: { rule: RULE, message: tagViolationOrCycle('type:platform') },
  },
  // apps are never imported
  {
    name: 'a lib must not reach into an app by relative path',
    filePath: 'libs/platform/src/x.ts',
    code: use('../../../apps/schedules/src/main'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  {
    name: 'an app must not reach into another app by relative path',
    filePath: 'apps/schedules/src/x.ts',
    code: use('../../probe-entries/src/main'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  {
    name: 'an app must not import another app by name',
    filePath: 'apps/schedules/src/x.ts',
    code: use('@podium/probe-entries'),
    expect: { rule: RULE, message: /Imports of apps are forbidden/ },
  },
  // scope axis
  {
    name: 'a shared lib must not import a service-scoped lib',
    filePath: 'libs/platform/src/x.ts',
    code: use('@podium/probe-schedules-data'),
    expect: { rule: RULE, message: tagViolation('scope:shared') },
  },
  {
    name: "a service must not import another service's lib",
    filePath: 'apps/schedules/src/x.ts',
    code: use('@podium/probe-entries-data'),
    expect: { rule: RULE, message: tagViolation('scope:schedules') },
  },
  // the testing lib is for tests only
  // no deep imports: a lib is used through its public entry point
  {
    name: "an app must not import a file inside a lib's src by its alias",
    filePath: 'apps/schedules/src/x.ts',
    code: use('@podium/platform/src/http', 'problem'),
    expect: { rule: 'no-restricted-imports', message: /public entry point/ },
  },
  {
    name: "a tool must not reach into a lib's src by relative path",
    filePath: 'tools/asyncapi/x.ts',
    code: use('../../libs/contracts/src/asyncapi', 'buildAsyncApiDocument'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  {
    name: "a tool must not import a file inside a lib's src by its alias",
    filePath: 'tools/db/x.ts',
    code: use('@podium/platform/src/nats/nats.naming', 'DEAD_LETTER_STREAM'),
    expect: { rule: 'no-restricted-imports', message: /public entry point/ },
  },
  {
    name: "a tool must not reach into another tool's files (beyond the shared modules eslint.config.mjs lists)",
    filePath: 'tools/entries/x.ts',
    code: use('../db/src/names', 'names'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  // tools: the libs, never an app, never the testing lib outside tests
  {
    name: 'a tool must not reach into an app by relative path',
    filePath: 'tools/helm/x.ts',
    code: use('../../apps/schedules/src/main'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  {
    name: 'a tool must not import an app by name',
    filePath: 'tools/schedules/x.ts',
    code: use('@podium/probe-entries'),
    expect: { rule: RULE, message: /Imports of apps are forbidden/ },
  },
  {
    name: 'a tool must not import the testing lib',
    filePath: 'tools/auth/x.ts',
    code: useAll('@podium/testing'),
    expect: { rule: RULE, message: tagViolation('type:tool') },
  },
  {
    name: 'an app must not import the generated API clients (they are for tools)',
    filePath: 'apps/schedules/src/x.ts',
    code: use('@podium/api-clients', 'apiClient'),
    expect: { rule: RULE, message: tagViolation('type:app') },
  },
  {
    name: 'a platform lib must not import the generated API clients',
    filePath: 'libs/platform/src/x.ts',
    code: use('@podium/api-clients', 'apiClient'),
    expect: { rule: RULE, message: tagViolation('type:platform') },
  },
  {
    name: 'the API clients must not import a platform lib',
    filePath: 'libs/api-clients/src/x.ts',
    code: use('@podium/platform', 'HealthRegistry'),
    expect: { rule: RULE, message: /tagged with "type:api-client" cannot depend on any libs with tags/ },
  },
  {
    name: "a tool must not import another tool's module outside the few allowed (eslint.config.mjs TOOL_TO_TOOL)",
    filePath: 'tools/entries/x.ts',
    code: use('../bench/search-runner', 'SearchRunner'),
    expect: { rule: RULE, message: /Projects cannot be imported by a relative or absolute path/ },
  },
  {
    name: 'production code must not import @podium/testing',
    filePath: 'apps/schedules/src/x.ts',
    code: useAll('@podium/testing'),
    expect: { rule: 'no-restricted-imports', message: /testing lib is for tests only/ },
  },
  {
    name: 'platform production code must not import the test servers',
    filePath: 'libs/platform/src/x.ts',
    code: useAll('@podium/test-servers'),
    expect: { rule: RULE, message: tagViolation('type:platform') },
  },
  // allowed imports: no boundary error
  {
    name: "platform's tests reach PostgreSQL and NATS through @podium/test-servers (no cycle)",
    filePath: 'libs/platform/src/x.integration-spec.ts',
    code: useAll('@podium/test-servers'),
    expect: null,
  },
  {
    name: "a tool's tests may use the testing libs",
    filePath: 'tools/db/src/x.integration-spec.ts',
    code: useAll('@podium/test-servers'),
    expect: null,
  },
  {
    name: 'an app may import contracts, platform, auth and odf',
    filePath: 'apps/schedules/src/x.ts',
    code: [
      "import { HealthRegistry } from '@podium/platform';",
      "import { Public } from '@podium/auth';",
      "import * as contracts from '@podium/contracts';",
      "import * as odf from '@podium/odf';",
      'export const used = [HealthRegistry, Public, contracts, odf];',
      '',
    ].join('\n'),
    expect: null,
  },
  {
    name: 'a service may import its own scoped lib',
    filePath: 'apps/schedules/src/x.ts',
    code: use('@podium/probe-schedules-data'),
    expect: null,
  },
  {
    name: 'a platform lib may import contracts',
    filePath: 'libs/auth/src/x.ts',
    code: useAll('@podium/contracts'),
    expect: null,
  },
  {
    name: 'a tool may import the libs by their entry points',
    filePath: 'tools/schedules/x.ts',
    code: [
      "import { DEAD_LETTER_STREAM } from '@podium/platform';",
      "import { LOCAL_DEV_SECRET } from '@podium/auth';",
      "import * as contracts from '@podium/contracts';",
      "import * as odf from '@podium/odf';",
      'export const used = [DEAD_LETTER_STREAM, LOCAL_DEV_SECRET, contracts, odf];',
      '',
    ].join('\n'),
    expect: null,
  },
  {
    name: 'a tool may use the generated API clients (@podium/api-clients)',
    filePath: 'tools/entries/x.ts',
    code: use('@podium/api-clients', 'apiClient'),
    expect: null,
  },
  {
    name: 'a test may import @podium/testing',
    filePath: 'apps/schedules/src/x.spec.ts',
    code: useAll('@podium/testing'),
    expect: null,
  },
];

/** Folders of tools/ (at any depth) that hold a TypeScript file, outside node_modules. */
function toolFoldersWithTypeScript(dir = 'tools'): string[] {
  const entries = readdirSync(join(repoRoot, dir), { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory() && e.name !== 'node_modules').flatMap((e) => toolFoldersWithTypeScript(`${dir}/${e.name}`))];
}

/** Every TypeScript file of tools/ belongs to a project tagged type:tool, so the boundary rule checks it. */
function untaggedTools(projects: readonly { root: string; tags: readonly string[] }[]): string[] {
  return toolFoldersWithTypeScript().flatMap((folder) => {
    const owner = projects
      .filter((p) => folder === p.root || folder.startsWith(`${p.root}/`))
      .sort((a, b) => b.root.length - a.root.length)[0];
    if (!owner) return [`${folder}: TypeScript outside every project (add ${folder.split('/').slice(0, 2).join('/')}/project.json tagged type:tool)`];
    return owner.tags.includes('type:tool') ? [] : [`${folder}: its project (${owner.root}) is not tagged type:tool`];
  });
}

/** The scope constraints the config applies must be exactly the services of the one list. */
async function scopeProblems(eslint: { calculateConfigForFile(file: string): Promise<unknown> }): Promise<string[]> {
  const list = JSON.parse(readFileSync(join(repoRoot, 'libs/contracts/src/services.json'), 'utf8')) as { services: { name: string }[] };
  const config = (await eslint.calculateConfigForFile(join(repoRoot, 'apps/schedules/src/x.ts'))) as {
    rules?: Record<string, [unknown, { depConstraints?: { sourceTag?: string }[] }?]>;
  };
  const constraints = config.rules?.[RULE]?.[1]?.depConstraints ?? [];
  const scopes = constraints.flatMap((c) => (c.sourceTag?.startsWith('scope:') && c.sourceTag !== 'scope:shared' ? [c.sourceTag.slice('scope:'.length)] : []));
  const services = list.services.map((s) => s.name);
  return [
    ...services.filter((s) => !scopes.includes(s)).map((s) => `service ${s} has no scope:${s} constraint`),
    ...scopes.filter((s) => !services.includes(s)).map((s) => `scope:${s} is not a service of libs/contracts/src/services.json`),
  ];
}

/** Adds the probe projects to the cached graph the rule reads (our private copy only). */
function addProbes(graphFile: string): void {
  const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as {
    nodes: Record<string, unknown>;
    dependencies: Record<string, unknown[]>;
  };
  for (const probe of PROBES) {
    if (graph.nodes[probe.name]) throw new Error(`a real project is named ${probe.name}: rename the probe`);
    graph.nodes[probe.name] = {
      name: probe.name,
      type: probe.type,
      data: {
        root: probe.root,
        sourceRoot: `${probe.root}/src`,
        projectType: probe.type === 'app' ? 'application' : 'library',
        tags: probe.tags,
        targets: {},
        implicitDependencies: [],
        metadata: { js: { packageName: probe.packageName, packageExports: './src/index.ts', isInPackageManagerWorkspaces: true } },
      },
    };
    graph.dependencies[probe.name] = [];
  }
  writeFileSync(graphFile, JSON.stringify(graph));
}

async function main(): Promise<number> {
  process.chdir(repoRoot);
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-boundaries-'));
  // Must be set before nx is loaded: nx resolves its data directory at import time.
  process.env['NX_WORKSPACE_DATA_DIRECTORY'] = dataDir;
  process.env['NX_DAEMON'] = 'false';
  try {
    const { createProjectGraphAsync } = await import('@nx/devkit');
    const graph = await createProjectGraphAsync({ exitOnError: true });
    const real = Object.keys(graph.nodes).sort();
    console.log(`project graph (cold, ${dataDir}): ${real.join(', ')}`);
    addProbes(join(dataDir, 'project-graph.json'));

    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: repoRoot });
    let failures = 0;
    for (const c of CASES) {
      const [result] = await eslint.lintText(c.code, { filePath: join(repoRoot, c.filePath) });
      const reported = (result?.messages ?? []).filter((m) => m.ruleId !== null && RULES_CHECKED.includes(m.ruleId));
      const fatal = (result?.messages ?? []).filter((m) => m.fatal);
      let ok: boolean;
      if (fatal.length > 0) ok = false;
      else if (c.expect === null) ok = reported.length === 0;
      else {
        const { rule, message } = c.expect;
        ok = reported.some((m) => m.ruleId === rule && message.test(m.message));
      }
      if (!ok) failures += 1;
      console.log(`${ok ? 'PASS' : 'FAIL'}  ${c.name}  [${c.filePath}]`);
      for (const m of [...fatal, ...reported]) console.log(`        ${m.ruleId ?? 'parse'}: ${m.message.split('\n')[0]}`);
      if (!ok && c.expect) console.log(`        expected ${c.expect.rule} matching ${c.expect.message}`);
    }

    const projects = Object.values(graph.nodes).map((n) => ({ root: n.data.root, tags: n.data.tags ?? [] }));
    const completeness = [...untaggedTools(projects), ...(await scopeProblems(eslint))];
    for (const problem of completeness) console.log(`FAIL  ${problem}`);
    if (completeness.length === 0) console.log('PASS  every TypeScript folder of tools/ is a type:tool project; the scopes are the services of services.json');
    console.log(failures === 0 ? `\nall ${CASES.length} boundary cases behave as expected` : `\n${failures} of ${CASES.length} cases FAILED`);
    return failures === 0 && completeness.length === 0 ? 0 : 1;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
