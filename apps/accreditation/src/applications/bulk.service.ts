import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import { canActFor, organisationScope } from '../common/access';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { type ApplicationInput, applicationInputSchema } from './applications.dto';
import { allocatePlaces, quotaKey, type WantedPlace } from './bulk.logic';

/** Rows per request: 1,000 rows of ~200 bytes stay well within the 1 MiB body limit. */
export const BULK_MAX_ROWS = 1_000;

/** Body of POST /v1/editions/{edition}/applications/bulk: each row is validated on its own (a bad row refuses only itself). */
export const bulkInputSchema = z.strictObject({
  rows: z
    .array(z.unknown())
    .min(1)
    .max(BULK_MAX_ROWS)
    .meta({ description: `Up to ${BULK_MAX_ROWS} applications, each the body of a single POST .../applications` }),
});
export type BulkInput = z.infer<typeof bulkInputSchema>;

/** Why a row was refused: the single submission's problem slugs (403 forbidden, 422 unknown-reference, 409 quota-exceeded) and invalid (its 400). */
export type BulkRefusal = 'invalid' | 'forbidden' | 'unknown-reference' | 'quota-exceeded';

export type BulkRowReport =
  | { index: number; status: 'accepted'; id: string }
  | {
      index: number;
      status: 'refused';
      reason: BulkRefusal;
      detail: string;
      errors?: { field: string; message: string }[];
      quota?: number;
      used?: number;
      over?: number;
    };

export interface BulkReport {
  accepted: number;
  refused: number;
  items: BulkRowReport[];
}

/**
 * The bulk path of submissions: every row validated and scoped as a single submission is, quota places taken per row
 * in one transaction (the batch's quota rows locked in key order, so that concurrent batches and single submissions
 * keep every quota exact), the accepted rows and their history entries written with one multi-row INSERT each.
 */
@Injectable()
export class BulkApplicationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly referenceData: ReferenceDataService,
  ) {}

  async submit(edition: string, input: BulkInput, principal: Principal): Promise<BulkReport> {
    const pack = await this.referenceData.get(edition);
    const organisations = new Set(pack.organisations.map((o) => o.code));
    const categories = new Set(pack.categories.map((c) => c.code));
    const scope = organisationScope(principal);
    const refused: BulkRowReport[] = [];
    const valid: { index: number; row: ApplicationInput }[] = [];
    input.rows.forEach((raw, index) => {
      const parsed = applicationInputSchema.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ field: `rows[${index}]${i.path.map((p) => `.${String(p)}`).join('')}`, message: i.message }));
        refused.push({ index, status: 'refused', reason: 'invalid', detail: `row ${index} is not a valid application`, errors });
        return;
      }
      const row = parsed.data;
      if (!canActFor(principal, row.organisation)) {
        const who = scope.kind === 'one' ? `an officer of ${scope.organisation}` : 'this role';
        refused.push({ index, status: 'refused', reason: 'forbidden', detail: `${who} may not apply for organisation '${row.organisation}'` });
      } else if (!organisations.has(row.organisation)) {
        const message = `${row.organisation} is not a Responsible Organisation of ${edition}`;
        refused.push({ index, status: 'refused', reason: 'unknown-reference', detail: message, errors: [{ field: `rows[${index}].organisation`, message }] });
      } else if (!categories.has(row.category)) {
        const message = `${row.category} is not a category of ${edition}`;
        refused.push({ index, status: 'refused', reason: 'unknown-reference', detail: message, errors: [{ field: `rows[${index}].category`, message }] });
      } else {
        valid.push({ index, row });
      }
    });

    const accepted: BulkRowReport[] = [];
    if (valid.length > 0) {
      await this.prisma.$transaction(
        async (tx) => {
          const keys = [...new Map(valid.map(({ row }) => [`${row.organisation}/${row.category}`, row])).values()];
          // Locked in key order: two batches wanting the same rows never wait on each other in a cycle; a single
          // submission's conditional update waits for this commit, then fails serialization, is retried and sees it.
          const quotas = await tx.$queryRaw<{ organisation: string; category: string; quota: number; used: number }[]>`
            SELECT organisation, category, quota, used FROM quota
            WHERE edition = ${edition}
              AND (organisation, category) IN (${Prisma.join(keys.map((k) => Prisma.sql`(${k.organisation}, ${k.category})`))})
            ORDER BY organisation, category
            FOR UPDATE`;
          const wanted: WantedPlace[] = valid.map(({ index, row }) => ({ index, organisation: row.organisation, category: row.category }));
          const { allocations, taken } = allocatePlaces(wanted, quotas);
          for (const q of quotas) {
            const n = taken.get(quotaKey(q.organisation, q.category)) ?? 0;
            if (n > 0) await tx.$executeRaw`UPDATE quota SET used = used + ${n} WHERE edition = ${edition} AND organisation = ${q.organisation} AND category = ${q.category}`;
          }
          const rowOf = new Map(valid.map((v) => [v.index, v.row]));
          const rows: { id: string; row: ApplicationInput; index: number }[] = [];
          for (const a of allocations) {
            if (a.granted) {
              const row = rowOf.get(a.index) as ApplicationInput;
              rows.push({ id: randomUUID(), row, index: a.index });
            } else {
              refused.push({
                index: a.index,
                status: 'refused',
                reason: 'quota-exceeded',
                detail: `${a.organisation} has ${a.quota} place(s) for category ${a.category}, ${a.used} taken: this application is ${a.over} over the quota`,
                quota: a.quota,
                used: a.used,
                over: a.over,
              });
            }
          }
          if (rows.length === 0) return;
          const now = new Date();
          const col = <T>(pick: (r: ApplicationInput) => T): T[] => rows.map((r) => pick(r.row));
          const ids = rows.map((r) => r.id);
          await tx.$executeRaw`
            INSERT INTO application (id, edition, organisation, category, family_name, given_name, date_of_birth, nationality, state, submitted_by, created_at, updated_at)
            SELECT u.id, ${edition}, u.organisation, u.category, u.family_name, u.given_name, u.date_of_birth, u.nationality, 'submitted', ${principal.sub}, ${now}, ${now}
            FROM unnest(${ids}::uuid[], ${col((r) => r.organisation)}::text[], ${col((r) => r.category)}::text[], ${col((r) => r.familyName)}::text[],
                        ${col((r) => r.givenName)}::text[], ${col((r) => r.dateOfBirth)}::text[], ${col((r) => r.nationality)}::text[])
              AS u(id, organisation, category, family_name, given_name, date_of_birth, nationality)`;
          await tx.$executeRaw`
            INSERT INTO application_history (application_id, at, by, action, to_state, reason, details)
            SELECT u.id, ${now}, ${principal.sub}, 'submit', 'submitted', NULL, '{}'::jsonb FROM unnest(${ids}::uuid[]) AS u(id)`;
          for (const r of rows) accepted.push({ index: r.index, status: 'accepted', id: r.id });
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
    }
    const items = [...accepted, ...refused].sort((a, b) => a.index - b.index);
    return { accepted: accepted.length, refused: refused.length, items };
  }
}
