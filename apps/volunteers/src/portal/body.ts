/**
 * The body of a portal form post: application/x-www-form-urlencoded only (what a browser sends for a form without
 * files), read up to a cap (the platform parses JSON bodies only and leaves the others unread). Refused before a byte
 * is read when Content-Length is over the cap, stopped as soon as more arrives otherwise.
 */
import type { IncomingMessage } from 'node:http';

/** The cap on a portal form post: a full application is about 2 KB. */
export const PORTAL_BODY_LIMIT = 16 * 1024;

export type FormBody = { ok: true; form: URLSearchParams } | { ok: false; status: 413 | 415 | 400 };

function isUrlencoded(contentType: string | undefined): boolean {
  const [type = '', ...params] = (contentType ?? '').toLowerCase().split(';');
  if (type.trim() !== 'application/x-www-form-urlencoded') return false;
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^"\s]+)"?\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
  return charset === undefined || charset === 'utf-8';
}

/** Reads `request`'s form, or the status to answer (413 over the cap, 415 another type or an encoding, 400 cut short). */
export function readForm(request: IncomingMessage, limit = PORTAL_BODY_LIMIT): Promise<FormBody> {
  const refuse = (status: 413 | 415 | 400): Promise<FormBody> => {
    // Let the client finish sending (it then reads the answer instead of a reset connection).
    request.resume();
    return Promise.resolve({ ok: false, status });
  };
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!isUrlencoded(request.headers['content-type']) || (encoding !== '' && encoding !== 'identity')) return refuse(415);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return refuse(413);

  return new Promise<FormBody>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: FormBody) => {
      if (settled) return;
      settled = true;
      request.removeListener('data', onData);
      if (!result.ok) request.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) settle({ ok: false, status: 413 });
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => settle({ ok: true, form: new URLSearchParams(Buffer.concat(chunks, received).toString('utf8')) }));
    request.on('aborted', () => settle({ ok: false, status: 400 }));
    request.on('error', () => settle({ ok: false, status: 400 }));
  });
}
