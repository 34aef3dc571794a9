import { isValidTimeZone, parseRsc, SCHEDULE_STATUSES } from '@podium/odf';
import { z } from 'zod';

/** ODF Results System Code (34 chars); the error message says what is wrong (from `parseRsc`). */
export const rscSchema = z
  .string()
  .check((ctx) => {
    const result = parseRsc(ctx.value);
    if (!result.ok) {
      ctx.issues.push({ code: 'custom', message: result.error, input: ctx.value });
    }
  })
  .meta({
    description: 'ODF Results System Code: discipline(3) gender(1) event(8) modifier(10) phase(4) unit(8), "-" filler',
    pattern: '^[A-Z]{3}[MWXO][A-Z0-9-]{30}$',
    minLength: 34,
    maxLength: 34,
    examples: ['ATHM100M--------------FNL-000100--'],
  });

/** ODF discipline code, e.g. 'ATH'. */
export const disciplineCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'discipline must be 3 letters A-Z')
  .meta({ description: 'ODF discipline code', examples: ['ATH'] });

export const scheduleStatusSchema = z.enum(SCHEDULE_STATUSES).meta({ description: 'ODF schedule status' });

/** UTC instant, ISO-8601 with 'Z' (e.g. 2024-07-27T17:30:00Z). */
export const utcDateTimeSchema = z.iso.datetime({ message: 'must be an ISO-8601 UTC date-time ending in Z' });

/** Local date-time with its offset (e.g. 2024-07-27T19:30:00+02:00). */
export const offsetDateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with an offset',
});

/** Calendar date YYYY-MM-DD (a real date: 2024-02-30 is refused). The one date schema of every service. */
export const isoDateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/**
 * IOC code of a National Olympic Committee as every service stores and publishes it: three uppercase letters
 * (JPN, AIN, EOR). Input in another case is refused, not corrected; only token claims are uppercased first (auth).
 */
export const nocCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter IOC code in uppercase, e.g. JPN')
  .meta({ description: 'IOC code of the National Olympic Committee', examples: ['JPN'] });

/** IANA time zone name known to the runtime (e.g. Europe/Paris). */
export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
  .meta({ description: 'IANA time zone', examples: ['Europe/Paris'] });

/** Games edition code, e.g. 'OG2024' (Olympic), 'PG2024' (Paralympic), 'OG2028-ITL' (a test event). */
export const editionCodeSchema = z
  .string()
  .regex(/^[A-Z]{2,4}\d{4}(-[A-Z0-9]+)?$/, "must look like 'OG2024' or 'OG2028-ITL'")
  .meta({ description: 'Games edition code', examples: ['OG2024'] });

/** Local wall-clock date-time without an offset ('YYYY-MM-DDTHH:mm[:ss]'), read in a time zone given elsewhere. */
export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "must be a local date-time 'YYYY-MM-DDTHH:mm' (no offset)");

