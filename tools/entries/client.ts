/** What the entries tools add to the generated API client (@podium/api-clients): import reports, printed row by row. */
import { ApiError, printProblem as printApiProblem, type ProblemBody, type ResponseBody } from '@podium/api-clients';

/** An entries problem+json may list the rejected rows of an import. */
export interface Problem extends ProblemBody {
  rows?: RowReport[];
}

/** A row of an import's report (the 200's `rows`; a 422 'import-rejected' lists the same rows). */
export type RowReport = ResponseBody<'entries', '/v1/editions/{edition}/imports', 'post'>['rows'][number];

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
