import fastify, { type FastifyInstance } from 'fastify';
import { etagFor, ifNoneMatchMatches, installConditionalGet, sendCached, stableStringify } from './etag';

describe('stableStringify / etagFor', () => {
  it('does not depend on key order, honours toJSON and drops undefined like JSON.stringify', () => {
    const a = { b: [1, { y: 2, x: 1 }], a: new Date('2024-07-27T19:30:00Z'), gone: undefined };
    const b = { a: '2024-07-27T19:30:00.000Z', b: [1, { x: 1, y: 2 }] };
    expect(stableStringify(a)).toBe('{"a":"2024-07-27T19:30:00.000Z","b":[1,{"x":1,"y":2}]}');
    expect(etagFor(a)).toBe(etagFor(b));
    expect(stableStringify([undefined, null])).toBe('[null,null]');
  });

  it('changes when the value changes, and is a strong quoted tag', () => {
    const tag = etagFor({ version: 1 });
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(etagFor({ version: 2 })).not.toBe(tag);
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    [undefined, false],
  ])('%s -> %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(expected);
  });
});

describe('sendCached and the conditional-GET hook (on a real Fastify)', () => {
  const body = JSON.stringify({ rsc: 'ATHM100M--------------FNL-000100--', version: 3 });
  const etag = '"v3-abc"';
  let app: FastifyInstance;

  beforeAll(async () => {
    app = fastify();
    installConditionalGet(app);
    app.get('/cached', (request, reply) => sendCached(request, reply, body, { etag, cacheControl: 'public, max-age=1' }));
    app.put('/cached', (request, reply) => sendCached(request, reply, body, { etag, cacheControl: 'no-store' }));
    // A handler that only sets an ETag (what the @Etag() interceptor does): the hook turns a match into a 304.
    app.get('/tagged', (_request, reply) => reply.header('ETag', etag).send({ version: 3 }));
    await app.ready();
  });

  afterAll(() => app.close());

  it('sends the bytes with their ETag, Cache-Control and JSON type', async () => {
    const res = await app.inject({ method: 'GET', url: '/cached' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(body);
    expect(res.headers).toMatchObject({ etag, 'cache-control': 'public, max-age=1', 'content-type': 'application/json; charset=utf-8' });
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('answers 304 without a body when If-None-Match matches, keeping the ETag', async () => {
    const res = await app.inject({ method: 'GET', url: '/cached', headers: { 'if-none-match': `"other", ${etag}` } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers['etag']).toBe(etag);
  });

  it('never answers 304 to an unsafe method', async () => {
    const res = await app.inject({ method: 'PUT', url: '/cached', headers: { 'if-none-match': '*' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(body);
  });

  it('turns a 200 whose ETag the client has into a bodiless 304, and leaves other requests alone', async () => {
    const hit = await app.inject({ method: 'GET', url: '/tagged', headers: { 'if-none-match': etag } });
    expect(hit.statusCode).toBe(304);
    expect(hit.body).toBe('');
    expect(hit.headers['content-length']).toBeUndefined();
    const miss = await app.inject({ method: 'GET', url: '/tagged', headers: { 'if-none-match': '"stale"' } });
    expect(miss.statusCode).toBe(200);
    expect(miss.json()).toEqual({ version: 3 });
  });
});
