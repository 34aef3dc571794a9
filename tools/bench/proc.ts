/**
 * Read-only views of /proc for the benchmarks: the CPU time of a process, and which processes to watch (by name, by
 * parent, by the port they listen on), so a report shows whether the service or the load generator was the limit.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by a process (utime + stime); 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid) ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS;
}

/**
 * CPU seconds of this process's children that have exited and been waited for (cutime + cstime): the difference over a
 * `spawnSync` is what that child (e.g. wrk) used.
 */
export function reapedChildrenCpuSeconds(): number {
  const fields = statFields(process.pid) ?? [];
  return (Number(fields[13] ?? 0) + Number(fields[14] ?? 0)) / TICKS;
}

/** CPU seconds the whole machine has spent busy so far, all cores (/proc/stat: everything but idle and iowait). */
export function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** Pids of processes by command name (nats-server, postgres). */
export function pidsNamed(name: string): number[] {
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
    } catch {
      return false; // gone
    }
  });
}

/** Pids of the direct children of `parent` (nginx's worker under its master). */
export function childrenOf(parent: number): number[] {
  return allPids().filter((pid) => statFields(pid)?.[1] === String(parent));
}

/** The pid of the process listening on TCP `port` (any address), from /proc/net/tcp{,6} and the processes' fds. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      // st 0A = LISTEN; column 9 is the socket's inode.
      if (local === undefined || columns[3] !== '0A') continue;
      if (parseInt(local.split(':')[1] ?? '', 16) === port && columns[9] !== undefined) inodes.add(columns[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/**
 * The CPU seconds a set of processes used over a window, sampled (`observe` every few hundred ms): each pid's first
 * and last reading within the window, so that a process that ends during it (a killed replica, a PostgreSQL backend
 * that disconnects) keeps what it used until its last reading, and one that starts during it (`bornInWindow`) counts
 * from 0.
 */
export class CpuWindow {
  private readonly readings = new Map<number, { group: string; first: number; last: number }>();

  observe(group: string, pid: number, bornInWindow = false): void {
    const now = cpuSeconds(pid);
    const known = this.readings.get(pid);
    if (known) {
      // A process that has ended reads 0: it keeps its last reading.
      if (now > known.last) known.last = now;
      return;
    }
    if (now === 0 && statFields(pid) === undefined) return;
    this.readings.set(pid, { group, first: bornInWindow ? 0 : now, last: now });
  }

  /** CPU seconds per group (groups in the order first observed). */
  used(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { group, first, last } of this.readings.values()) out[group] = (out[group] ?? 0) + (last - first);
    return out;
  }

  /** How many distinct processes of `group` were observed. */
  processes(group: string): number {
    return [...this.readings.values()].filter((r) => r.group === group).length;
  }
}

/**
 * The commit a run measured and whether the work tree differed from it (`paths`: only those; default the whole tree,
 * untracked files left out); null where git could not say.
 */
export function gitInfo(paths: readonly string[] = []): { commit: string | null; dirty: boolean | null } {
  const git = (...args: string[]): string | null => {
    const run = spawnSync('git', args, { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
    return run.status === 0 ? run.stdout.trim() : null;
  };
  const status = git('status', '--porcelain', '--untracked-files=no', ...(paths.length > 0 ? ['--', ...paths] : []));
  return { commit: git('rev-parse', 'HEAD'), dirty: status === null ? null : status !== '' };
}

/** The machine's load averages (1, 5, 15 min), as the benchmarks print them: `0.52 0.61 0.70`. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Runs a benchmark's main: a failure prints its stack and exits 1. */
export function benchMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
