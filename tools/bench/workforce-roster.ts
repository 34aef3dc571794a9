/**
 * The workforce auto-roster at the size (issue 13: 2,000 members onto 500 shifts of a day in at most 10 s on
 * this machine, every hard rule held), beside the greedy baseline, and a re-plan after changes (members withdrawn,
 * shifts added) counting the published assignments kept and moved. Pure computation, no service and no database.
 *
 *   npx tsx tools/bench/workforce-roster.ts [--members 2000] [--shifts 500] [--seed 2024] [--withdraw 20] [--add 10]
 *     [--highs [<dir holding node_modules/highs>]]   (also the same assignment as a MILP with HiGHS, for the record:
 *                                                      the workspace's devDependency highs (exact version in package.json),
 *                                                      or another one: npm install --prefix <dir> --ignore-scripts highs@<v>)
 *
 * A tool may not import an app's code (@nx/enforce-module-boundaries), so this prints the header line and runs the
 * measurement, apps/workforce/src/roster/roster.measure.ts, with tsx in a child process (its exit code is ours: 1 when
 * any assignment of any plan breaks a hard rule on re-check). docs/workforce-roster.md reads this output.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

import { gitInfo } from './proc';

const root = resolve(__dirname, '../..');
const git = gitInfo(['apps/workforce/src/roster', 'apps/workforce/src/rules']);
const args = process.argv.slice(2);
console.log(
  `== ${new Date().toISOString()} load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
    `build of ${git.commit?.slice(0, 7) ?? 'unknown'}${git.dirty ? ' (roster or rules modified)' : ''}; ` +
    `npx tsx tools/bench/workforce-roster.ts ${args.join(' ')}`.trimEnd(),
);
const run = spawnSync('npx', ['tsx', 'apps/workforce/src/roster/roster.measure.ts', ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
