import { nocCodeSchema } from '@podium/contracts';
import { z } from 'zod';

import { passportNumberSchema, photoReferenceSchema } from '../personal-data/personal-data.logic';

/** GET /v1/editions/{edition}/athletes: entries' athletes of an organisation (an NOC), by name. */
export const athleteQuerySchema = z.strictObject({
  organisation: nocCodeSchema.optional().meta({ description: "The athletes' NOC (an NOC official: its own, whatever is asked)" }),
  applied: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only those with an application; false: only those without' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'cursor must be the nextCursor of a previous page').optional().meta({ description: 'nextCursor of the previous page' }),
});
export type AthleteQuery = z.infer<typeof athleteQuerySchema>;

/**
 * POST /v1/editions/{edition}/athletes/{athleteId}/application: the athlete's application, made from entries' data
 * (names, date of birth, NOC): only what entries does not know is sent.
 */
export const athleteApplicationSchema = z.strictObject({
  category: z.string().regex(/^[A-Za-z0-9]{1,8}$/).meta({ description: 'Category code of the reference data', examples: ['AA'] }),
  passportNumber: passportNumberSchema.optional(),
  photoReference: photoReferenceSchema.optional(),
});
export type AthleteApplicationInput = z.infer<typeof athleteApplicationSchema>;
