/**
 * The SQL of the athletes list (tables of prisma/schema.prisma: athlete, entry_member, entry), on a plain `pg` pool:
 * see PgPool for why not Prisma here. One named statement per combination of filters (listStatement); rows are checked
 * with zod before use.
 */
import type { Pool } from 'pg';
import { z } from 'zod';
import { listStatement } from '../database/list-statement';

/** One row per athlete and ENTERED entry (an athlete entered in none: one row, membership columns null). */
const athleteEntryRowSchema = z.object({
  id: z.string(),
  edition: z.string(),
  ifId: z.string().nullable(),
  noc: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  sportClass: z.string().nullable(),
  classificationStatus: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.date(),
  entryId: z.string().nullable(),
  role: z.string().nullable(),
  event: z.string().nullable(),
  discipline: z.string().nullable(),
});
type AthleteEntryRow = z.infer<typeof athleteEntryRowSchema>;

/** An athlete with the entries they are entered in (ENTERED only), as `athleteStateOf` reads it. */
export interface AthleteListRow extends Omit<AthleteEntryRow, 'entryId' | 'role' | 'event' | 'discipline'> {
  memberships: { entryId: string; role: string; entry: { event: string; discipline: string } }[];
}

const ATHLETE_ORDER = 'a.noc ASC, a.family_name ASC, a.given_name ASC, a.id ASC';
const ATHLETE_COLUMNS =
  'a.id, a.edition, a.if_id, a.noc, a.family_name, a.given_name, a.gender, a.birth_date, a.sport_class, ' +
  'a.classification_status, a.version, a.updated_at';

/**
 * The page of athletes (a listStatement's text, from `athlete a`) joined to the ENTERED entries they are members of:
 * flat rows, that athleteRows groups. A fifth of the CPU, for PostgreSQL, of building each athlete's entries as JSON.
 */
const athletesWithEntries = (page: string) => `
  SELECT a.id, a.edition, a.if_id AS "ifId", a.noc, a.family_name AS "familyName", a.given_name AS "givenName", a.gender,
         a.birth_date AS "birthDate", a.sport_class AS "sportClass", a.classification_status AS "classificationStatus",
         a.version, a.updated_at AS "updatedAt", m.entry_id::text AS "entryId", m.role, e.event, e.discipline
    FROM (${page}) a
    LEFT JOIN (entry_member m JOIN entry e ON e.id = m.entry_id AND e.status = 'ENTERED') ON m.athlete_id = a.id
   ORDER BY ${ATHLETE_ORDER}`;

/** Groups the flat rows (an athlete's rows are adjacent) into athletes with their memberships (in no order). */
function athleteRows(rows: readonly AthleteEntryRow[]): AthleteListRow[] {
  const athletes: AthleteListRow[] = [];
  let current: AthleteListRow | undefined;
  for (const r of rows) {
    if (current?.id !== r.id) {
      current = {
        id: r.id,
        edition: r.edition,
        ifId: r.ifId,
        noc: r.noc,
        familyName: r.familyName,
        givenName: r.givenName,
        gender: r.gender,
        birthDate: r.birthDate,
        sportClass: r.sportClass,
        classificationStatus: r.classificationStatus,
        version: r.version,
        updatedAt: r.updatedAt,
        memberships: [],
      };
      athletes.push(current);
    }
    if (r.entryId !== null && r.role !== null && r.event !== null && r.discipline !== null) {
      current.memberships.push({ entryId: r.entryId, role: r.role, entry: { event: r.event, discipline: r.discipline } });
    }
  }
  return athletes;
}

export const athletesReads = {
  /**
   * Athletes of the edition (of one NOC when given), by NOC, family name, given name (then id: namesakes keep one
   * order from page to page); one page.
   */
  async athletes(pool: Pool, q: { edition: string; noc?: string; offset: number; limit: number }): Promise<AthleteListRow[]> {
    const page = listStatement({
      name: 'athletes-list',
      select: `SELECT ${ATHLETE_COLUMNS} FROM athlete a`,
      where: [
        ['a.edition', q.edition],
        ['a.noc', q.noc],
      ],
      orderBy: ATHLETE_ORDER,
      page: { offset: q.offset, limit: q.limit },
    });
    const { rows } = await pool.query({ ...page, text: athletesWithEntries(page.text) });
    return athleteRows(z.array(athleteEntryRowSchema).parse(rows));
  },
};
