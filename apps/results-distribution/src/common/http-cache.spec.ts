import { resultsSubjectOf } from '@podium/contracts';
import { result, UNIT } from '../test-support/messages';
import { makeEntry } from '../state/document';
import { type CachedBody, cachedBody, contentEtag, documentAnswer, documentEtag, LIVE_CACHE, VersionedCache } from './http-cache';

describe('cachedBody', () => {
  it('holds the UTF-8 bytes of the text and the ETag of those bytes', () => {
    const served = cachedBody('{"name":"Zoë"}');
    expect(served.body.equals(Buffer.from('{"name":"Zoë"}', 'utf8'))).toBe(true);
    expect(served.etag).toBe(contentEtag('{"name":"Zoë"}'));
    expect(served.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });
});

describe('documentAnswer', () => {
  const data = result({ rsc: UNIT, version: 2 });
  const subject = resultsSubjectOf(data);

  it('is made once per document state: the same entry gives the same bytes and ETag, without recomputing them', () => {
    const entry = makeEntry(data, 'RESULTS', 7, subject);
    const first = documentAnswer(entry);
    expect(String(first.body)).toBe(entry.json);
    expect(first.etag).toBe(documentEtag(entry));
    expect(first.cacheControl).toBe(LIVE_CACHE);
    expect(documentAnswer(entry)).toBe(first);
  });

  it('gives a new version (a new entry) its own bytes and ETag', () => {
    const v2 = documentAnswer(makeEntry(data, 'RESULTS', 7, subject));
    const v3 = documentAnswer(makeEntry(result({ rsc: UNIT, version: 3 }), 'RESULTS', 8, subject));
    expect(v3.etag).not.toBe(v2.etag);
    expect(JSON.parse(String(v3.body))).toMatchObject({ version: 3, seq: 8 });
    // The same key at the same sequence is the same ETag wherever it is served (another replica, a restart).
    expect(documentAnswer(makeEntry(data, 'RESULTS', 7, subject)).etag).toBe(v2.etag);
  });
});

describe('VersionedCache', () => {
  function counting(text: string) {
    const build = jest.fn(() => cachedBody(text));
    return build;
  }

  it('builds a key once per version, and again when the version changes', () => {
    const bodies = new VersionedCache<CachedBody>(10);
    const v1 = counting('{"v":1}');
    const first = bodies.get('q', 1, v1);
    expect(bodies.get('q', 1, v1)).toBe(first);
    expect(v1).toHaveBeenCalledTimes(1);

    const v2 = counting('{"v":2}');
    const second = bodies.get('q', 2, v2);
    expect(v2).toHaveBeenCalledTimes(1);
    expect(second.body.toString()).toBe('{"v":2}');
    expect(second.etag).not.toBe(first.etag);
    expect(bodies.get('q', 2, v2)).toBe(second);
    expect(bodies.size).toBe(1);
  });

  it('keeps at most `capacity` keys, dropping the one built longest ago', () => {
    const bodies = new VersionedCache<CachedBody>(2);
    bodies.get('a', 1, () => cachedBody('a'));
    bodies.get('b', 1, () => cachedBody('b'));
    // 'a' is rebuilt (new version): now 'b' is the oldest.
    bodies.get('a', 2, () => cachedBody('a2'));
    bodies.get('c', 1, () => cachedBody('c'));
    expect(bodies.size).toBe(2);
    const rebuilt = jest.fn(() => cachedBody('b'));
    bodies.get('b', 1, rebuilt);
    expect(rebuilt).toHaveBeenCalledTimes(1);
    const kept = jest.fn(() => cachedBody('c'));
    bodies.get('c', 1, kept);
    expect(kept).not.toHaveBeenCalled();
  });
});
