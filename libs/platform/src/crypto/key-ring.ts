import { z } from 'zod';

/** A key id: what is stored next to each wrapped data key, so that the key that wrapped it can be found again. */
export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Bytes of an AES-256 key (key-encryption keys and data keys alike). */
export const KEY_BYTES = 32;

/**
 * The key-encryption keys (KEKs) of a service: every key it can unwrap with, and the one it wraps new data keys
 * with. Rotation: add a new key, make it `current`, re-wrap the stored data keys (EnvelopeCipher.rewrap), then
 * remove the old key once nothing refers to it.
 */
export interface KeyRing {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FORMAT = '{"current":"<kid>","keys":{"<kid>":"<base64 of 32 random bytes>"}}';

/**
 * A key ring from its JSON text `{"current": "<kid>", "keys": {"<kid>": "<base64 of 32 bytes>", ...}}`, the format of
 * the services' `*_DATA_KEYS` secrets. Every problem is reported by key id, never with a key's value.
 */
export const keyRingSchema = z.string().transform((text, ctx): KeyRing => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be JSON: ${FORMAT}` });
    return z.NEVER;
  }
  const shape = z
    .strictObject({
      current: z.string().regex(KEY_ID, 'must be a key id (1-64 of A-Z a-z 0-9 . _ -)'),
      keys: z.record(z.string(), z.string()).refine((keys) => Object.keys(keys).length > 0, 'needs at least one key'),
    })
    .safeParse(raw);
  if (!shape.success) {
    ctx.addIssue({ code: 'custom', message: `must be ${FORMAT} (${shape.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})` });
    return z.NEVER;
  }
  const keys = new Map<string, Buffer>();
  for (const [kid, base64] of Object.entries(shape.data.keys)) {
    if (!KEY_ID.test(kid)) {
      ctx.addIssue({ code: 'custom', message: `key id '${kid.slice(0, 64)}' must be 1-64 of A-Z a-z 0-9 . _ -` });
      return z.NEVER;
    }
    const bytes = STRICT_BASE64.test(base64) ? Buffer.from(base64, 'base64') : undefined;
    if (bytes?.length !== KEY_BYTES) {
      ctx.addIssue({ code: 'custom', message: `key ${kid} must be the base64 of exactly ${KEY_BYTES} random bytes (openssl rand -base64 ${KEY_BYTES})` });
      return z.NEVER;
    }
    keys.set(kid, bytes);
  }
  if (!keys.has(shape.data.current)) {
    ctx.addIssue({ code: 'custom', message: `the current key ${shape.data.current} must be one of the keys (${[...keys.keys()].join(', ')})` });
    return z.NEVER;
  }
  return { current: shape.data.current, keys };
});

/** {@link keyRingSchema} as a function: the key ring, or an Error saying what is wrong (never a key's value). */
export function parseKeyRing(text: string): KeyRing {
  const parsed = keyRingSchema.safeParse(text);
  if (!parsed.success) throw new Error(`Invalid key ring: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}
