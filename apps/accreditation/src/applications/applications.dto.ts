import { isoDateSchema, nocCodeSchema } from '@podium/contracts';
import { z } from 'zod';

import { passportNumberSchema, photoReferenceSchema } from '../personal-data/personal-data.logic';
import { APPLICATION_STATES, VETTING_RESULTS } from './workflow';

const personName = z.string().trim().min(1).max(100);

/** A person applied for, without the personal fields held encrypted (the submission adds them: {@link applicationSubmissionSchema}). */
export const applicationInputSchema = z.strictObject({
  organisation: z.string().regex(/^[A-Z0-9-]{2,32}$/).meta({ description: 'Responsible Organisation code', examples: ['FRA'] }),
  category: z.string().regex(/^[A-Za-z0-9]{1,8}$/).meta({ description: 'Category code of the reference data', examples: ['AA'] }),
  familyName: personName,
  givenName: z.string().trim().max(100).default(''),
  dateOfBirth: isoDateSchema,
  nationality: nocCodeSchema.meta({ description: 'Country code (IOC 3 letters)', examples: ['FRA'] }),
});
export type ApplicationInput = z.infer<typeof applicationInputSchema>;

/**
 * Body of POST /v1/editions/{edition}/applications, and a row of the bulk path: the person, and optionally their
 * passport number and photo reference, stored encrypted (docs/accreditation.md#personal-data).
 */
export const applicationSubmissionSchema = applicationInputSchema.extend({
  passportNumber: passportNumberSchema.optional(),
  photoReference: photoReferenceSchema.optional(),
});
export type ApplicationSubmission = z.infer<typeof applicationSubmissionSchema>;

export const transitionInputSchema = z.strictObject({
  to: z.enum(['vetting', 'approved', 'rejected']),
  reason: z.string().trim().min(1).max(500),
});
export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const vettingInputSchema = z.strictObject({
  result: z.enum(VETTING_RESULTS),
  note: z.string().trim().max(2000).optional(),
});
export type VettingInput = z.infer<typeof vettingInputSchema>;

/** The staff searches (apps/accreditation/src/applications/search.ts): filters, name prefix, keyset cursor. */
export const applicationQuerySchema = z.strictObject({
  organisation: z.string().regex(/^[A-Z0-9-]{2,32}$/).optional(),
  category: z.string().regex(/^[A-Za-z0-9]{1,8}$/).optional().meta({ description: 'Category code', examples: ['AA'] }),
  state: z.enum(APPLICATION_STATES).optional(),
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Prefix of the family or the given name; case and (Latin) accents ignored', examples: ['dup'] }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,1000}$/, 'cursor must be the nextCursor of a previous page').optional().meta({ description: 'nextCursor of the previous page' }),
});
export type ApplicationQuery = z.infer<typeof applicationQuerySchema>;
