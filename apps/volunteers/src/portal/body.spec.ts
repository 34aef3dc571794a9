import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';

import { readForm } from './body';

function request(headers: Record<string, string>, chunks: string[]): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers });
  setImmediate(() => {
    for (const c of chunks) stream.write(c);
    stream.end();
  });
  return stream as unknown as IncomingMessage;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('readForm', () => {
  it('reads an urlencoded form (UTF-8), repeated names included', async () => {
    const result = await readForm(request({ ...FORM, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }, ['a=%C3%A9t%C3%A9&s=1', '&s=2']));
    expect(result.ok && result.form.get('a')).toBe('été');
    expect(result.ok && result.form.getAll('s')).toEqual(['1', '2']);
  });

  it('refuses over the cap, by Content-Length or while reading (413)', async () => {
    expect(await readForm(request({ ...FORM, 'content-length': '20' }, ['x'.repeat(20)]), 10)).toEqual({ ok: false, status: 413 });
    expect(await readForm(request(FORM, ['x'.repeat(6), 'x'.repeat(6)]), 10)).toEqual({ ok: false, status: 413 });
    expect((await readForm(request(FORM, ['x'.repeat(10)]), 10)).ok).toBe(true);
  });

  it('refuses other media types, other charsets and content encodings (415)', async () => {
    expect(await readForm(request({ 'content-type': 'application/json' }, ['{}']))).toEqual({ ok: false, status: 415 });
    expect(await readForm(request({ 'content-type': 'multipart/form-data; boundary=x' }, ['']))).toEqual({ ok: false, status: 415 });
    expect(await readForm(request({ 'content-type': 'application/x-www-form-urlencoded; charset=latin1' }, ['a=b']))).toEqual({ ok: false, status: 415 });
    expect(await readForm(request({ ...FORM, 'content-encoding': 'gzip' }, ['a=b']))).toEqual({ ok: false, status: 415 });
    expect(await readForm(request({}, ['a=b']))).toEqual({ ok: false, status: 415 });
  });
});
