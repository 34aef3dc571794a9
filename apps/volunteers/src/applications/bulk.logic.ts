/** The bulk path's request and report (POST /v1/editions/{edition}/applications/bulk). Pure. */
import { z } from 'zod';

import type { RowOutcome } from './applications.service';

/** Rows per request: 1,000 applications of ~450 bytes stay within the 1 MiB body limit (HTTP_BODY_LIMIT). */
export const BULK_MAX_ROWS = 1_000;

/** Each row is validated on its own, as the portal's submission is (a bad row refuses only itself). */
export const bulkInputSchema = z.strictObject({
  applications: z
    .array(z.unknown())
    .min(1)
    .max(BULK_MAX_ROWS)
    .meta({ description: `Up to ${BULK_MAX_ROWS} applications, each with the fields of the portal's form (ApplicationInput)` }),
});
export type BulkInput = z.infer<typeof bulkInputSchema>;

const fieldError = z.object({ field: z.string(), message: z.string() });

export const bulkReportSchema = z
  .object({
    accepted: z.number().int(),
    refused: z.number().int(),
    rows: z.array(
      z.object({
        index: z.number().int().meta({ description: 'The row of the request (0-based)' }),
        status: z.enum(['created', 'refused']),
        id: z.uuid().optional(),
        token: z.string().optional().meta({ description: "The applicant's private status token (GET /status/{token}), shown only here: to mail to the applicant" }),
        reason: z.enum(['invalid', 'duplicate-application']).optional(),
        errors: z.array(fieldError).optional().meta({ description: "The row's field problems (the form's field paths)" }),
      }),
    ),
  })
  .meta({ title: 'VolunteerBulkReport' });
export type BulkReport = z.infer<typeof bulkReportSchema>;

/** The per-row report of a batch's outcomes (in row order). */
export function bulkReport(outcomes: readonly RowOutcome[]): BulkReport {
  const rows = outcomes.map((o) =>
    o.status === 'created'
      ? { index: o.index, status: o.status, id: o.id, token: o.token }
      : { index: o.index, status: o.status, reason: o.reason, ...(o.errors ? { errors: o.errors } : {}) },
  );
  const accepted = rows.filter((r) => r.status === 'created').length;
  return { accepted, refused: rows.length - accepted, rows };
}
