import { z } from 'zod';

/*
 * Schema builders for values read from environment variables (always strings), with messages that
 * read well in a ConfigValidationError: "PORT: expected a number between 1 and 65535, got 'abc'".
 */

/** A TCP port, 1-65535. */
export function envPort() {
  const message = 'expected a number between 1 and 65535';
  return z.coerce.number({ error: message }).int(message).min(1, message).max(65535, message);
}

/** An integer within [min, max]. */
export function envInt(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const message =
    options.min !== undefined && options.max !== undefined
      ? `expected an integer between ${min} and ${max}`
      : options.min !== undefined
        ? `expected an integer >= ${min}`
        : options.max !== undefined
          ? `expected an integer <= ${max}`
          : 'expected an integer';
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** true/false, 1/0, yes/no, on/off (case-insensitive). */
export function envBoolean() {
  return z.stringbool({ error: 'expected true or false' });
}

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol.replace(/:$/, '')) && url.host !== '';
  } catch {
    return false;
  }
}

function protocolList(protocols: readonly string[]): string {
  return protocols.map((p) => `${p}://`).join(' or ');
}

/** An absolute URL whose scheme is one of `protocols`, e.g. `envUrl(['postgres', 'postgresql'])`. */
export function envUrl(protocols: readonly string[]) {
  return z.string().refine((value) => isUrlWithProtocol(value, protocols), `expected a ${protocolList(protocols)} URL`);
}

/** One URL or a comma-separated list of them (NATS accepts several seed servers). */
export function envUrlList(protocols: readonly string[]) {
  return z
    .string()
    .refine(
      (value) => value.split(',').every((part) => isUrlWithProtocol(part.trim(), protocols)),
      `expected a ${protocolList(protocols)} URL or a comma-separated list of them`,
    );
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size such as `512kb`, `1mb` or `1048576` (bytes), parsed to a number of bytes. */
export function envByteSize() {
  const message = "expected a size such as '100kb', '1mb' or a number of bytes";
  return z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, message)
    .transform((value, ctx) => {
      const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
      const bytes = match ? Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]) : NaN;
      if (!Number.isSafeInteger(bytes) || bytes < 1) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return bytes;
    });
}

/** A PEM block; `\n` escapes (common when a PEM is put in a single-line env var) become newlines. */
export function envPem(label: string) {
  return z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((pem) => pem.startsWith(`-----BEGIN ${label}-----`) && pem.includes(`-----END ${label}-----`), {
      message: `expected a PEM block (-----BEGIN ${label}-----)`,
    });
}
