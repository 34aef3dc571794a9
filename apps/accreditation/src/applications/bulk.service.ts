import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { EnvelopeCipher, type PersonalColumns } from '@podium/platform';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import { canActFor, organisationScope } from '../common/access';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { type PersonalData, sealPersonalData } from '../personal-data/personal-data.logic';
import { type ApplicationInput, type ApplicationSubmission, applicationSubmissionSchema } from './applications.dto';
import { allocatePlaces, quotaKey, type WantedPlace } from './bulk.logic';

/** Rows per request: 1,000 rows of ~200 bytes (~800 with a passport number and a long photo key) stay within the 1 MiB body limit. */
export const BULK_MAX_ROWS = 1_000;

/**
 * Body of POST /v1/editions/{edition}/applications/bulk: each row is the body of a single submission (the passport
 * number and photo reference included, sealed the same way), validated on its own (a bad row refuses only itself).
 */
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
 * keep every quota exact), the accepted rows and their history entries written with one multi-row INSERT each. A
 * row's passport number and photo reference are sealed as the single submission seals them (sealPersonalData, bound
 * to the row's id): only the sealed bytes reach the query.
 */
@Injectable()
export class BulkApplicationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: EnvelopeCipher,
  ) {}

  async submit(edition: string, input: BulkInput, principal: Principal): Promise<BulkReport> {
    const pack = await this.referenceData.get(edition);
    const organisations = new Set(pack.organisations.map((o) => o.code));
    const categories = new Set(pack.categories.map((c) => c.code));
    const scope = organisationScope(principal);
    const refused: BulkRowReport[] = [];
    const valid: { index: number; id: string; row: ApplicationInput; personal: Partial<PersonalData> }[] = [];
    input.rows.forEach((raw, index) => {
      const parsed = applicationSubmissionSchema.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ field: `rows[${index}]${i.path.map((p) => `.${String(p)}`).join('')}`, message: i.message }));
        refused.push({ index, status: 'refused', reason: 'invalid', detail: `row ${index} is not a valid application`, errors });
        return;
      }
      const { passportNumber, photoReference, ...row }: ApplicationSubmission = parsed.data;
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
        valid.push({ index, id: randomUUID(), row, personal: { passportNumber, photoReference } });
      }
    });

    // Sealed before the transaction (the quota rows stay locked for less time): as the single submission seals, bound
    // to the row's id; the plaintext goes no further than here.
    const sealedOf = new Map(valid.map((v) => [v.index, sealPersonalData(this.cipher, v.id, v.personal)]));
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
          const validOf = new Map(valid.map((v) => [v.index, v]));
          const rows: { id: string; row: ApplicationInput; index: number; sealed: PersonalColumns }[] = [];
          for (const a of allocations) {
            if (a.granted) {
              const { id, row } = validOf.get(a.index) as (typeof valid)[number];
              rows.push({ id, row, index: a.index, sealed: sealedOf.get(a.index) as PersonalColumns });
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
          // the sealed bytes travel as base64 text (null: no personal data), decoded by the INSERT
          const base64 = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('base64'));
          const kids = rows.map((r) => r.sealed.personalKid);
          const wrappedKeys = rows.map((r) => base64(r.sealed.personalKey));
          const ciphertexts = rows.map((r) => base64(r.sealed.personalData));
          await tx.$executeRaw`
            INSERT INTO application (id, edition, organisation, category, family_name, given_name, date_of_birth, nationality,
                                     personal_kid, personal_key, personal_data, state, submitted_by, created_at, updated_at)
            SELECT u.id, ${edition}, u.organisation, u.category, u.family_name, u.given_name, u.date_of_birth, u.nationality,
                   u.personal_kid, decode(u.personal_key, 'base64'), decode(u.personal_data, 'base64'), 'submitted', ${principal.sub}, ${now}, ${now}
            FROM unnest(${ids}::uuid[], ${col((r) => r.organisation)}::text[], ${col((r) => r.category)}::text[], ${col((r) => r.familyName)}::text[],
                        ${col((r) => r.givenName)}::text[], ${col((r) => r.dateOfBirth)}::text[], ${col((r) => r.nationality)}::text[],
                        ${kids}::text[], ${wrappedKeys}::text[], ${ciphertexts}::text[])
              AS u(id, organisation, category, family_name, given_name, date_of_birth, nationality, personal_kid, personal_key, personal_data)`;
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
