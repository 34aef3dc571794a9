/**
 * The personal data held encrypted at rest (pure): the passport number and photo reference of an application, their
 * validation, how they are sealed into and opened from the application row, and the erasure marker.
 * docs/accreditation.md#personal-data.
 */
import {
  type EnvelopeCipher,
  NO_PERSONAL_COLUMNS,
  openPersonalColumns,
  type PersonalColumns,
  sealPersonalColumns,
} from '@podium/platform';
import { z } from 'zod';

/** What erased personal fields read afterwards. */
export const ERASED = '[erased]';

/**
 * A passport (travel document) number as submitted: letters and digits, 5 to 20 of them once spaces at its ends are
 * removed; kept upper case. (ICAO 9303 document numbers are 9 characters in the machine-readable zone, national
 * numbers run shorter or longer.) An error never repeats the value.
 */
export const passportNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{5,20}$/, 'must be a passport number: 5 to 20 letters and digits, no spaces')
  .meta({ description: 'Passport number (stored encrypted; returned only by GET of the application)', examples: ['18AB12345'] });

/**
 * Where the person's photo is stored: an object-store key such as `photos/OG2024/3f1c.jpg` (1-512 of A-Z a-z 0-9 and
 * `. _ - /`; no leading `/`, no empty, `.` or `..` segment). The photo itself is not held here.
 */
export const photoReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9._/-]{1,512}$/, 'must be an object-store key: 1 to 512 of A-Z a-z 0-9 . _ - /')
  .refine((key) => key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), 'must not start with /, nor hold an empty, . or .. segment')
  .meta({ description: 'Object-store key of the photo (stored encrypted; returned only by GET of the application)', examples: ['photos/OG2024/3f1c.jpg'] });

export interface PersonalData {
  passportNumber: string | null;
  photoReference: string | null;
}

/** The context a sealed value is bound to: the value of one application opens only on that application's row. */
export const sealContext = (applicationId: string): string => `accreditation.application:${applicationId}`;

/** The sealed columns of an application's personal data (all null when there is none). */
export function sealPersonalData(cipher: EnvelopeCipher, applicationId: string, data: Partial<PersonalData>): PersonalColumns {
  const value: PersonalData = { passportNumber: data.passportNumber ?? null, photoReference: data.photoReference ?? null };
  if (value.passportNumber === null && value.photoReference === null) return { ...NO_PERSONAL_COLUMNS };
  return sealPersonalColumns(cipher, value, sealContext(applicationId));
}

const storedSchema = z.strictObject({ passportNumber: z.string().nullable(), photoReference: z.string().nullable() });

/**
 * The personal data of an application row (nulls when there is none). When it cannot be opened (its key removed
 * from ACCREDITATION_DATA_KEYS too early, a tampered row): a 500 problem `personal-data-unreadable` saying why and
 * with which key id, never the data.
 */
export function openPersonalData(cipher: EnvelopeCipher, row: { id: string } & PersonalColumns): PersonalData {
  return openPersonalColumns(cipher, row, sealContext(row.id), storedSchema, `application ${row.id}`) ?? { passportNumber: null, photoReference: null };
}
