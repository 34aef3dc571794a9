import type { RegisteredCheck } from './health.registry';

export type CheckStatus = 'up' | 'down';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
  /** Reason per failing check. */
  failures: Record<string, string>;
}

const MAX_REASON = 300;

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}...` : text;
}

async function runCheck(check: RegisteredCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return undefined;
  } catch (error) {
    return reasonOf(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently, each bounded by `timeoutMs`; never throws. */
export async function runReadinessChecks(checks: readonly RegisteredCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map(async (check) => ({ name: check.name, failure: await runCheck(check, timeoutMs) })));
  const report: ReadinessReport = { ready: true, checks: {}, failures: {} };
  for (const { name, failure } of results) {
    report.checks[name] = failure === undefined ? 'up' : 'down';
    if (failure !== undefined) {
      report.ready = false;
      report.failures[name] = failure;
    }
  }
  return report;
}
