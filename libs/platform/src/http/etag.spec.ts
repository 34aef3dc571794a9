import type { Request, Response } from 'express';
import { etagFor, ifNoneMatchMatches, sendWithEtag, stableStringify } from './etag';

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

describe('sendWithEtag', () => {
  function fakeResponse() {
    const headers: Record<string, string> = {};
    const res = {
      setHeader: jest.fn((name: string, value: string) => void (headers[name] = value)),
      status: jest.fn(),
      end: jest.fn(),
      json: jest.fn(),
    };
    res.status.mockReturnValue(res);
    return { res, headers };
  }
  const body = { rsc: 'ATHM100M--------------FNL-000100--', version: 3 };

  it('sends the body with its ETag and Cache-Control', () => {
    const { res, headers } = fakeResponse();
    sendWithEtag({ method: 'GET', headers: {} } as Request, res as unknown as Response, body, 'no-cache');
    expect(headers).toEqual({ ETag: etagFor(body), 'Cache-Control': 'no-cache' });
    expect(res.json).toHaveBeenCalledWith(body);
    expect(res.status).not.toHaveBeenCalled();
  });

  it('answers 304 without a body when If-None-Match matches', () => {
    const { res } = fakeResponse();
    const req = { method: 'GET', headers: { 'if-none-match': etagFor(body) } } as unknown as Request;
    sendWithEtag(req, res as unknown as Response, body);
    expect(res.status).toHaveBeenCalledWith(304);
    expect(res.end).toHaveBeenCalledWith();
    expect(res.json).not.toHaveBeenCalled();
  });

  it('never answers 304 to an unsafe method', () => {
    const { res } = fakeResponse();
    const req = { method: 'PUT', headers: { 'if-none-match': '*' } } as unknown as Request;
    sendWithEtag(req, res as unknown as Response, body);
    expect(res.json).toHaveBeenCalledWith(body);
  });
});
