/**
 * The recruiter searches (GET /v1/editions/{edition}/applications): the query's schema, the name search's words, the
 * cursors of each sort. Pure: no I/O (the SQL is in search.repository.ts).
 */
import { isoDateSchema } from '@podium/contracts';
import { z } from 'zod';

import { LANGUAGE_LEVELS, STAGES } from '../applications/application.logic';
import { applicationViewSchema } from '../applications/applications.view';

const code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'not a code');

/** The sorts: creation order (oldest first, the screening queue), newest first, or by name (family, given). */
export const SORTS = ['createdAt', '-createdAt', 'name'] as const;
export type Sort = (typeof SORTS)[number];

/** At most this many words in `q`; each is a prefix of a word of the names. */
export const MAX_NAME_WORDS = 5;

/** The words of a name search: letters and digits, whatever separates them (`"Dupré, é"` -> `["Dupré", "é"]`). */
export function nameWords(q: string): string[] {
  return q.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * The text-search query of `q` (before folding, which the database does with the index's function): each word a
 * prefix, all required. The words hold letters and digits only, so nothing of tsquery's syntax can get in.
 */
export function nameTsQuery(q: string): string {
  return nameWords(q)
    .map((w) => `${w}:*`)
    .join(' & ');
}

export const searchQuerySchema = z
  .strictObject({
    stage: z.enum(STAGES).optional().meta({ description: 'Stage of the pipeline' }),
    language: code
      .optional()
      .meta({ description: 'A language the applicant speaks (code of the campaign)', examples: ['fr'] }),
    minLevel: z
      .enum(LANGUAGE_LEVELS)
      .optional()
      .meta({ description: 'With language: at least this level (A1 < ... < C2 < native)', examples: ['B2'] }),
    skill: code.optional().meta({ description: 'A skill the applicant has', examples: ['first-aid'] }),
    availableOn: isoDateSchema
      .optional()
      .meta({ description: 'Available on this date (YYYY-MM-DD)', examples: ['2024-07-26'] }),
    field: code
      .optional()
      .meta({ description: 'One of the preferred fields of activity', examples: ['medical'] }),
    q: z
      .string()
      .trim()
      .max(100, 'at most 100 characters')
      .refine((q) => nameWords(q).length >= 1, 'needs a letter or a digit')
      .refine((q) => nameWords(q).length <= MAX_NAME_WORDS, `at most ${MAX_NAME_WORDS} words`)
      .optional()
      .meta({
        description:
          'Name search: each word a prefix of a word of the family or given name; case and (Latin) accents ignored',
        examples: ['dup ma'],
      }),
    sort: z
      .enum(SORTS)
      .default('createdAt')
      .meta({ description: 'createdAt (oldest first), -createdAt (newest first) or name' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: 'nextCursor of the previous page (same sort)' }),
  })
  .superRefine((query, ctx) => {
    if (query.minLevel !== undefined && query.language === undefined)
      ctx.addIssue({ code: 'custom', path: ['minLevel'], message: 'needs language' });
  });
export type SearchQuery = z.infer<typeof searchQuerySchema>;

const uuid = z.uuid();
/** createdAt sorts: [sort, created_at (ISO, ms), id]; a cursor of the other direction is not one of this sort. */
export const createdCursorSchema = (sort: 'createdAt' | '-createdAt') =>
  z.tuple([z.literal(sort), z.iso.datetime(), uuid]);
/** Name sort: ['name', family name key, given name key, id] (keys as the database folds them). */
export const nameCursorSchema = z.tuple([z.literal('name'), z.string().max(400), z.string().max(400), uuid]);

/** The page: the recruiter's view of each application (applications.view.ts: no contact details, no date of birth). */
export const searchPageSchema = z.object({
  items: z.array(applicationViewSchema),
  nextCursor: z.string().nullable(),
});
