import type { HotAnswer } from '@podium/platform';
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

/**
 * What a read serves: the bytes, already serialised, and their strong ETag, both made once per version of the data
 * they show and written as they are to every client (with their Cache-Control, a HotAnswer of @podium/platform, sent by
 * its sendCached or its HotReads). A conditional request is answered from the ETag alone.
 */
export interface CachedBody {
  readonly body: Buffer;
  readonly etag: string;
}

/** A body from its text (JSON, a script, a page) in UTF-8, with the ETag of its bytes. */
export function cachedBody(text: string): CachedBody {
  const body = Buffer.from(text);
  return { body, etag: contentEtag(body) };
}

const documentAnswers = new WeakMap<DocumentEntry, HotAnswer>();

/**
 * The answer of the document routes for a document state: `entry.json` with {@link documentEtag} and
 * {@link LIVE_CACHE}, made on its first read and kept while the entry lives (an entry is one version of a document: a
 * new message makes a new entry, so it never changes).
 */
export function documentAnswer(entry: DocumentEntry): HotAnswer {
  let answer = documentAnswers.get(entry);
  if (!answer) {
    answer = { body: Buffer.from(entry.json), etag: documentEtag(entry), cacheControl: LIVE_CACHE };
    documentAnswers.set(entry, answer);
  }
  return answer;
}

/**
 * Values by key (e.g. the answer of a query), each kept with the version of the data it was built from and built
 * again only when that version changes: `answers.get(key, state.revision, () => ({ ...cachedBody(json), cacheControl }))`.
 * At most `capacity` keys are kept (keys can come from clients); beyond, the one built longest ago goes.
 */
export class VersionedCache<T> {
  private readonly values = new Map<string, { version: number; value: T }>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.values.size;
  }

  get(key: string, version: number, build: () => T): T {
    const held = this.values.get(key);
    if (held?.version === version) return held.value;
    const value = build();
    // Deleted then set again: a rebuilt key becomes the newest, so what is read often is what goes last.
    this.values.delete(key);
    if (this.values.size >= this.capacity) {
      const oldest = this.values.keys().next();
      if (!oldest.done) this.values.delete(oldest.value);
    }
    this.values.set(key, { version, value });
    return value;
  }
}
