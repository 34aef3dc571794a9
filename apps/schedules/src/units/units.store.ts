/**
 * The SQL of the published units' reads (tables of prisma/schema.prisma: edition, venue, unit, schedule_change), on a
 * plain `pg` pool: see PgPool for why not Prisma here. Statements are named (prepared once per connection) and rows
 * are checked with zod before use.
 */
import { scheduleStatusSchema } from '@podium/contracts';
import type { PgTx } from '@podium/platform';
import type { Pool } from 'pg';
import { z } from 'zod';

const revisionRowsSchema = z.array(z.object({ revision: z.number().int() })).max(1);

const editionRowsSchema = z
  .array(z.object({ code: z.string(), timeZone: z.string(), logicalDayEnd: z.string(), revision: z.number().int() }))
  .max(1);

const venueRowsSchema = z.array(z.object({ code: z.string(), timeZone: z.string() }));

const unitRowSchema = z.object({
  rsc: z.string(),
  discipline: z.string(),
  eventRsc: z.string(),
  phaseRsc: z.string(),
  name: z.string(),
  medal: z.boolean(),
  session: z.string().nullable(),
  venue: z.string().nullable(),
  location: z.string().nullable(),
  startUtc: z.date().nullable(),
  endUtc: z.date().nullable(),
  localDate: z.string().nullable(),
  logicalDate: z.string().nullable(),
  status: scheduleStatusSchema,
  rescheduled: z.boolean(),
  version: z.number().int(),
  updatedAt: z.date(),
  /** The unit's last change (null when it has none, or its history row is gone). */
  lastChange: z.object({ id: z.string(), kind: z.string(), reason: z.string().nullable(), by: z.string().nullable() }).nullable(),
});

/** A unit row with its last change's reference. */
export type UnitRow = z.infer<typeof unitRowSchema>;

export type EditionRow = z.infer<typeof editionRowsSchema>[number];

const UNITS_SQL = `
  SELECT u.rsc, u.discipline, u.event_rsc AS "eventRsc", u.phase_rsc AS "phaseRsc", u.name, u.medal, u.session, u.venue,
         u.location, u.start_utc AS "startUtc", u.end_utc AS "endUtc", u.local_date AS "localDate",
         u.logical_date AS "logicalDate", u.status::text AS status, u.rescheduled, u.version, u.updated_at AS "updatedAt",
         CASE WHEN c.id IS NULL THEN NULL
              ELSE json_build_object('id', c.id, 'kind', c.kind, 'reason', c.reason, 'by', c.by) END AS "lastChange"
    FROM unit u LEFT JOIN schedule_change c ON c.id = u.last_change_id
   WHERE u.edition = $1
   ORDER BY u.start_utc ASC NULLS LAST, u.rsc ASC`;

export const unitsStore = {
  /** The edition's revision (bumped by every change of its schedule), or null when there is no such edition. */
  async revision(pool: Pool, edition: string): Promise<number | null> {
    const { rows } = await pool.query({
      name: 'units-edition-revision',
      text: 'SELECT revision FROM edition WHERE code = $1',
      values: [edition],
    });
    return revisionRowsSchema.parse(rows)[0]?.revision ?? null;
  },

  /** The edition's row with its revision, or null (read in the caller's snapshot). */
  async edition(tx: PgTx, edition: string): Promise<EditionRow | null> {
    const { rows } = await tx.query({
      name: 'units-edition',
      text: 'SELECT code, time_zone AS "timeZone", logical_day_end AS "logicalDayEnd", revision FROM edition WHERE code = $1',
      values: [edition],
    });
    return editionRowsSchema.parse(rows)[0] ?? null;
  },

  /** The time zone of each venue of the edition. */
  async venueTimeZones(tx: PgTx, edition: string): Promise<Map<string, string>> {
    const { rows } = await tx.query({
      name: 'units-venue-time-zones',
      text: 'SELECT code, time_zone AS "timeZone" FROM venue WHERE edition = $1',
      values: [edition],
    });
    return new Map(venueRowsSchema.parse(rows).map((v) => [v.code, v.timeZone]));
  },

  /** Every unit of the edition with its last change, in the order of the units query (start, nulls last; RSC). */
  async units(tx: PgTx, edition: string): Promise<UnitRow[]> {
    const { rows } = await tx.query({ name: 'units-of-edition', text: UNITS_SQL, values: [edition] });
    return z.array(unitRowSchema).parse(rows);
  },
};
