/**
 * Reads a request body as bytes (for XML messages, which the platform's JSON parser leaves alone), decompressing
 * `Content-Encoding: gzip` / `deflate`, with the size limit applied to the received AND the decompressed bytes
 * (a gzip bomb stops at the limit, it is never inflated in full).
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export type BodyErrorKind = 'too-large' | 'bad-encoding' | 'unsupported-encoding' | 'aborted';

export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(
    readonly kind: BodyErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadBodyOptions {
  /** Largest body, compressed and decompressed, in bytes. */
  maxBytes: number;
  /** The Content-Encoding header (gzip, x-gzip, deflate, identity or none). */
  contentEncoding?: string | undefined;
  /** The Content-Length header, checked before reading. */
  contentLength?: string | undefined;
}

function decoderFor(encoding: string | undefined): 'identity' | 'gzip' | 'deflate' {
  const value = (encoding ?? 'identity').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  throw new BodyReadError('unsupported-encoding', `Content-Encoding '${encoding ?? ''}' is not supported: use gzip or none.`);
}

function tooLarge(maxBytes: number, what: string): BodyReadError {
  return new BodyReadError('too-large', `The ${what} exceeds the limit of ${maxBytes} bytes.`);
}

/** Reads `source` fully (decompressed) or rejects with a {@link BodyReadError}. */
export function readBody(source: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = options;
  let decoder: 'identity' | 'gzip' | 'deflate';
  try {
    decoder = decoderFor(options.contentEncoding);
  } catch (error) {
    source.resume();
    return Promise.reject(error);
  }
  const declared = options.contentLength === undefined ? NaN : Number(options.contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    source.resume();
    return Promise.reject(tooLarge(maxBytes, 'request body'));
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;
    const inflater = decoder === 'gzip' ? createGunzip() : decoder === 'deflate' ? createInflate() : undefined;

    const fail = (error: BodyReadError): void => {
      if (settled) return;
      settled = true;
      source.unpipe();
      inflater?.destroy();
      // Let the client finish sending so that it reads the error answer instead of a reset connection.
      source.resume();
      reject(error);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, decoded));
    };
    const collect = (chunk: Buffer): void => {
      if (settled) return;
      decoded += chunk.length;
      if (decoded > maxBytes) {
        fail(tooLarge(maxBytes, inflater ? 'decompressed request body' : 'request body'));
        return;
      }
      chunks.push(chunk);
    };

    source.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) fail(tooLarge(maxBytes, 'request body'));
    });
    source.on('aborted', () => fail(new BodyReadError('aborted', 'The request body was incomplete.')));
    source.on('error', () => fail(new BodyReadError('aborted', 'The request body could not be read.')));

    if (inflater) {
      inflater.on('data', collect);
      inflater.on('end', finish);
      inflater.on('error', (error: Error) =>
        fail(new BodyReadError('bad-encoding', `The ${decoder} body could not be decompressed: ${error.message}.`)),
      );
      source.pipe(inflater);
    } else {
      source.on('data', collect);
      source.on('end', finish);
    }
  });
}
