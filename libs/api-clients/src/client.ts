/**
 * The one way the command-line tools, demo loaders and load generators call a service: `apiClient('<service>', { baseUrl,
 * token })` is an openapi-fetch client typed by that service's generated paths (src/generated, from
 * docs/openapi/<service>.json): a path, a parameter or a body field the document does not have is a compile error, and
 * the answer is typed by the document's response schema. `ok(...)` turns a problem+json answer into ApiError.
 *
 *   const schedules = apiClient('schedules', { baseUrl, token });
 *   const report = await ok(schedules.POST('/v1/data-packs', { body: pack, params: { query: { dryRun: true } } }));
 *
 * A 409 `serialization-conflict` (the request lost to concurrent ones and nothing was applied: "retry the request") is
 * sent again after its Retry-After, up to `conflictRetries` times, as the problem asks.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { ServicePaths } from './generated';

/** The body of an application/problem+json answer (libs/platform's problem details), as far as a tool reads it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** A service's answer that was not a success: its status, its problem+json body and its Retry-After. */
export class ApiError<P extends ProblemBody = ProblemBody> extends Error {
  constructor(
    readonly status: number,
    readonly problem: P,
    /** The answer's Retry-After, in seconds, when it had one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
    this.name = 'ApiError';
  }

  /** The problem's type ends with `/<code>` (e.g. `serialization-conflict`). */
  is(code: string): boolean {
    return typeof this.problem.type === 'string' && this.problem.type.endsWith(`/${code}`);
  }
}

export interface ApiClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:3001 (a trailing slash is ignored). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every request. */
  token?: string;
  /** Times a 409 serialization-conflict is sent again (default 5; 0: never). */
  conflictRetries?: number;
  /** Per request, in ms (default 180 s: a bulk request of 1,000 rows on a loaded machine). */
  timeoutMs?: number;
  /** Headers on every request (e.g. a correlation id). */
  headers?: Record<string, string>;
  /**
   * Times a request whose connection failed (refused, reset: fetch rejected, not a timeout) is sent again (default 0:
   * a write may have been applied; a load generator whose rows are idempotent or counted sets it).
   */
  networkRetries?: number;
  /** The wait before sending a conflict again when the answer has no Retry-After, in ms, jittered x0.5-1.5 (default 1,000). */
  conflictBackoffMs?: number;
  /** Told of each 409 serialization-conflict sent again (a load generator counts them). */
  onConflictRetry?: () => void;
}

export type ServiceName = keyof ServicePaths;
export type ApiClient<S extends ServiceName> = Client<ServicePaths[S]>;

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/**
 * The JSON body of `method path` of `service`, from its document: for code that builds a body before the call, or
 * sends it by other means than the client (a load generator's pre-serialised batch).
 *
 *   const row: RequestBody<'workforce', '/v1/editions/{edition}/members/bulk', 'post'>['members'][number] = ...;
 */
export type RequestBody<S extends ServiceName, P extends keyof ServicePaths[S], M extends Method> = ServicePaths[S][P] extends Record<
  M,
  { requestBody?: { content: { 'application/json': infer B } } }
>
  ? B
  : never;

/** The JSON body of the success answer (2xx) of `method path` of `service`, from its document. */
export type ResponseBody<S extends ServiceName, P extends keyof ServicePaths[S], M extends Method> = ServicePaths[S][P] extends Record<
  M,
  { responses: infer R }
>
  ? { [C in keyof R]: C extends 200 | 201 | 202 ? (R[C] extends { content: { 'application/json': infer B } } ? B : never) : never }[keyof R]
  : never;

const DEFAULT_CONFLICT_RETRIES = 5;
const DEFAULT_TIMEOUT_MS = 180_000;

function retryAfterOf(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * fetch with the conflict retry and the timeout. Connections are kept alive and reused: Node's fetch (undici) pools
 * them per origin, so a loader's concurrent requests share a few sockets instead of opening one each.
 */
function sender(options: ApiClientOptions): (request: Request) => Promise<Response> {
  const conflictRetries = options.conflictRetries ?? DEFAULT_CONFLICT_RETRIES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const backoffMs = options.conflictBackoffMs ?? 1_000;
  const networkRetries = options.networkRetries ?? 0;
  const send = async (request: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= networkRetries;
      try {
        return await fetch(last ? request : request.clone(), { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        if (last || (error instanceof DOMException && error.name === 'TimeoutError')) throw error;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
  };
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= conflictRetries;
      const response = await send(last ? request : request.clone());
      if (response.status !== 409 || last) return response;
      const problem = (await response
        .clone()
        .json()
        .catch(() => null)) as ProblemBody | null;
      if (typeof problem?.type !== 'string' || !problem.type.endsWith('/serialization-conflict')) return response;
      await response.body?.cancel();
      options.onConflictRetry?.();
      const retryAfter = retryAfterOf(response);
      await new Promise((r) => setTimeout(r, (retryAfter === undefined ? backoffMs : retryAfter * 1000) * (0.5 + Math.random())));
    }
  };
}

/** A typed client of `service`'s API (see the top of this file). */
export function apiClient<S extends ServiceName>(service: S, options: ApiClientOptions): ApiClient<S> {
  return createClient<ServicePaths[S]>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: {
      ...options.headers,
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    fetch: sender(options),
  });
}

/** What an openapi-fetch call resolves to: the typed body on success, the (parsed) error body otherwise. */
type Answer<D> = { data?: D; error?: unknown; response: Response };

/**
 * The success body of a typed call, or ApiError (status, problem+json body, Retry-After) for any other answer.
 *
 *   const unit = await ok(schedules.GET('/v1/editions/{edition}/units/{rsc}', { params: { path: { edition, rsc } } }));
 */
export async function ok<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  const problem: ProblemBody =
    typeof error === 'object' && error !== null ? (error as ProblemBody) : { detail: typeof error === 'string' ? error : response.statusText };
  throw new ApiError(response.status, problem, retryAfterOf(response));
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
