/**
 * The SQL of the entries lists (tables of prisma/schema.prisma: entry, entry_member, athlete, entry_number), on a
 * plain `pg` pool: see PgPool for why not Prisma here. One named statement per list and combination of filters
 * (listStatement); rows are checked with zod before use.
 */
import type { Pool } from 'pg';
import { z } from 'zod';
import { listStatement } from '../database/list-statement';

/** One row per entry and member (an entry without members: one row, member columns null). */
const entryMemberRowSchema = z.object({
  id: z.string(),
  edition: z.string(),
  event: z.string(),
  discipline: z.string(),
  noc: z.string(),
  kind: z.string(),
  status: z.string(),
  basis: z.string(),
  quotaPlaceId: z.string().nullable(),
  version: z.number().int(),
  /** jsonb, as stored. */
  lastChange: z.unknown(),
  updatedAt: z.date(),
  role: z.string().nullable(),
  slot: z.string().nullable(),
  athleteId: z.string().nullable(),
  ifId: z.string().nullable(),
  familyName: z.string().nullable(),
  givenName: z.string().nullable(),
  gender: z.string().nullable(),
});
type EntryMemberRow = z.infer<typeof entryMemberRowSchema>;
type MemberColumns = 'role' | 'slot' | 'athleteId' | 'ifId' | 'familyName' | 'givenName' | 'gender';

/** An entry with its members (and their athletes), as `entryStateOf` reads it. */
export interface EntryListRow extends Omit<EntryMemberRow, MemberColumns> {
  members: {
    role: string;
    slot: string | null;
    athlete: { id: string; ifId: string | null; familyName: string; givenName: string; gender: string };
  }[];
}

const ENTRY_ORDER = 'e.event ASC, e.noc ASC, e.created_at ASC, e.id ASC';
const ENTRY_COLUMNS = 'e.id, e.edition, e.event, e.discipline, e.noc, e.kind, e.status, e.basis, e.quota_place_id, e.version, e.last_change, e.updated_at, e.created_at';

/**
 * The page of entries (a listStatement's text, from `entry e`) joined to their members and athletes: flat rows, that
 * entryRows groups. Less than half the CPU, for PostgreSQL, of building each entry's members as JSON.
 */
const entriesWithMembers = (page: string) => `
  SELECT e.id, e.edition, e.event, e.discipline, e.noc, e.kind, e.status, e.basis, e.quota_place_id AS "quotaPlaceId",
         e.version, e.last_change AS "lastChange", e.updated_at AS "updatedAt",
         m.role, m.slot, a.id::text AS "athleteId", a.if_id AS "ifId", a.family_name AS "familyName",
         a.given_name AS "givenName", a.gender
    FROM (${page}) e
    LEFT JOIN entry_member m ON m.entry_id = e.id
    LEFT JOIN athlete a ON a.id = m.athlete_id
   ORDER BY ${ENTRY_ORDER}`;

/** Groups the flat rows (an entry's rows are adjacent) into entries with their members (in no order). */
function entryRows(rows: readonly EntryMemberRow[]): EntryListRow[] {
  const entries: EntryListRow[] = [];
  let current: EntryListRow | undefined;
  for (const r of rows) {
    if (current?.id !== r.id) {
      current = {
        id: r.id,
        edition: r.edition,
        event: r.event,
        discipline: r.discipline,
        noc: r.noc,
        kind: r.kind,
        status: r.status,
        basis: r.basis,
        quotaPlaceId: r.quotaPlaceId,
        version: r.version,
        lastChange: r.lastChange,
        updatedAt: r.updatedAt,
        members: [],
      };
      entries.push(current);
    }
    if (r.role !== null && r.athleteId !== null && r.familyName !== null && r.givenName !== null && r.gender !== null) {
      current.members.push({
        role: r.role,
        slot: r.slot,
        athlete: { id: r.athleteId, ifId: r.ifId, familyName: r.familyName, givenName: r.givenName, gender: r.gender },
      });
    }
  }
  return entries;
}

const entryNumberRowSchema = z.object({ noc: z.string(), event: z.string(), count: z.number().int(), updatedAt: z.date() });

export const entriesReads = {
  /**
   * Entries of the edition matching the filters given, by event, NOC, then creation (then id: entries created in the
   * same instant keep one order from page to page); one page.
   */
  async entries(
    pool: Pool,
    q: { edition: string; event?: string; status?: string; noc?: string; offset: number; limit: number },
  ): Promise<EntryListRow[]> {
    const page = listStatement({
      name: 'entries-list',
      select: `SELECT ${ENTRY_COLUMNS} FROM entry e`,
      where: [
        ['e.edition', q.edition],
        ['e.event', q.event],
        ['e.status', q.status],
        ['e.noc', q.noc],
      ],
      orderBy: ENTRY_ORDER,
      page: { offset: q.offset, limit: q.limit },
    });
    const { rows } = await pool.query({ ...page, text: entriesWithMembers(page.text) });
    return entryRows(z.array(entryMemberRowSchema).parse(rows));
  },

  /** Entries by Number of the edition matching the filters given, by event then NOC. */
  async entryNumbers(pool: Pool, q: { edition: string; event?: string; noc?: string }) {
    const { rows } = await pool.query(
      listStatement({
        name: 'entry-numbers-list',
        select: 'SELECT noc, event, count, updated_at AS "updatedAt" FROM entry_number',
        where: [
          ['edition', q.edition],
          ['event', q.event],
          ['noc', q.noc],
        ],
        orderBy: 'event ASC, noc ASC',
      }),
    );
    return z.array(entryNumberRowSchema).parse(rows);
  },
};
