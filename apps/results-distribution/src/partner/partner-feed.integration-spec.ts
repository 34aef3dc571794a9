/**
 * The partner example (examples/partner-feed, on @podium/partner-sdk) run as a partner runs it, as a process of its
 * own, against real NATS and this results-distribution (started by the harness of this app's integration tests):
 *
 * - results published as results-ingest publishes them reach it through its durable consumer, and the medal table
 *   through CIS;
 * - stopped, with results published meanwhile, then started again: it resumes from its durable, each result exactly
 *   once over both runs (none missed, none repeated);
 * - results-distribution restarted (the server closes the CIS socket, 1001) behind a stable address (a TCP proxy, as
 *   the Ingress): the CIS client reconnects and resumes after its last sequence: the update published during the outage
 *   comes once, as a resumed subscription's missed update, not as a new snapshot.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { TcpProxy, waitFor, workspaceRoot } from '@podium/testing';
import { distributionForThisFile } from '../test-support/distribution';
import { EVENT, medallists, publishResult, result, UNIT } from '../test-support/messages';

type Line = Record<string, unknown> & { event: string };

/** One run of the example: its JSON lines as they come. */
interface Run {
  child: ChildProcess;
  lines: Line[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const rdFile = distributionForThisFile();
let proxy: TcpProxy;
const runs: Run[] = [];

function start(): Run {
  const app = rdFile.app;
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/partner-feed/src/main.ts', '--json', '--cis-documents'], {
    cwd: workspaceRoot(),
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_URL: app.nats.url,
      NATS_PREFIX: app.nats.prefix,
      PARTNER_USER: 'partner-e2e',
      // The test's NATS has no authorization (as `npm start`): the example creates its durable on first start.
      PARTNER_CREATE_DURABLE: 'true',
      CIS_URL: `ws://127.0.0.1:${proxy.port}/v1/cis`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (text.trim()) lines.push(JSON.parse(text) as Line);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, lines, stderr: () => stderr, exited };
  runs.push(run);
  return run;
}

async function until(run: Run, predicate: (line: Line) => boolean, description: string): Promise<Line> {
  try {
    const found = await waitFor(() => run.lines.find(predicate), { timeoutMs: 30_000, description });
    if (!found) throw new Error('unreachable');
    return found;
  } catch (error) {
    throw new Error(`${String(error)}\n--- example stdout:\n${run.lines.map((l) => JSON.stringify(l)).join('\n')}\n--- stderr:\n${run.stderr()}`, { cause: error });
  }
}

const resultSeqs = (run: Run): number[] => run.lines.filter((l) => l.event === 'result').map((l) => Number(l['seq']));
const cisSeqs = (run: Run): number[] => run.lines.filter((l) => l.event === 'cis-update').map((l) => Number(l['seq']));

beforeAll(async () => {
  const port = Number(new URL(rdFile.app.url).port);
  proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: port });
});

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  await proxy?.close();
});

it('prints live results and the medal table, resumes its durable after a restart, and its CIS client resumes after the server closed the socket', async () => {
  // First run: a result and the medal table, live.
  const first = start();
  await until(first, (l) => l.event === 'following', 'the example follows its durable');
  await until(first, (l) => l.event === 'cis-subscribed' && l['id'] === 'live', 'the CIS subscription');
  const seqA = await publishResult(rdFile.app, result({ rsc: UNIT, version: 1 }));
  await until(first, (l) => l.event === 'result' && l['seq'] === seqA, 'result A over NATS');
  await until(first, (l) => l.event === 'cis-update' && l['seq'] === seqA, 'result A over CIS');
  const seqM = await publishResult(
    rdFile.app,
    medallists({ eventRsc: EVENT, version: 1, medals: [{ medal: 'GOLD', noc: 'USA' }, { medal: 'SILVER', noc: 'JAM' }, { medal: 'BRONZE', noc: 'GBR' }] }),
  );
  const medals = await until(first, (l) => l.event === 'medals' && l['seq'] === seqM, 'the medal table with the medallists');
  expect(medals['rows']).toEqual([
    { rank: 1, noc: 'USA', gold: 1, silver: 0, bronze: 0, total: 1 },
    { rank: 2, noc: 'JAM', gold: 0, silver: 1, bronze: 0, total: 1 },
    { rank: 3, noc: 'GBR', gold: 0, silver: 0, bronze: 1, total: 1 },
  ]);
  await until(first, (l) => l.event === 'result' && l['seq'] === seqM, 'the medallists over NATS');

  // Stopped (SIGTERM: acks settle, the connection drains); two results while it is away.
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  const seqB = await publishResult(rdFile.app, result({ rsc: UNIT, version: 2 }));
  const seqC = await publishResult(rdFile.app, result({ rsc: UNIT, version: 3, resultStatus: 'OFFICIAL' }));

  // Second run: resumes from the durable: B and C, never A or the medallists again.
  const second = start();
  await until(second, (l) => l.event === 'result' && l['seq'] === seqC, 'result C after the restart');
  await until(second, (l) => l.event === 'cis-snapshot' && Number(l['seq']) >= seqC, 'the CIS snapshot with C (a new process starts with one)');
  expect([...resultSeqs(first), ...resultSeqs(second)]).toEqual([seqA, seqM, seqB, seqC]);

  // results-distribution restarted: it closes the CIS socket (1001); a result is published while the client cannot
  // reach it; the proxy then points at the new instance, as the Ingress would.
  const cisBefore = cisSeqs(second);
  const restarted = rdFile.restart();
  await until(second, (l) => l.event === 'cis-disconnected' && l['code'] === 1001, 'the server closing the CIS socket');
  const next = await restarted;
  const seqD = await publishResult(next, result({ rsc: UNIT, version: 4, resultStatus: 'OFFICIAL' }));
  await waitFor(() => next.state.resultsSeq >= seqD, { description: 'the new instance applied D' });
  proxy.retarget('127.0.0.1', Number(new URL(next.url).port));

  const resumed = await until(second, (l) => l.event === 'cis-subscribed' && l['id'] === 'live' && l['resumed'] === true, 'the CIS subscription resumed');
  expect(resumed['missed']).toBe(1);
  await until(second, (l) => l.event === 'cis-update' && l['seq'] === seqD, 'the update missed during the outage');
  await until(second, (l) => l.event === 'result' && l['seq'] === seqD, 'D over NATS');
  const cisAfter = cisSeqs(second).slice(cisBefore.length);
  expect(cisAfter).toEqual([seqD]);
  // No second snapshot after the reconnection: the subscription resumed.
  expect(second.lines.filter((l) => l.event === 'cis-snapshot')).toHaveLength(1);
  expect(resultSeqs(second)).toEqual([seqB, seqC, seqD]);

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});
