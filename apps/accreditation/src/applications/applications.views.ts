/**
 * The answers of the applications API as documented (OpenAPI, and from it the tools' generated clients): each handler
 * declares `Promise<z.output<typeof schema>>`, so an answer that stops matching its schema is a compile error.
 */
import { z } from 'zod';
import { APPLICATION_STATES } from './workflow';

/** An application as served (ApplicationView): its vetting only to the security roles. */
export const applicationViewSchema = z.object({
  id: z.uuid(),
  edition: z.string(),
  organisation: z.string(),
  category: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  dateOfBirth: z.string(),
  nationality: z.string(),
  entriesAthleteId: z.string().nullable().meta({ description: "The athlete of entries the application was made for; null: typed in" }),
  state: z.enum(APPLICATION_STATES),
  version: z.int(),
  submittedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  vetting: z
    .object({ result: z.string().nullable(), note: z.string().nullable(), by: z.string().nullable(), at: z.string().nullable() })
    .optional()
    .meta({ description: 'Only to the security roles' }),
});
export type ApplicationViewOut = z.output<typeof applicationViewSchema>;

/** An application with its personal data opened (passport number, photo reference). */
export const applicationWithPersonalDataSchema = applicationViewSchema.extend({
  passportNumber: z.string().nullable(),
  photoReference: z.string().nullable(),
});

export const applicationPageSchema = z.object({ items: z.array(applicationViewSchema), nextCursor: z.string().nullable() });

/** The bulk path's report: a row per input row, accepted (its id) or refused (why). */
export const bulkReportSchema = z.object({
  accepted: z.int(),
  refused: z.int(),
  items: z.array(
    z.union([
      z.object({ index: z.int(), status: z.literal('accepted'), id: z.uuid() }),
      z.object({
        index: z.int(),
        status: z.literal('refused'),
        reason: z.enum(['invalid', 'forbidden', 'unknown-reference', 'quota-exceeded']),
        detail: z.string(),
        errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
        quota: z.int().optional(),
        used: z.int().optional(),
        over: z.int().optional(),
      }),
    ]),
  ),
});
