import { createHash } from 'node:crypto';
import type { DocumentEntry } from '../state/document';

/**
 * Cache-Control of the live reads: a CDN may keep a response 1 s and serve it 1 s more while it revalidates, so a
 * reader is at most ~2 s behind (the web target); browsers revalidate with If-None-Match and get 304s.
 */
export const LIVE_CACHE = 'public, max-age=1, s-maxage=1, stale-while-revalidate=1';
/** The schedule changes seldom (its live status follows the results, within seconds). */
export const SCHEDULE_CACHE = 'public, max-age=2, s-maxage=2, stale-while-revalidate=5';
export const STATIC_CACHE = 'public, max-age=300, s-maxage=300, stale-while-revalidate=3600';

/** Strong ETag of a document state: the same key at the same stream sequence is always the same bytes. */
export function documentEtag(entry: DocumentEntry): string {
  const key = createHash('sha256').update(entry.key).digest('base64url').slice(0, 12);
  return `"${entry.stream === 'RESULTS' ? 'r' : 'c'}${entry.seq}-${key}"`;
}

/** Strong ETag of arbitrary bytes. */
export function contentEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
