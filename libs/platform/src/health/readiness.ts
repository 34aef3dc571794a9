import type { RegisteredCheck } from './health.registry';

export type CheckStatus = 'up' | 'down';

/** A reason code: lowercase words joined by '-', at most 40 characters ('timeout', 'error', 'replaying'...). */
const REASON_CODE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_REASON_CODE = 40;

/**
 * What a readiness check throws to give its failure a reason code of its own (the response shows the code, the log
 * the message): `throw new HealthCheckError('replaying', \`replaying ${stream}\`)`. Any other error is reported as
 * `error`, a check that takes too long as `timeout`.
 */
export class HealthCheckError extends Error {
  override readonly name = 'HealthCheckError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    if (!REASON_CODE.test(code) || code.length > MAX_REASON_CODE) {
      throw new Error(`HealthCheckError: the reason code must be lowercase words joined by '-' (at most ${MAX_REASON_CODE} characters), got '${code}'`);
    }
  }
}

/** Why a check is down, in two parts: a short code for the probe's body and the full text for the log only. */
export interface CheckFailure {
  /** 'timeout', 'error', or a check's own HealthCheckError code. Safe to show anyone. */
  code: string;
  /** The error's text (a driver's message may name hosts, ports, users, SQL states): logged, never sent. */
  message: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
  /** Reason code per failing check: what `/health/ready` shows. */
  failures: Record<string, string>;
  /** Per failing check, its code and raw message: for the log, never for the response. */
  errors: Record<string, CheckFailure>;
}

const MAX_MESSAGE = 1_000;

class CheckTimeout extends Error {}

/** An error's cause, for the log: drivers keep the detail there (the PrismaPg adapter: kind, host, port, SQL state). */
function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof Error) return cause.message || cause.name;
  if (typeof cause !== 'object') return String(cause);
  try {
    return JSON.stringify(cause);
  } catch {
    return undefined;
  }
}

function failureOf(error: unknown): CheckFailure {
  const base = error instanceof Error ? error.message || error.name : String(error);
  const cause = error instanceof Error ? causeText(error.cause) : undefined;
  const text = cause === undefined || cause === base ? base : `${base} (cause: ${cause})`;
  const message = text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}...` : text;
  if (error instanceof CheckTimeout) return { code: 'timeout', message };
  if (error instanceof HealthCheckError) return { code: error.code, message };
  return { code: 'error', message };
}

async function runCheck(check: RegisteredCheck, timeoutMs: number): Promise<CheckFailure | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return undefined;
  } catch (error) {
    return failureOf(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently, each bounded by `timeoutMs`; never throws. */
export async function runReadinessChecks(checks: readonly RegisteredCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map(async (check) => ({ name: check.name, failure: await runCheck(check, timeoutMs) })));
  const report: ReadinessReport = { ready: true, checks: {}, failures: {}, errors: {} };
  for (const { name, failure } of results) {
    report.checks[name] = failure === undefined ? 'up' : 'down';
    if (failure !== undefined) {
      report.ready = false;
      report.failures[name] = failure.code;
      report.errors[name] = failure;
    }
  }
  return report;
}
