/**
 * The applicant's personal data held encrypted at rest (pure): email, phone, date of birth and nationality, sealed with
 * @podium/platform's EnvelopeCipher into the application row's personal_kid / personal_key / personal_data columns,
 * bound to the application's id (a value copied to another row does not open there). docs/volunteers-core.md#personal-data.
 */
import { type EnvelopeCipher, openPersonalColumns, type PersonalColumns, sealPersonalColumns } from '@podium/platform';
import { z } from 'zod';

export const personalDataSchema = z.strictObject({ email: z.string(), phone: z.string().nullable(), dateOfBirth: z.string(), nationality: z.string() });
export type PersonalData = z.infer<typeof personalDataSchema>;

/** The context a sealed value is bound to: one application's value opens only on that application's row. */
export const sealContext = (applicationId: string): string => `volunteers.application:${applicationId}`;

export function sealPersonal(cipher: EnvelopeCipher, applicationId: string, data: PersonalData): PersonalColumns & { personalKid: string } {
  return sealPersonalColumns(cipher, personalDataSchema.parse(data), sealContext(applicationId));
}

/**
 * The personal data of a row (undefined once erased). When it cannot be opened (its key removed from
 * VOLUNTEERS_DATA_KEYS too early, a tampered row): a 500 problem `personal-data-unreadable` naming the key id, never the data.
 */
export function openPersonal(cipher: EnvelopeCipher, row: { id: string } & PersonalColumns): PersonalData | undefined {
  return openPersonalColumns(cipher, row, sealContext(row.id), personalDataSchema, `application ${row.id}`);
}
