/**
 * Venue API keys: each key is bound to the ODF Sources it may send for (or '*' for every Source). Keys are kept only
 * as SHA-256 hashes and compared in constant time against every configured hash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { z } from 'zod';

/** The public demo key of `npm start`, allowed for every Source; configured only locally (see demoKeysEnabled in app/config.ts). */
export const DEMO_API_KEY = 'demo-venue-key';

export interface ApiKeyEntry {
  /** SHA-256 of the key, hex. */
  readonly hash: string;
  /** Allowed Sources, or '*' for all. */
  readonly sources: '*' | readonly string[];
}

const HASHED = /^sha256:([0-9a-f]{64})$/i;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function entryOf(key: string, sources: '*' | readonly string[]): ApiKeyEntry {
  const hashed = HASHED.exec(key);
  return { hash: hashed ? (hashed[1] ?? '').toLowerCase() : sha256Hex(key), sources };
}

const sourcesSchema = z.union([
  z.literal('*'),
  z.array(z.string().regex(/^[^|\s]{1,64}$/, 'a Source is 1-64 characters without "|" or spaces')).min(1),
]);

/** INGEST_API_KEYS: a JSON object `{ "<key or sha256:hex>": ["SOURCE", ...] | "*" }`, parsed to hashed entries. */
export const apiKeysSchema = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object {"<api key>": ["SOURCE", ...] or "*"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(z.string(), sourcesSchema)
      .refine((keys) => Object.keys(keys).length > 0, 'expected at least one key')
      // The message never shows the key: the variable is a secret.
      .refine((keys) => Object.keys(keys).every((k) => HASHED.test(k) || k.length >= 16), 'an API key must be at least 16 characters'),
  )
  .transform((keys): readonly ApiKeyEntry[] => Object.entries(keys).map(([key, sources]) => entryOf(key, sources)));

export type ApiKeyCheck =
  | { ok: true; sources: '*' | readonly string[] }
  | { ok: false; reason: 'missing' | 'unknown' };

/** The configured keys (plus the demo key when enabled), checked in constant time. */
export class ApiKeyRegistry {
  private readonly entries: readonly { hash: Buffer; sources: '*' | readonly string[] }[];

  constructor(entries: readonly ApiKeyEntry[], options: { demo?: boolean } = {}) {
    const all = options.demo ? [...entries, entryOf(DEMO_API_KEY, '*')] : [...entries];
    this.entries = all.map((e) => ({ hash: Buffer.from(e.hash, 'hex'), sources: e.sources }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Checks a presented key: every configured hash is compared (no early exit), so timing does not reveal which. */
  check(presented: string | undefined | null): ApiKeyCheck {
    if (presented === undefined || presented === null || presented.trim() === '') return { ok: false, reason: 'missing' };
    const hash = createHash('sha256').update(presented.trim(), 'utf8').digest();
    let found: '*' | readonly string[] | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, hash) && found === undefined) found = entry.sources;
    }
    return found === undefined ? { ok: false, reason: 'unknown' } : { ok: true, sources: found };
  }

  /** May a key with `sources` send a message whose ODF Source is `source`? */
  static allows(sources: '*' | readonly string[], source: string): boolean {
    return sources === '*' || sources.includes(source);
  }
}
