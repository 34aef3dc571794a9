/**
 * The chart's Prometheus rules tested like code (`npx nx run deploy-checks:prometheus-rules`, run by `npm test`):
 *
 * 1. `promtool check rules` of every rule file of charts/podium/files/prometheus;
 * 2. `promtool test rules` of their unit tests (tests/*.test.yaml: each alert firing and not firing on synthetic series);
 * 3. the same two on the rules as the chart renders them (`helm template` with prometheusRules.enabled in namespace
 *    og2024, the tests' namespace): each PrometheusRule's groups written back as a rule file of the source's name, so
 *    the narrowing to the release's namespace is proven not to change what fires; rendered in another namespace
 *    (pg2024), the threshold alerts' tests must fail: the rules then ignore og2024's series. (The runbook prefix and
 *    the SLO selectors' narrowing are checked on the rendered text in chart.spec.ts.)
 *
 * promtool comes from Debian's `prometheus` package (`bash tools/dev/services.sh --promtool` installs the binary alone);
 * $PROMTOOL overrides the path.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WORKSPACE_ROOT } from './apps';
import { CHART_DIR, helmTemplate, ownObjects } from './helm';

export const RULES_DIR = join(WORKSPACE_ROOT, 'charts', 'podium', 'files', 'prometheus');
const TESTS = 'tests';

function promtool(args: readonly string[], cwd: string): { status: number; output: string } {
  const bin = process.env['PROMTOOL'] ?? 'promtool';
  const result = spawnSync(bin, args, { cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`${bin}: ${result.error.message} (bash tools/dev/services.sh --promtool installs it)`);
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** The rule files (not the tests) of a rules directory. */
export function ruleFiles(dir: string = RULES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** The unit test files of a rules directory (relative: they name their rule files as ../<file>). */
export function testFiles(dir: string = RULES_DIR): string[] {
  return readdirSync(join(dir, TESTS))
    .filter((f) => f.endsWith('.test.yaml'))
    .sort()
    .map((f) => join(TESTS, f));
}

/**
 * Writes the chart's PrometheusRules, rendered in `namespace`, as rule files named like their sources (the object
 * `<release>-podium-<file>` from files/prometheus/<file>.yaml), with the tests beside them; returns the directory.
 */
export function renderRules(namespace: string, set: Readonly<Record<string, string>> = {}): string {
  const rendered = ownObjects(helmTemplate(CHART_DIR, { namespace, set: { 'prometheusRules.enabled': 'true', ...set } }));
  const rules = rendered.filter((o) => o.kind === 'PrometheusRule');
  const dir = mkdtempSync(join(tmpdir(), 'podium-rules-'));
  mkdirSync(join(dir, TESTS));
  for (const file of ruleFiles()) {
    const name = `podium-${file.replace(/\.yaml$/, '')}`;
    const object = rules.find((o) => o.metadata?.name === name);
    if (!object) throw new Error(`no PrometheusRule ${name} rendered for files/prometheus/${file}`);
    const spec = (object as { spec?: { groups?: unknown } }).spec;
    writeFileSync(join(dir, file), stringify({ groups: spec?.groups }));
  }
  if (rules.length !== ruleFiles().length) throw new Error(`${rules.length} PrometheusRules rendered for ${ruleFiles().length} rule files`);
  for (const test of testFiles()) copyFileSync(join(RULES_DIR, test), join(dir, test));
  return dir;
}

function main(): void {
  const failures: string[] = [];
  const run = (what: string, args: readonly string[], cwd: string, expectFailure = false): void => {
    const { status, output } = promtool(args, cwd);
    // An expected failure must be alerts that did not fire (got nothing), not a file promtool could not read.
    const ok = expectFailure ? status !== 0 && output.includes('FAILED:') && /got:\[\s*\]/.test(output) : status === 0;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) {
      console.log(output);
      failures.push(what);
    }
  };
  run('promtool check rules (files)', ['check', 'rules', ...ruleFiles()], RULES_DIR);
  run('promtool test rules (files)', ['test', 'rules', ...testFiles()], RULES_DIR);
  const og = renderRules('og2024');
  const pg = renderRules('pg2024');
  try {
    run('promtool check rules (rendered in og2024)', ['check', 'rules', ...ruleFiles()], og);
    run('promtool test rules (rendered in og2024: the same alerts fire)', ['test', 'rules', ...testFiles()], og);
    // The threshold alerts' tests suffice to show it (the SLOs' selectors are checked in chart.spec.ts), at a fraction
    // of the time.
    run('promtool test rules (rendered in pg2024: og2024 series ignored, the tests fail)', ['test', 'rules', join(TESTS, 'pipeline.test.yaml')], pg, true);
  } finally {
    rmSync(og, { recursive: true, force: true });
    rmSync(pg, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} check(s) failed: ${failures.join('; ')}`);
    process.exit(1);
  }
}

if (require.main === module) main();
