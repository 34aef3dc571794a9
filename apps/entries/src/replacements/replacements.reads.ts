/**
 * The SQL of the Late Athlete Replacements list (tables of prisma/schema.prisma: replacement, athlete), on a plain
 * `pg` pool: see PgPool for why not Prisma here. One named statement per combination of filters (listStatement); rows
 * are checked with zod before use.
 */
import type { Pool } from 'pg';
import { z } from 'zod';
import { listStatement } from '../database/list-statement';

const personSchema = z.object({ givenName: z.string(), familyName: z.string() }).nullable();

const replacementRowSchema = z.object({
  id: z.string(),
  edition: z.string(),
  entryId: z.string(),
  noc: z.string(),
  event: z.string(),
  outAthleteId: z.string(),
  inAthleteId: z.string(),
  reason: z.string(),
  note: z.string().nullable(),
  status: z.string(),
  requestedBy: z.string().nullable(),
  requestedAt: z.date(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
  decisionNote: z.string().nullable(),
  /** The athletes going out and in (null when not found), for their names. */
  outAthlete: personSchema,
  inAthlete: personSchema,
});

export type ReplacementListRow = z.infer<typeof replacementRowSchema>;

const REPLACEMENT_SELECT = `
  SELECT r.id, r.edition, r.entry_id AS "entryId", r.noc, r.event, r.out_athlete_id AS "outAthleteId",
         r.in_athlete_id AS "inAthleteId", r.reason, r.note, r.status, r.requested_by AS "requestedBy",
         r.requested_at AS "requestedAt", r.decided_by AS "decidedBy", r.decided_at AS "decidedAt",
         r.decision_note AS "decisionNote",
         CASE WHEN o.id IS NULL THEN NULL
              ELSE json_build_object('givenName', o.given_name, 'familyName', o.family_name) END AS "outAthlete",
         CASE WHEN i.id IS NULL THEN NULL
              ELSE json_build_object('givenName', i.given_name, 'familyName', i.family_name) END AS "inAthlete"
    FROM replacement r
    LEFT JOIN athlete o ON o.id = r.out_athlete_id
    LEFT JOIN athlete i ON i.id = r.in_athlete_id`;

export const replacementsReads = {
  /** Replacements of the edition matching the filters given, in the order they were requested. */
  async replacements(pool: Pool, q: { edition: string; status?: string; noc?: string }): Promise<ReplacementListRow[]> {
    const { rows } = await pool.query(
      listStatement({
        name: 'replacements-list',
        select: REPLACEMENT_SELECT,
        where: [
          ['r.edition', q.edition],
          ['r.status', q.status],
          ['r.noc', q.noc],
        ],
        orderBy: 'r.requested_at ASC',
      }),
    );
    return z.array(replacementRowSchema).parse(rows);
  },
};
