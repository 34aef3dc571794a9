import { type CursorProblem, decodeCursor, encodeCursor } from '@podium/platform';
import { z } from 'zod';

import { type Application, PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** The staff searches' filters (each optional; an organisation officer's organisation is forced by the caller). */
export interface SearchFilters {
  organisation?: string;
  category?: string;
  state?: string;
  /** A prefix of the family or the given name, compared through accreditation_name_key (case and accents folded). */
  name?: string;
}

/** Where a page ends: the last row's position in the list's order (family name key, given name key, id). */
export interface SearchCursor {
  family: string;
  given: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cursor's shape: `[familyKey, givenKey, id]`, read back as a SearchCursor. */
const searchCursorShape = z
  .tuple([z.string().max(200), z.string().max(200), z.string().regex(UUID)])
  .transform(([family, given, id]): SearchCursor => ({ family, given, id }));

/** How accreditation words a refused cursor (field `cursor`, as its lists have always named it). */
export const CURSOR_PROBLEM: CursorProblem = { field: 'cursor', message: 'must be the nextCursor of a previous page' };

/** An opaque cursor: base64url of `[familyKey, givenKey, id]`. */
export function encodeSearchCursor(cursor: SearchCursor): string {
  return encodeCursor([cursor.family, cursor.given, cursor.id]);
}

/** The cursor, or a 400 invalid-cursor problem (field `cursor`) when it is not a nextCursor this service gave. */
export function decodeSearchCursor(text: string): SearchCursor {
  return decodeCursor(text, searchCursorShape, CURSOR_PROBLEM);
}

/** The name-key expressions exactly as the search indexes spell them (migration 20261204181108_application_search). */
const FAMILY_KEY = Prisma.sql`accreditation_name_key(a.family_name)`;
const GIVEN_KEY = Prisma.sql`accreditation_name_key(a.given_name)`;

/**
 * One page of an edition's applications in name order (family name, given name, id; case and accents folded),
 * filtered, from after `cursor`: keyset pagination, so page 1,000 costs what page 1 costs. Each filter has an index
 * that starts with it and continues in the list's order, so a page reads about `limit` index entries. A name prefix
 * is two ranges, each read on its own and cut to `limit` before they are merged: the family-name range in the list's
 * order (application_search_name_idx or the filter's index), the given-name range from the covering
 * application_search_given_idx, top-N sorted. Returns `limit` rows at most and the next page's cursor (null on the last).
 */
export async function searchApplications(
  prisma: PrismaService,
  edition: string,
  filters: SearchFilters,
  limit: number,
  cursor: SearchCursor | undefined,
): Promise<{ rows: Application[]; next: SearchCursor | null }> {
  const where: Prisma.Sql[] = [Prisma.sql`a.edition = ${edition}`];
  if (filters.organisation !== undefined) where.push(Prisma.sql`a.organisation = ${filters.organisation}`);
  if (filters.category !== undefined) where.push(Prisma.sql`a.category = ${filters.category}`);
  if (filters.state !== undefined) where.push(Prisma.sql`a.state = ${filters.state}`);
  if (cursor !== undefined) {
    where.push(Prisma.sql`(${FAMILY_KEY}, ${GIVEN_KEY}, a.id) > (${cursor.family}::text, ${cursor.given}::text, ${cursor.id}::uuid)`);
  }
  const ordered = (extra: Prisma.Sql | null): Prisma.Sql => Prisma.sql`
    SELECT a.id, ${FAMILY_KEY} AS family, ${GIVEN_KEY} AS given
    FROM application a
    WHERE ${Prisma.join(extra ? [...where, extra] : where, ' AND ')}
    ORDER BY ${FAMILY_KEY}, ${GIVEN_KEY}, a.id
    LIMIT ${limit + 1}`;
  let query: Prisma.Sql;
  if (filters.name === undefined) {
    query = ordered(null);
  } else {
    // [key, key || U+10FFFF): every key starting with the prefix (the database sorts by code point, C.UTF-8).
    const low = Prisma.sql`accreditation_name_key(${filters.name}::text)`;
    const high = Prisma.sql`(accreditation_name_key(${filters.name}::text) || chr(1114111))`;
    query = Prisma.sql`
      SELECT id, family, given FROM (
        (${ordered(Prisma.sql`${FAMILY_KEY} >= ${low} AND ${FAMILY_KEY} < ${high}`)})
        UNION
        (${ordered(Prisma.sql`${GIVEN_KEY} >= ${low} AND ${GIVEN_KEY} < ${high}`)})
      ) m
      ORDER BY family, given, id
      LIMIT ${limit + 1}`;
  }
  const page = await prisma.$queryRaw<{ id: string; family: string; given: string }[]>`SELECT p.id::text AS id, p.family, p.given FROM (${query}) p ORDER BY p.family, p.given, p.id`;
  const shown = page.slice(0, limit);
  const byId = new Map((shown.length === 0 ? [] : await prisma.application.findMany({ where: { id: { in: shown.map((r) => r.id) } } })).map((r) => [r.id, r]));
  const rows = shown.map((r) => byId.get(r.id)).filter((r): r is Application => r !== undefined);
  const last = shown.at(-1);
  return { rows, next: page.length > limit && last ? { family: last.family, given: last.given, id: last.id } : null };
}
