/** What the entries tools add to the shared API client (tools/lib/api-client.ts): import reports. */
import { ApiError, printProblem as printApiProblem, type ProblemBody } from '../lib/api-client';

export { client, runMain } from '../lib/api-client';

/** An entries problem+json may list the rejected rows of an import. */
export interface Problem extends ProblemBody {
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

/** Prints a per-row import report: one line per row, problems indented under it. */
export function printRows(rows: readonly RowReport[], out: (line: string) => void, onlyErrors = false): void {
  for (const r of rows) {
    if (onlyErrors && r.status !== 'error') continue;
    out(`  ${r.file}:${r.line}  ${r.status.padEnd(9)} ${r.key}`);
    for (const m of r.messages) out(`      ${m}`);
  }
}

/** Prints an error; an import's rejected rows are listed row by row. */
export function printProblem(error: unknown, out: (line: string) => void): void {
  const rows = error instanceof ApiError ? (error.problem as Problem).rows : undefined;
  if (!rows) return printApiProblem(error, out);
  out(`failed: ${(error as Error).message}`);
  printRows(rows, out, true);
}
