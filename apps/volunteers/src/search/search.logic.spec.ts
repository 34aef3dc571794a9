import { decodeCursor, encodeCursor, ProblemException } from '@podium/platform';
import type { ZodType } from 'zod';

import { languageLevels } from '../applications/application.logic';
import {
  createdCursorSchema,
  nameCursorSchema,
  nameTsQuery,
  nameWords,
  searchQuerySchema,
} from './search.logic';

describe('name search words', () => {
  it('splits on anything that is not a letter or a digit, keeping accents (the database folds them)', () => {
    expect(nameWords("  Dupré, jean-p  O'Bri ")).toEqual(['Dupré', 'jean', 'p', 'O', 'Bri']);
    expect(nameTsQuery('Éloïse dup')).toBe('Éloïse:* & dup:*');
  });

  it("lets nothing of tsquery's syntax through", () => {
    expect(nameTsQuery("a:* | !b & (c) <-> 'd'")).toBe('a:* & b:* & c:* & d:*');
  });
});

describe('stored language levels', () => {
  it('lists each language at every level up to the declared one, native above C2', () => {
    expect(
      languageLevels([
        { code: 'fr', level: 'B1' },
        { code: 'ja', level: 'A1' },
      ]),
    ).toEqual(['fr:A1', 'fr:A2', 'fr:B1', 'ja:A1']);
    expect(languageLevels([{ code: 'de', level: 'native' }])).toEqual([
      'de:A1',
      'de:A2',
      'de:B1',
      'de:B2',
      'de:C1',
      'de:C2',
      'de:native',
    ]);
    expect(languageLevels([{ code: 'it', level: 'C2' }])).not.toContain('it:native');
  });

  it('gives nothing for a level that is not one (as volunteers_language_levels), nor for no language', () => {
    expect(languageLevels([{ code: 'fr', level: 'D1' }])).toEqual([]);
    expect(languageLevels([])).toEqual([]);
  });
});

describe('search query', () => {
  it('defaults the sort and the page size, and coerces the limit', () => {
    expect(searchQuerySchema.parse({ limit: '20' })).toEqual({ sort: 'createdAt', limit: 20 });
  });

  it('names the parameter that is wrong', () => {
    const issues = (query: Record<string, string>) =>
      searchQuerySchema.safeParse(query).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ minLevel: 'B2' })).toEqual(['minLevel']);
    expect(issues({ q: '?!' })).toEqual(['q']);
    expect(issues({ q: 'a b c d e f' })).toEqual(['q']);
    expect(issues({ availableOn: '2024-02-30' })).toEqual(['availableOn']);
    expect(issues({ stage: 'hired' })).toEqual(['stage']);
  });
});

describe('cursor', () => {
  const id = '0b7c6f0e-5a8c-4b43-9d1e-3f3f3f3f3f3f';

  it('gives back the values of its sort', () => {
    const text = encodeCursor(['createdAt', '2026-12-04T21:00:00.123Z', id]);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, createdCursorSchema('createdAt'))).toEqual([
      'createdAt',
      '2026-12-04T21:00:00.123Z',
      id,
    ]);
    expect(decodeCursor(encodeCursor(['name', 'dupre', 'eloise', id]), nameCursorSchema)).toEqual([
      'name',
      'dupre',
      'eloise',
      id,
    ]);
  });

  it.each<[string, string, ZodType<unknown>]>([
    [
      'another sort',
      encodeCursor(['createdAt', '2026-12-04T21:00:00.123Z', id]),
      createdCursorSchema('-createdAt'),
    ],
    ['not base64url', 'a+b/c=', nameCursorSchema],
    ['not JSON', Buffer.from('{oops').toString('base64url'), nameCursorSchema],
    ['not a uuid', encodeCursor(['name', 'a', 'b', "x' OR 1=1"]), nameCursorSchema],
    ['not a date', encodeCursor(['createdAt', 'yesterday', id]), createdCursorSchema('createdAt')],
  ])('refuses %s with 400 invalid-cursor naming query.cursor', (_label, text, shape) => {
    let error: unknown;
    try {
      decodeCursor(text, shape);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(400);
    expect((error as ProblemException).getResponse()).toMatchObject({ errors: [{ field: 'query.cursor' }] });
  });
});
