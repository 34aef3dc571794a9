import { Readable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';

import { BodyReadError, readBody } from './body';

function stream(...chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

async function failure(promise: Promise<unknown>): Promise<BodyReadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BodyReadError)) throw new Error(`expected a BodyReadError, got ${String(error)}`);
  return error;
}

describe('readBody', () => {
  const xml = Buffer.from('<OdfBody Version="1"/>');

  it('reads plain, gzip and deflate bodies', async () => {
    expect(await readBody(stream(xml), { maxBytes: 100 })).toEqual(xml);
    expect(await readBody(stream(gzipSync(xml)), { maxBytes: 100, contentEncoding: 'gzip' })).toEqual(xml);
    expect(await readBody(stream(gzipSync(xml)), { maxBytes: 100, contentEncoding: 'x-gzip' })).toEqual(xml);
    expect(await readBody(stream(deflateSync(xml)), { maxBytes: 100, contentEncoding: 'deflate' })).toEqual(xml);
    expect(await readBody(stream(xml), { maxBytes: 100, contentEncoding: 'identity' })).toEqual(xml);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const error = await failure(readBody(stream(xml), { maxBytes: 10, contentLength: '11' }));
    expect(error.kind).toBe('too-large');
  });

  it('stops reading a body that grows over the limit', async () => {
    const error = await failure(readBody(stream(xml, xml), { maxBytes: xml.length + 1 }));
    expect(error).toMatchObject({ kind: 'too-large', message: `The request body exceeds the limit of ${xml.length + 1} bytes.` });
  });

  it('stops a gzip bomb at the limit of the decompressed size', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const error = await failure(readBody(stream(bomb), { maxBytes: 1024 * 1024, contentEncoding: 'gzip' }));
    expect(error).toMatchObject({ kind: 'too-large', message: 'The decompressed request body exceeds the limit of 1048576 bytes.' });
  });

  it('reports a corrupt gzip body and an unsupported encoding', async () => {
    expect((await failure(readBody(stream(xml), { maxBytes: 100, contentEncoding: 'gzip' }))).kind).toBe('bad-encoding');
    expect((await failure(readBody(stream(xml), { maxBytes: 100, contentEncoding: 'br' }))).kind).toBe('unsupported-encoding');
  });
});
