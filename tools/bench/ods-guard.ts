/**
 * The ODS guard (CI): a short ODS benchmark run that fails when an OFFICIAL version or a final version is lost, a
 * client sees a unit's versions out of order, a send fails, or results-distribution's lag does not stay bounded under
 * overload. No absolute latency threshold: CI machines are shared and noisy.
 *
 *   npx nx run bench:ods-guard          (builds results-ingest and results-distribution first)
 *   npx tsx tools/bench/ods-guard.ts [ods.ts options that replace the guard's]
 *
 * The run (tools/bench/ods.ts --spawn): 6 s at 40 results/s through results-ingest with 250 CIS and 1000 SSE clients,
 * then 8 s of overload: versions (built beforehand) published straight to the RESULTS stream at 1400/s (2800/s when 1400/s
 * did not overload the machine, see main), more than
 * results-distribution can fan out to those clients on this 2-core machine without conflating (386/s taken in, measured
 * 2026-12-03 at 316eadc with the conflation switched off: FANOUT_MAX_HOLD_MS=0 FANOUT_BACKLOG_MESSAGES=1
 * FANOUT_LATE_MS=60000), below what it can take in while conflating (all 1,388/s in the same conditions; at 1600/s it
 * took in 1,477/s, no longer all, and its lag came within 0.7 s of the bound; at 1200/s the conflation switched off kept
 * up too). "Bounded" is relative to the run: the largest lag (a client's, published -> read, and results-distribution's
 * results_distribution_fanout_lag_max_seconds when it has it) must stay below a quarter of the overload phase's length.
 * A lag that grows with the backlog (no conflation) reaches about T * (1 - intake/offered) at the end of a T-second
 * overload (14.5 s after 8 s with the conflation switched off: FAILED); a bounded one does not grow with T (0.73 s with
 * it). The figures the criterion rests on (offered rate, intake, LIVE versions
 * conflated) are printed, so that a run whose overload was not one (a machine fast enough to keep up) shows it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LAG_FRACTION = 0.25;
const DEFAULTS: Record<string, string> = {
  rate: '40',
  seconds: '6',
  cis: '250',
  sse: '1000',
  units: '40',
  'floor-seconds': '0',
  'overload-seconds': '8',
  'overload-rate': '1400',
};

interface ChannelSummary {
  clients: number;
  updates: number;
  errors: number;
}

interface Summary {
  accepted: { count: number };
  offered: { sent: number };
  sendErrors: Record<string, number>;
  sendErrorCount: number;
  channels: { cis: ChannelSummary; sse: ChannelSummary };
  lostOfficial: number;
  missingFinal: number;
  outOfOrder: number;
  conflatedLive: number;
  lag: { maxSeconds: number | null; maxSource: string | null; holds: number | null };
  overload: {
    seconds: number;
    offeredPerSecond: number;
    published: number;
    publishedPerSecond: number;
    distributionIntakePerSecond: number;
    maxLagMs: number;
  } | null;
}

/**
 * Runs the guard; when its overload did not overload this machine (results-distribution took everything in as it came
 * and never held a round for a backlog: a faster machine than the rate was chosen for), once more at twice the rate,
 * unless the rate was given. A failing run is the verdict; else the last run's.
 */
function main(): number {
  const extra = process.argv.slice(2);
  const rateGiven = extra.includes('--overload-rate');
  let rate = Number(DEFAULTS['overload-rate']);
  for (let attempt = 1; ; attempt++) {
    const outcome = guardRun(rateGiven ? extra : [...extra, '--overload-rate', String(rate)]);
    // A failure is the verdict at once (a run that lost a version is not run again until it passes).
    if (outcome.status !== 0 || outcome.exercised || rateGiven || attempt === 2) {
      if (!outcome.exercised) console.log('[guard] WARNING: the overload did not overload this machine: the lag criterion proved nothing (raise --overload-rate)');
      return outcome.status;
    }
    rate *= 2;
    console.log(`\n[guard] the overload did not overload this machine: again at ${rate}/s\n`);
  }
}

function guardRun(extra: string[]): { status: number; exercised: boolean } {
  const args = ['--spawn'];
  for (const [name, value] of Object.entries(DEFAULTS)) if (!extra.includes(`--${name}`)) args.push(`--${name}`, value);
  const dir = join(ROOT, 'tmp/bench');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `ods-guard-${Date.now()}.json`);
  args.push(...extra, '--json', json);
  console.log(`[guard] npx tsx tools/bench/ods.ts ${args.join(' ')}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'ods.ts'), ...args], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
  if (run.status !== 0) {
    console.error(`\n[guard] FAILED: the benchmark itself failed (exit ${run.status ?? run.signal})`);
    return { status: 1, exercised: true };
  }
  const s = JSON.parse(readFileSync(json, 'utf8')) as Summary;
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string): void => void checks.push({ name, ok, detail });

  const clients = s.channels.cis.clients + s.channels.sse.clients;
  const updates = s.channels.cis.updates + s.channels.sse.updates;
  check('the run delivered', clients > 0 && updates > 0 && s.accepted.count > 0, `${s.accepted.count} accepted, ${clients} clients read ${updates} updates`);
  check('no send errors', s.sendErrorCount === 0, s.sendErrorCount === 0 ? 'none' : JSON.stringify(s.sendErrors));
  check('no client errors', s.channels.cis.errors + s.channels.sse.errors === 0, `CIS ${s.channels.cis.errors}, SSE ${s.channels.sse.errors}`);
  check('no OFFICIAL version lost', s.lostOfficial === 0, `${s.lostOfficial} (client x OFFICIAL version pairs missing)`);
  check('no final version lost', s.missingFinal === 0, `${s.missingFinal} (client x unit pairs whose last version never arrived)`);
  check('versions in order', s.outOfOrder === 0, `${s.outOfOrder} updates not above the last version of their unit the client had seen`);
  let exercised = true;
  if (s.overload === null) {
    check('overload phase ran', false, 'no overload phase in the summary (--overload-seconds 0?)');
  } else {
    const o = s.overload;
    const bound = LAG_FRACTION * o.seconds * 1000;
    const serverMax = s.lag.maxSource === 'results_distribution_fanout_lag_max_seconds' && s.lag.maxSeconds !== null ? s.lag.maxSeconds * 1000 : null;
    const worst = Math.max(o.maxLagMs, serverMax ?? 0);
    check(
      'lag bounded under overload',
      worst < bound,
      `max lag ${worst.toFixed(0)} ms (clients ${o.maxLagMs.toFixed(0)} ms, results_distribution_fanout_lag_max_seconds ` +
        `${serverMax === null ? 'n/a' : `${serverMax.toFixed(0)} ms`}) must stay below ${LAG_FRACTION} x the ${o.seconds} s overload = ${bound.toFixed(0)} ms`,
    );
    // Overloaded: results-distribution could not take everything in as it came, or was behind on the stream so that it
    // held fan-out rounds (its bounding at work). Neither: it kept up with the offered rate, and the criterion proved
    // nothing. (LIVE versions conflated do not tell: a round with two updates of a document conflates at any rate.)
    const holds = s.lag.holds ?? 0;
    exercised = o.distributionIntakePerSecond < 0.9 * o.publishedPerSecond || holds > 0;
    console.log(
      `\n[guard] overload: ${o.published} versions published in ${o.seconds} s (${o.publishedPerSecond}/s, offered ${o.offeredPerSecond}/s); ` +
        `results-distribution took in ${o.distributionIntakePerSecond}/s meanwhile and held ${holds} fan-out rounds for a backlog; LIVE versions conflated: ${s.conflatedLive}` +
        (exercised ? '' : ' -- it kept up with everything: this machine was not overloaded, so the lag criterion was not exercised'),
    );
  }
  console.log('[guard] criteria:');
  for (const c of checks) console.log(`[guard]   ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  console.log(failed.length === 0 ? `[guard] passed (summary: ${json})` : `[guard] FAILED: ${failed.map((c) => c.name).join('; ')} (summary: ${json})`);
  return { status: failed.length === 0 ? 0 : 1, exercised };
}

process.exit(main());
