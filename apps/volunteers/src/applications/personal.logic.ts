/**
 * The applicant's personal data held encrypted at rest (pure): email, phone, date of birth and nationality, sealed with
 * @podium/platform's EnvelopeCipher into the application row's personal_kid / personal_key / personal_data columns,
 * bound to the application's id (a value copied to another row does not open there). docs/volunteers-core.md#personal-data.
 */
import { type EnvelopeCipher, EnvelopeError, ProblemException, type Sealed } from '@podium/platform';
import { z } from 'zod';

export const personalDataSchema = z.strictObject({ email: z.string(), phone: z.string().nullable(), dateOfBirth: z.string(), nationality: z.string() });
export type PersonalData = z.infer<typeof personalDataSchema>;

/** The application row's sealed columns. */
export interface SealedColumns {
  personalKid: string | null;
  personalKey: Uint8Array<ArrayBuffer> | null;
  personalData: Uint8Array<ArrayBuffer> | null;
}

/** The context a sealed value is bound to: one application's value opens only on that application's row. */
export const sealContext = (applicationId: string): string => `volunteers.application:${applicationId}`;

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(value);

export function sealPersonal(cipher: EnvelopeCipher, applicationId: string, data: PersonalData): SealedColumns & { personalKid: string } {
  const sealed = cipher.sealJson(personalDataSchema.parse(data), sealContext(applicationId));
  return { personalKid: sealed.kid, personalKey: bytes(sealed.wrappedKey), personalData: bytes(sealed.ciphertext) };
}

/** The sealed value of a row, or undefined when it holds none (erased). */
export function sealedOf(row: SealedColumns): Sealed | undefined {
  if (row.personalKid === null || row.personalKey === null || row.personalData === null) return undefined;
  return { kid: row.personalKid, wrappedKey: row.personalKey, ciphertext: row.personalData };
}

/**
 * The personal data of a row (undefined once erased). When it cannot be opened (its key removed from
 * VOLUNTEERS_DATA_KEYS too early, a tampered row): a 500 problem `personal-data-unreadable` naming the key id, never the data.
 */
export function openPersonal(cipher: EnvelopeCipher, row: { id: string } & SealedColumns): PersonalData | undefined {
  const sealed = sealedOf(row);
  if (!sealed) return undefined;
  try {
    return personalDataSchema.parse(cipher.openJson(sealed, sealContext(row.id)));
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new ProblemException({
      status: 500,
      slug: 'personal-data-unreadable',
      title: 'Personal data unreadable',
      detail: `The personal data of application ${row.id} cannot be decrypted (${error.code}, key ${sealed.kid})`,
      extensions: { reason: error.code, kid: sealed.kid },
    });
  }
}
