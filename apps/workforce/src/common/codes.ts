/** The codes workforce reads at its edges (zod), each once. */
import { z } from 'zod';

/** A venue code as the schedule names it (`STA`, `AQC`), uppercased: at most 8 (the contracts' homeVenue/venue). */
export const venueCodeSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,7}$/, 'must be a venue code (letters, digits, - or _, at most 8)'));

/** A functional area code (`VEN`, `MED`), uppercased: at most 16. */
export const functionalAreaSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'must be a functional area code (letters, digits, - or _, at most 16)'));

/** A skill or language code (`first-aid`, `fr`): lowercase letters, digits and dashes, at most 32. */
export const tagSchema = z
  .string()
  .trim()
  .transform((code) => code.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a code of lowercase letters, digits, - or _ (at most 32)'));

/** A list of tags, deduplicated (at most `max`). */
export const tagsSchema = (max = 32) => z.array(tagSchema).max(max).transform((tags) => [...new Set(tags)]);

/** A local calendar date (YYYY-MM-DD) that exists. */
export const localDateSchema = z.iso.date();

/** A reason for a change, kept in the history. */
export const reasonSchema = z.string().trim().min(1).max(500);
