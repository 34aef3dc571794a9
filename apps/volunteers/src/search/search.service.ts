import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@podium/platform';

import { type ApplicationView, applicationView } from '../applications/applications.view';
import type { Application } from '../database/prisma.service';
import { type SearchQuery, createdCursorSchema, nameCursorSchema, nameTsQuery } from './search.logic';
import { type SearchAfter, type SearchFilters, SearchRepository, type SearchRow } from './search.repository';

const NONE = new Uint8Array(0);

/**
 * The recruiter's view of a searched row. applicationView takes a whole Application; the search never reads the
 * sealed or keyed columns, so they are given empty here (applicationView does not read them). Simpler once
 * applicationView takes a Pick of what it reads.
 */
function view(row: SearchRow): ApplicationView {
  const { familyKey: _f, givenKey: _g, ...read } = row;
  const unread: Omit<Application, keyof typeof read> = {
    tokenHash: NONE,
    duplicateKey: NONE,
    languageCodes: [],
    languageLevels: [],
    consentAt: row.createdAt,
    consentNotice: '',
    personalKid: null,
    personalKey: null,
    personalData: null,
  };
  return applicationView({ ...read, ...unread });
}

/** The recruiter searches: filters, name search, sort and keyset cursor (docs/volunteers-scale.md). */
@Injectable()
export class SearchService {
  constructor(private readonly repository: SearchRepository) {}

  async search(
    edition: string,
    query: SearchQuery,
  ): Promise<{ items: ApplicationView[]; nextCursor: string | null }> {
    const filters: SearchFilters = {
      stage: query.stage,
      language: query.language,
      // Every speaker has at least A1: no level to check then (the language's code is enough).
      languageLevel:
        query.language === undefined || query.minLevel === undefined || query.minLevel === 'A1'
          ? undefined
          : `${query.language}:${query.minLevel}`,
      skill: query.skill,
      availableOn: query.availableOn,
      field: query.field,
      nameQuery: query.q === undefined ? undefined : nameTsQuery(query.q),
    };
    let after: SearchAfter | undefined;
    if (query.cursor !== undefined) {
      if (query.sort === 'name') {
        const [, family, given, id] = decodeCursor(query.cursor, nameCursorSchema);
        after = { sort: 'name', family, given, id };
      } else {
        const [, createdAt, id] = decodeCursor(query.cursor, createdCursorSchema(query.sort));
        after = { sort: query.sort, createdAt, id };
      }
    }
    const page = await this.repository.page(edition, filters, query.sort, query.limit, after);
    const last = page.rows.at(-1);
    let nextCursor: string | null = null;
    if (page.more && last) {
      nextCursor =
        query.sort === 'name'
          ? encodeCursor(['name', last.familyKey, last.givenKey, last.id])
          : encodeCursor([query.sort, last.createdAt.toISOString(), last.id]);
    }
    return { items: page.rows.map(view), nextCursor };
  }
}
