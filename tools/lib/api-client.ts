/**
 * A small HTTP client of the services' APIs for command-line tools (no Nest, no app imports): bearer token, JSON in
 * and out, problem+json errors turned into ApiError, and a main() runner with exit codes.
 */

export interface ProblemBody {
  type?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError<P extends ProblemBody = ProblemBody> extends Error {
  constructor(
    readonly status: number,
    readonly problem: P,
    /** The answer's Retry-After, in seconds, when it had one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
  }
}

/** Times a request answered 409 serialization-conflict (nothing applied: "retry the request") is sent again. */
const CONFLICT_RETRIES = 5;

/**
 * `call(method, path, body?)` against `baseUrl` with the token; resolves with the JSON answer or throws ApiError. A
 * 409 `serialization-conflict` (the request lost to concurrent ones and was not applied) is sent again after its
 * Retry-After, up to CONFLICT_RETRIES times, as the problem asks.
 */
export function client(baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once<T>(method, path, body);
      } catch (error) {
        const conflict = error instanceof ApiError && error.status === 409 && error.problem.type?.endsWith('/serialization-conflict') === true;
        if (!conflict || attempt >= CONFLICT_RETRIES) throw error;
        await new Promise((r) => setTimeout(r, (error.retryAfterSeconds ?? 1) * 1000 * (0.5 + Math.random())));
      }
    }
  };

  async function once<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(180_000),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    let problem: ProblemBody;
    try {
      problem = JSON.parse(text) as ProblemBody;
    } catch {
      problem = { detail: text };
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
}

/** Prints an error: for a problem+json answer, its title and detail, then each field error. */
export function printProblem(error: unknown, out: (line: string) => void): void {
  if (!(error instanceof ApiError)) {
    out(error instanceof Error ? error.message : String(error));
    return;
  }
  out(`failed: ${error.message}`);
  for (const e of error.problem.errors ?? []) out(`  ${e.field}: ${e.message}`);
}

/** Runs a tool's main() and exits with its code (1 with the message on an unexpected error). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

/** Runs `work` over `items`, `concurrency` at a time: a loader's requests in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}
