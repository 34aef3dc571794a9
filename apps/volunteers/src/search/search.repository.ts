import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Application } from '../database/prisma.service';
import type { Sort } from './search.logic';

/** What a page reads of an application: what the recruiter's view shows (never the sealed personal data), and the name keys of the name sort's cursor. */
export type SearchRow = Pick<
  Application,
  | 'id'
  | 'edition'
  | 'stage'
  | 'familyName'
  | 'givenName'
  | 'languages'
  | 'skills'
  | 'drivingLicence'
  | 'availableDates'
  | 'fields'
  | 'tshirtSize'
  | 'locale'
  | 'interviewSlotId'
  | 'offerRole'
  | 'offerArea'
  | 'offerVenue'
  | 'offerDeadline'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'erasedAt'
> & { familyKey: string; givenKey: string };

/** The filters of a search, validated (search.logic.ts); each optional. */
export interface SearchFilters {
  stage?: string;
  /** A language code of language_codes. */
  language?: string;
  /** With language, above A1: at least this level (`code:level`, an element of language_levels); then language is not read. */
  languageLevel?: string;
  skill?: string;
  availableOn?: string;
  field?: string;
  /** A tsquery of prefixes (search.logic.ts nameTsQuery), folded by the database. */
  nameQuery?: string;
}

/** Where the previous page ended, in the sort's key. */
export type SearchAfter =
  | { sort: 'createdAt' | '-createdAt'; createdAt: string; id: string }
  | { sort: 'name'; family: string; given: string; id: string };

/** The name keys, spelled as the indexes spell them (migration 20261204214536_application_search). */
const FAMILY_KEY = Prisma.sql`volunteers_name_key(a.family_name)`;
const GIVEN_KEY = Prisma.sql`volunteers_name_key(a.given_name)`;

/**
 * One page of the recruiter searches: keyset pagination, so the 1,000th page costs what the first does. Which index
 * answers depends on what the filters leave (docs/volunteers-scale.md): a common filter walks the sort's btree
 * (application_edition_created_at_id_idx / _stage_created_at_id_idx / application_search_name_idx / _stage_name_idx)
 * from the cursor and stops after `limit` + 1 matches; a rare one (a skill, a date, a language, a name) reads its GIN
 * index, then sorts the few matching rows. The planner chooses from the statistics of each array's elements and the
 * functions' costs (migrations 20261204214536_application_search, 20261205002717_application_language_levels).
 */
@Injectable()
export class SearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  async page(
    edition: string,
    filters: SearchFilters,
    sort: Sort,
    limit: number,
    after: SearchAfter | undefined,
  ): Promise<{ rows: SearchRow[]; more: boolean }> {
    const where: Prisma.Sql[] = [Prisma.sql`a.edition = ${edition}`, Prisma.sql`a.erased_at IS NULL`];
    if (filters.stage !== undefined) where.push(Prisma.sql`a.stage = ${filters.stage}`);
    // A language at a level above A1 is one element of the stored levels (GIN application_language_levels_idx), and
    // that predicate alone: beside `language_codes @> ...` the planner would multiply the two selectivities as if they
    // were independent (docs/volunteers-scale.md). A language alone is its code (GIN application_language_codes_idx).
    if (filters.languageLevel !== undefined)
      where.push(Prisma.sql`a.language_levels @> ARRAY[${filters.languageLevel}]::text[]`);
    else if (filters.language !== undefined)
      where.push(Prisma.sql`a.language_codes @> ARRAY[${filters.language}]::text[]`);
    if (filters.skill !== undefined) where.push(Prisma.sql`a.skills @> ARRAY[${filters.skill}]::text[]`);
    if (filters.availableOn !== undefined)
      where.push(Prisma.sql`a.available_dates @> ARRAY[${filters.availableOn}]::text[]`);
    if (filters.field !== undefined) where.push(Prisma.sql`a.fields @> ARRAY[${filters.field}]::text[]`);
    if (filters.nameQuery !== undefined) {
      where.push(
        Prisma.sql`volunteers_name_words(a.family_name, a.given_name) @@ to_tsquery('simple'::regconfig, volunteers_name_key(${filters.nameQuery}::text))`,
      );
    }
    let order: Prisma.Sql;
    if (sort === 'name') {
      order = Prisma.sql`${FAMILY_KEY}, ${GIVEN_KEY}, a.id`;
      if (after?.sort === 'name')
        where.push(
          Prisma.sql`(${FAMILY_KEY}, ${GIVEN_KEY}, a.id) > (${after.family}::text, ${after.given}::text, ${after.id}::uuid)`,
        );
    } else if (sort === 'createdAt') {
      order = Prisma.sql`a.created_at, a.id`;
      if (after?.sort === 'createdAt')
        where.push(Prisma.sql`(a.created_at, a.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
    } else {
      order = Prisma.sql`a.created_at DESC, a.id DESC`;
      if (after?.sort === '-createdAt')
        where.push(Prisma.sql`(a.created_at, a.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
    }
    // The name keys only where the cursor needs them (the name sort reads them from its index).
    const keys =
      sort === 'name'
        ? Prisma.sql`${FAMILY_KEY} AS "familyKey", ${GIVEN_KEY} AS "givenKey"`
        : Prisma.sql`'' AS "familyKey", '' AS "givenKey"`;
    // One core per search (SET LOCAL, this transaction only): a page is a few milliseconds of one backend, and parallel
    // workers for it (the planner offers them for long walks) only made concurrent searches wait for the cores
    // (docs/volunteers-scale.md#figures).
    const [, rows] = await this.prisma.$transaction([
      this.prisma.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`,
      this.prisma.$queryRaw<SearchRow[]>`
      SELECT a.id::text AS "id", a.edition, a.stage, a.family_name AS "familyName", a.given_name AS "givenName", a.languages,
             coalesce(a.skills, '{}') AS skills, a.driving_licence AS "drivingLicence",
             coalesce(a.available_dates, '{}') AS "availableDates", coalesce(a.fields, '{}') AS fields,
             a.tshirt_size AS "tshirtSize", a.locale, a.interview_slot_id::text AS "interviewSlotId",
             a.offer_role AS "offerRole", a.offer_area AS "offerArea", a.offer_venue AS "offerVenue",
             a.offer_deadline AS "offerDeadline", a.version, a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.erased_at AS "erasedAt",
             ${keys}
      FROM application a
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY ${order}
      LIMIT ${limit + 1}`,
    ]);
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }
}
