/**
 * Proof that the service kit works (run by `npm test`, like the boundaries proof):
 *
 *   npx tsx tools/scaffold/prove.ts [--keep]      (or: npx nx run scaffold:prove)
 *
 * Copies the repository (its files as git sees them, node_modules linked) to a scratch folder, generates a throwaway
 * service there with `tools/scaffold/new-service.ts` (a name not in the list, so the list is extended too) and a lib
 * with `new-lib.ts`, then runs what CI runs on them: lint, typecheck and unit tests of both, the service's integration
 * tests on real PostgreSQL and NATS, the migration drift check, the contracts' registry rules, the NATS users and
 * AsyncAPI staleness checks, and the deployment checks (chart, images, service list) with the new service built.
 * Exit code 1 with the failing step when any of them fails. The scratch folder is removed unless --keep.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const SERVICE = 'kit-proof';
const LIB = 'kit-proof-util';

function copyRepository(to: string): number {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO })
    .toString('utf8')
    .split('\0')
    .filter((f) => f && existsSync(join(REPO, f)));
  for (const file of listed) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(REPO, file), join(to, file), { verbatimSymlinks: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(to, 'node_modules'), 'dir');
  return listed.length;
}

function step(root: string, title: string, command: string, args: string[]): void {
  const started = Date.now();
  console.log(`\n== ${title}\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', FORCE_COLOR: '0' },
  });
  if (result.status !== 0) throw new Error(`${title}: \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  console.log(`-- ${title}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function main(argv: readonly string[]): number {
  const scratch = mkdtempSync(join(tmpdir(), 'podium-kit-proof-'));
  const root = join(scratch, 'podium');
  mkdirSync(root);
  let ok = false;
  try {
    console.log(`scratch copy: ${root} (${copyRepository(root)} files)`);
    const nx = (title: string, ...args: string[]): void => step(root, title, 'npx', ['nx', ...args, '--outputStyle=static']);
    step(root, 'generate a service', 'npx', [
      'tsx', 'tools/scaffold/new-service.ts', SERVICE, '--port', '3099', '--family', 'OMS', '--purpose', 'throwaway service of the kit proof',
    ]);
    step(root, 'generate a lib', 'npx', ['tsx', 'tools/scaffold/new-lib.ts', LIB, '--type', 'util', '--scope', SERVICE]);
    // The service imports the lib through its path alias: lint (boundaries), typecheck and jest must all resolve it.
    writeFileSync(
      join(root, 'apps', SERVICE, 'src', 'app', 'uses-lib.spec.ts'),
      `import * as lib from '@podium/${LIB}';\n\ndescribe('@podium/${LIB}', () => {\n  it('is importable by its service', () => {\n    expect(Object.keys(lib)).toEqual([]);\n  });\n});\n`,
    );
    nx('lint, typecheck, unit tests of both', 'run-many', '-t', 'lint', 'typecheck', 'test', '-p', SERVICE, LIB, '--parallel=2');
    nx('integration tests of the service (real PostgreSQL + NATS)', 'run', `${SERVICE}:integration`);
    step(root, 'its migrations match its schema', 'node', ['tools/db/cli.mjs', 'drift', SERVICE]);
    nx('contracts: registry rules, AsyncAPI, service list', 'run', 'contracts:test');
    step(root, 'NATS users are current', 'npx', ['tsx', 'tools/helm/nats-permissions.ts', '--check']);
    step(root, 'AsyncAPI document is current', 'npx', ['tsx', 'tools/asyncapi/generate.ts', '--check']);
    nx('deployment checks (every app built: chart, images, service list)', 'run', 'deploy-checks:test');
    nx('boundaries (ESLint scopes from the list)', 'run', 'lint-rules:check-boundaries');
    console.log(`\nservice kit proof: ${SERVICE} and ${LIB} generated and green`);
    ok = true;
    return 0;
  } catch (error) {
    console.error(`\nservice kit proof FAILED: ${error instanceof Error ? error.message : String(error)}\n(scratch copy kept: ${root})`);
    return 1;
  } finally {
    if (ok && !argv.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
