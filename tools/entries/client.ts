/** A small client of the entries API for the tools in this folder (no Nest, no app imports). */

export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
  rows?: RowReport[];
}

export interface RowReport {
  file: string;
  line: number;
  status: string;
  key: string;
  messages: string[];
}

export interface ImportReport {
  status: string;
  edition: string;
  counts: Record<string, number>;
  rows: RowReport[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`HTTP ${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`);
  }
}

export function client(baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(180_000),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { detail: text };
    }
    throw new ApiError(response.status, problem);
  };
}

/** Prints a per-row import report: one line per row, problems indented under it. */
export function printRows(rows: readonly RowReport[], out: (line: string) => void, onlyErrors = false): void {
  for (const r of rows) {
    if (onlyErrors && r.status !== 'error') continue;
    out(`  ${r.file}:${r.line}  ${r.status.padEnd(9)} ${r.key}`);
    for (const m of r.messages) out(`      ${m}`);
  }
}

export function printProblem(error: unknown, out: (line: string) => void): void {
  if (!(error instanceof ApiError)) {
    out(error instanceof Error ? error.message : String(error));
    return;
  }
  out(`failed: ${error.message}`);
  if (error.problem.rows) printRows(error.problem.rows, out, true);
  else for (const e of error.problem.errors ?? []) out(`  ${e.field}: ${e.message}`);
}
