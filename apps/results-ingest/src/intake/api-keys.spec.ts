import { ApiKeyRegistry, apiKeysSchema, DEMO_API_KEY, sha256Hex } from './api-keys';

const KEY = 'venue-key-athletics-0123456789';

describe('INGEST_API_KEYS', () => {
  it('parses keys bound to Sources or to every Source, keeping only hashes', () => {
    const hashed = `sha256:${sha256Hex('another-key-0123456789')}`;
    const entries = apiKeysSchema.parse(JSON.stringify({ [KEY]: ['SEQATH1', 'SEQATH2'], [hashed]: '*' }));
    expect(entries).toEqual([
      { hash: sha256Hex(KEY), sources: ['SEQATH1', 'SEQATH2'] },
      { hash: sha256Hex('another-key-0123456789'), sources: '*' },
    ]);
    expect(JSON.stringify(entries)).not.toContain(KEY);
  });

  it('explains what is wrong', () => {
    const issues = (text: string) => apiKeysSchema.safeParse(text).error?.issues.map((i) => i.message) ?? [];
    expect(issues('not json')).toEqual(['expected a JSON object {"<api key>": ["SOURCE", ...] or "*"}']);
    expect(issues('{}')).toEqual(['expected at least one key']);
    expect(issues(JSON.stringify({ short: '*' }))).toEqual(['an API key must be at least 16 characters']);
    expect(issues(JSON.stringify({ [KEY]: [] })).length).toBeGreaterThan(0);
    expect(issues(JSON.stringify({ [KEY]: ['A|B'] }))).toEqual(['a Source is 1-64 characters without "|" or spaces']);
  });
});

describe('ApiKeyRegistry', () => {
  const entries = apiKeysSchema.parse(JSON.stringify({ [KEY]: ['SEQATH1'] }));

  it('tells a missing key from an unknown one and returns the Sources of a known one', () => {
    const keys = new ApiKeyRegistry(entries);
    expect(keys.check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(keys.check('  ')).toEqual({ ok: false, reason: 'missing' });
    expect(keys.check('wrong-key-0123456789')).toEqual({ ok: false, reason: 'unknown' });
    expect(keys.check(KEY)).toEqual({ ok: true, sources: ['SEQATH1'] });
    expect(keys.check(DEMO_API_KEY)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('adds the demo key for every Source only when asked', () => {
    const keys = new ApiKeyRegistry(entries, { demo: true });
    expect(keys.size).toBe(2);
    expect(keys.check(DEMO_API_KEY)).toEqual({ ok: true, sources: '*' });
    expect(new ApiKeyRegistry([]).check(DEMO_API_KEY)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('allows a Source bound to the key, or any with "*"', () => {
    expect(ApiKeyRegistry.allows(['SEQATH1'], 'SEQATH1')).toBe(true);
    expect(ApiKeyRegistry.allows(['SEQATH1'], 'SEQSWM1')).toBe(false);
    expect(ApiKeyRegistry.allows('*', 'SEQSWM1')).toBe(true);
  });
});
