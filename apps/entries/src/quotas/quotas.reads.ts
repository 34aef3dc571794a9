/**
 * The SQL of the quota places list (tables of prisma/schema.prisma: quota_place, entry), on a plain `pg` pool: see
 * PgPool for why not Prisma here. One named statement per combination of filters (listStatement); rows are checked
 * with zod before use.
 */
import type { Pool } from 'pg';
import { z } from 'zod';
import { listStatement } from '../database/list-statement';

const placeRowSchema = z.object({
  edition: z.string(),
  id: z.string(),
  event: z.string(),
  discipline: z.string(),
  kind: z.string(),
  noc: z.string(),
  athleteIfId: z.string().nullable(),
  status: z.string(),
  reallocatedFrom: z.string().nullable(),
  /** jsonb, as stored. */
  explanation: z.unknown(),
  version: z.number().int(),
  updatedAt: z.date(),
  /** The ENTERED entry using the place, if any. */
  usedBy: z.string().nullable(),
});

export type PlaceListRow = z.infer<typeof placeRowSchema>;

/** `used`: the place of each ENTERED entry that has one ($1 is the edition, the first condition of every variant). */
const PLACE_SELECT = `
  SELECT q.edition, q.id, q.event, q.discipline, q.kind, q.noc, q.athlete_if_id AS "athleteIfId", q.status,
         q.reallocated_from AS "reallocatedFrom", q.explanation, q.version, q.updated_at AS "updatedAt",
         used.id::text AS "usedBy"
    FROM quota_place q
    LEFT JOIN (SELECT DISTINCT ON (quota_place_id) quota_place_id, id
                 FROM entry
                WHERE edition = $1 AND status = 'ENTERED' AND quota_place_id IS NOT NULL
                ORDER BY quota_place_id, id) used ON used.quota_place_id = q.id`;

export const quotasReads = {
  /** Quota places of the edition matching the filters given, by event, NOC, id; with the entry using each. */
  async places(pool: Pool, q: { edition: string; event?: string; status?: string; noc?: string }): Promise<PlaceListRow[]> {
    const { rows } = await pool.query(
      listStatement({
        name: 'quota-places-list',
        select: PLACE_SELECT,
        where: [
          ['q.edition', q.edition],
          ['q.event', q.event],
          ['q.status', q.status],
          ['q.noc', q.noc],
        ],
        orderBy: 'q.event ASC, q.noc ASC, q.id ASC',
      }),
    );
    return z.array(placeRowSchema).parse(rows);
  },
};
