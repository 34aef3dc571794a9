import type { z } from 'zod';

import { ProblemException } from '../http/problem';
import { type EnvelopeCipher, EnvelopeError, type Sealed } from './envelope';

/**
 * A row's personal data sealed by {@link EnvelopeCipher} (envelope encryption), as the services store it: the id of
 * the key-encryption key, the wrapped data key and the ciphertext, in three columns; all null when the row holds none
 * (never given, or erased).
 */
export interface PersonalColumns {
  personalKid: string | null;
  personalKey: Uint8Array<ArrayBuffer> | null;
  personalData: Uint8Array<ArrayBuffer> | null;
}

/** The columns of a row without personal data. */
export const NO_PERSONAL_COLUMNS: PersonalColumns = Object.freeze({ personalKid: null, personalKey: null, personalData: null });

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(value);

/** `value` as JSON, sealed under the current key and bound to `context` (e.g. the row's id: it opens on that row only). */
export function sealPersonalColumns(cipher: EnvelopeCipher, value: unknown, context: string): PersonalColumns & { personalKid: string } {
  const sealed = cipher.sealJson(value, context);
  return { personalKid: sealed.kid, personalKey: bytes(sealed.wrappedKey), personalData: bytes(sealed.ciphertext) };
}

/** The sealed value of a row, or undefined when it holds none. */
export function sealedOfColumns(row: PersonalColumns): Sealed | undefined {
  if (row.personalKid === null || row.personalKey === null || row.personalData === null) return undefined;
  return { kid: row.personalKid, wrappedKey: row.personalKey, ciphertext: row.personalData };
}

/**
 * The personal data of a row, parsed by `schema` (undefined when the row holds none). When it cannot be opened (its
 * key removed from the key ring too early, a tampered row, a value moved from another row): a 500 problem
 * `personal-data-unreadable` saying why and with which key id, about `what` (e.g. "application <id>"), never the data.
 */
export function openPersonalColumns<T>(cipher: EnvelopeCipher, row: PersonalColumns, context: string, schema: z.ZodType<T>, what: string): T | undefined {
  const sealed = sealedOfColumns(row);
  if (!sealed) return undefined;
  let opened: unknown;
  try {
    opened = cipher.openJson(sealed, context);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new ProblemException({
      status: 500,
      slug: 'personal-data-unreadable',
      title: 'Personal data unreadable',
      detail: `The personal data of ${what} cannot be decrypted (${error.code}, key ${sealed.kid})`,
      extensions: { reason: error.code, kid: sealed.kid },
    });
  }
  return schema.parse(opened);
}
