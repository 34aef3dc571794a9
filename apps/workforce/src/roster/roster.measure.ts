/**
 * The measurement behind tools/bench/workforce-roster.ts (which prints the header and runs this file with tsx: a tool
 * may not import an app's code). The workforce auto-roster at the issue's size (issue 13: 2,000 members onto 500 shifts of a day in at most 10 s on
 * this machine, every hard rule held), beside the greedy baseline, and a re-plan after changes (members withdrawn,
 * shifts added) counting the published assignments kept and moved. Pure computation in this process: no service, no
 * database (the roster's logic is apps/workforce/src/roster/roster.logic.ts; the instance comes from its seeded
 * generator, roster.generator.ts).
 *
 *   npx tsx tools/bench/workforce-roster.ts [--members 2000] [--shifts 500] [--seed 2024] [--withdraw 20] [--add 10]
 *     [--highs [<dir holding node_modules/highs>]]   (also solve the same assignment as a MILP with HiGHS, for the record:
 *                                                      the workspace's devDependency highs, or the one installed under <dir>)
 *
 * Every assignment of every plan is re-checked from scratch with the rules engine's checkAssignment (against the
 * member's earlier assignments and its other shifts of the plan); a violation makes the benchmark exit 1.
 * docs/workforce-roster.md reads this output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { seededRandom } from '@podium/random';

import { checkAssignment } from '../rules/rules.logic';
import type { ShiftFacts } from '../rules/rules.types';
import { generateInstance, localShift, ROSTER_AREAS, ROSTER_VENUES } from './roster.generator';
import { planGreedy, planRoster, type RosterInput, type RosterPlan, type RosterShift } from './roster.logic';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numberOption(name: string, fallback: number): number {
  const text = argValue(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${text}`);
  return value;
}

const HOUR = 3_600_000;

function recheck(data: RosterInput, plan: RosterPlan): number {
  const shifts = new Map(data.shifts.map((s) => [s.facts.id, s]));
  const members = new Map(data.members.map((m) => [m.id, m]));
  const manual = new Set(data.shifts.flatMap((s) => s.assigned.filter((a) => a.source === 'manual').map((a) => `${a.memberId}:${s.facts.id}`)));
  const all = [...plan.keep, ...plan.add];
  const byMember = new Map<string, ShiftFacts[]>();
  const perShift = new Map<string, number>();
  for (const a of all) {
    byMember.set(a.memberId, [...(byMember.get(a.memberId) ?? []), (shifts.get(a.shiftId) as RosterShift).facts]);
    perShift.set(a.shiftId, (perShift.get(a.shiftId) ?? 0) + 1);
  }
  let bad = 0;
  for (const [id, n] of perShift) if (n > (shifts.get(id)?.headcount ?? 0)) bad++;
  for (const a of all) {
    if (manual.has(`${a.memberId}:${a.shiftId}`)) continue;
    const m = members.get(a.memberId);
    const s = shifts.get(a.shiftId)?.facts;
    if (m === undefined || s === undefined) {
      bad++;
      continue;
    }
    const mine = (byMember.get(a.memberId) ?? []).filter((o) => o.id !== s.id);
    if (checkAssignment(data.rules[m.type], m, s, [...(data.others.get(m.id) ?? []), ...mine]).length > 0) bad++;
  }
  return bad;
}

function line(name: string, plan: RosterPlan, wallMs: number, violations: number): string {
  const h = plan.metrics.hours;
  const p = plan.metrics.phases;
  return (
    `${name.padEnd(8)} ${String(wallMs).padStart(6)} ms  filled ${plan.metrics.filled}/${plan.metrics.places} ` +
    `(${(plan.metrics.filledShare * 100).toFixed(2)} %)  fairness spread ${h.spread} h (min ${h.min}, max ${h.max}), stddev ${h.stddev} h, ` +
    `mean ${h.mean} h  objective ${plan.metrics.objective}  unfilled shifts ${plan.unfilled.length}  ` +
    `hard-rule violations ${violations} (re-checked ${plan.add.length + plan.keep.length})  ` +
    `phases: prepare ${p.prepare}, construct ${p.construct}, augment ${p.augment}, search ${p.search}, finish ${p.finish} ms`
  );
}

function run(name: string, plan: (data: RosterInput) => RosterPlan, data: RosterInput): { plan: RosterPlan; violations: number } {
  const started = Date.now();
  const result = plan(data);
  const wall = Date.now() - started;
  const violations = recheck(data, result);
  console.log(line(name, result, wall, violations));
  return { plan: result, violations };
}

/**
 * `--highs` alone (or followed by another option): the workspace's `highs` (a devDependency at an exact version);
 * `--highs <dir>`: the one installed under <dir> (`npm install --prefix <dir> --ignore-scripts highs@<version>`, another
 * version for instance). Undefined: no MILP.
 */
function highsOption(): { dir: string | null } | undefined {
  const i = process.argv.indexOf('--highs');
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return { dir: next === undefined || next.startsWith('--') ? null : next };
}

/** The version in the package.json of the package holding `file` (highs exports no package.json). */
function packageVersion(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  }
  return 'unknown';
}

/** The same assignment as a MILP for HiGHS: x[m,s] binary over eligible pairs, headcounts, one shift per rest window. */
async function milp(data: RosterInput, highsDir: string | null): Promise<void> {
  const started = Date.now();
  const pairs: Array<[number, number]> = [];
  data.members.forEach((m, mi) =>
    data.shifts.forEach((s, si) => {
      if (checkAssignment(data.rules[m.type], m, s.facts, data.others.get(m.id) ?? []).length === 0) pairs.push([mi, si]);
    }),
  );
  const objective: string[] = [];
  const rows: string[] = [];
  const byShift = new Map<number, string[]>();
  const byMember = new Map<number, number[]>();
  for (const [mi, si] of pairs) {
    const name = `x${mi}_${si}`;
    const s = data.shifts[si].facts;
    const hours = (s.end - s.start) / HOUR;
    // Fill first (100 per place), then the fairness term of an empty week (the heuristic's pairCost without prior hours).
    objective.push(`+ ${(100 - (hours * hours) / 64).toFixed(3)} ${name}`);
    byShift.set(si, [...(byShift.get(si) ?? []), name]);
    byMember.set(mi, [...(byMember.get(mi) ?? []), si]);
  }
  for (const [si, names] of byShift) rows.push(` c${si}: ${names.join(' + ')} <= ${data.shifts[si].headcount}`);
  for (const [mi, list] of byMember) {
    const m = data.members[mi];
    const rest = (data.rules[m.type].minRestHours ?? 0) * HOUR;
    const seen = new Set<string>();
    for (const t of new Set(list.map((si) => data.shifts[si].facts.start))) {
      const clique = list.filter((si) => data.shifts[si].facts.start <= t && t < data.shifts[si].facts.end + rest);
      const key = clique.join(',');
      if (clique.length < 2 || seen.has(key)) continue;
      seen.add(key);
      rows.push(` k${mi}_${t}: ${clique.map((si) => `x${mi}_${si}`).join(' + ')} <= 1`);
    }
  }
  const lp = `Maximize\n obj: ${objective.join(' ')}\nSubject To\n${rows.join('\n')}\nBinary\n ${pairs.map(([mi, si]) => `x${mi}_${si}`).join(' ')}\nEnd\n`;
  const built = Date.now();
  const from = createRequire(highsDir === null ? __filename : `${highsDir}/`);
  const version = packageVersion(from.resolve('highs'));
  const load = from('highs') as () => Promise<{
    solve(lp: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> };
  }>;
  const highs = await load();
  const loaded = Date.now();
  const result = highs.solve(lp, { output_flag: false, time_limit: 120, mip_rel_gap: 0.001 });
  const solved = Date.now();
  const filled = Object.values(result.Columns).filter((c) => c.Primal > 0.5).length;
  console.log(
    `highs    ${String(solved - started).padStart(6)} ms  ${result.Status}, filled ${filled}/${data.shifts.reduce((t, s) => t + s.headcount, 0)}; ` +
      `${pairs.length} binary variables, ${rows.length} rows, LP text ${(lp.length / 1e6).toFixed(1)} MB; eligibility + model ${built - started} ms, ` +
      `WASM load ${loaded - built} ms, solve ${solved - loaded} ms (time limit 120 s, gap 0.1 %; a simplified objective: no prior hours, no preferences); ` +
      `highs ${version} (${highsDir === null ? "the workspace's" : highsDir})`,
  );
}

async function main(): Promise<void> {
  const members = numberOption('--members', 2000);
  const shiftCount = numberOption('--shifts', 500);
  const seed = numberOption('--seed', 2024);
  const withdrawCount = numberOption('--withdraw', 20);
  const addCount = numberOption('--add', 10);
  const highs = highsOption();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`workforce roster: Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load ${load}`);

  const generated = Date.now();
  const { input: data, day } = generateInstance({ members, shifts: shiftCount, seed });
  const places = data.shifts.reduce((t, s) => t + s.headcount, 0);
  console.log(
    `instance: seed ${seed}, ${members} members (${data.others.size} with earlier assignments), ${shiftCount} shifts of ${day} at ` +
      `${ROSTER_VENUES.length} venues, ${places} places; generated in ${Date.now() - generated} ms`,
  );

  let failed = 0;
  const solver = run('roster', planRoster, data);
  const greedy = run('greedy', planGreedy, data);
  failed += solver.violations + greedy.violations;
  console.log(`unfilled (roster), first 3: ${solver.plan.unfilled.slice(0, 3).map((u) => `${u.open} open: ${u.message}`).join(' | ') || 'none'}`);

  // Re-plan: the first plan published; members withdrawn (seeded pick among the assigned) and shifts added.
  const random = seededRandom(seed + 1);
  const assigned = [...solver.plan.add];
  const withdrawn = new Set<string>();
  while (withdrawn.size < Math.min(withdrawCount, assigned.length)) withdrawn.add(assigned[Math.floor(random() * assigned.length)]?.memberId as string);
  const published = new Map<string, RosterShift['assigned'][number][]>();
  for (const a of solver.plan.add) {
    published.set(a.shiftId, [...(published.get(a.shiftId) ?? []), { memberId: a.memberId, assignmentId: `${a.memberId}:${a.shiftId}`, published: true, source: 'roster' }]);
  }
  const added: RosterShift[] = Array.from({ length: addCount }, (_, i) => {
    const hour = [6, 10, 14, 18][i % 4] as number;
    return {
      facts: localShift(`added-${i}`, ROSTER_VENUES[i % ROSTER_VENUES.length] as string, ROSTER_AREAS[i % ROSTER_AREAS.length] as string, day, hour, 6),
      headcount: 2,
      startLocalHour: hour,
      assigned: [],
    };
  });
  const replan: RosterInput = {
    ...data,
    members: data.members.filter((m) => !withdrawn.has(m.id)),
    shifts: [...data.shifts.map((s) => ({ ...s, assigned: published.get(s.facts.id) ?? [] })), ...added],
  };
  const publishedCount = solver.plan.add.length;
  console.log(`re-plan: ${publishedCount} published assignments, ${withdrawn.size} members withdrawn, ${addCount} shifts added (${addCount * 2} places)`);
  for (const [name, f] of [
    ['roster', planRoster],
    ['greedy', planGreedy],
  ] as const) {
    const started = Date.now();
    const plan = f(replan);
    const wall = Date.now() - started;
    const violations = recheck(replan, plan);
    failed += violations;
    console.log(
      `${name.padEnd(8)} ${String(wall).padStart(6)} ms  published kept ${plan.counts.keptPublished}/${publishedCount}, moved ${plan.counts.moved}, ` +
        `added ${plan.counts.added}, removed ${plan.counts.removed}; filled ${plan.metrics.filled}/${plan.metrics.places} ` +
        `(${(plan.metrics.filledShare * 100).toFixed(2)} %), fairness spread ${plan.metrics.hours.spread} h, stddev ${plan.metrics.hours.stddev} h; ` +
        `hard-rule violations ${violations}`,
    );
  }
  if (highs !== undefined) await milp(data, highs.dir);
  if (failed > 0) {
    console.error(`${failed} hard-rule violations`);
    process.exit(1);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
