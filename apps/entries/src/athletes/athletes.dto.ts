import { isoDateSchema, nocCodeSchema } from '@podium/contracts';
import { z } from 'zod';
import { performanceInputSchema } from '../common/schemas';

const name = z.string().trim().min(1).max(100);

export const athleteInputSchema = z.strictObject({
  noc: nocCodeSchema,
  ifId: z.string().trim().min(1).max(64).optional().meta({ description: "The athlete's International Federation id, unique among the athletes of the NOC (409 athlete-exists)" }),
  familyName: name,
  givenName: z.string().trim().max(100).default(''),
  gender: z.enum(['M', 'W']),
  birthDate: isoDateSchema,
  sportClass: z.string().trim().min(1).max(16).optional().meta({ description: 'Para sport class, e.g. T11' }),
  classificationStatus: z.string().trim().min(1).max(32).optional().meta({ description: 'Para classification status' }),
  performances: z.array(performanceInputSchema).max(100).default([]),
});
export type AthleteInput = z.infer<typeof athleteInputSchema>;

export const athletePatchSchema = z
  .strictObject({
    familyName: name.optional(),
    givenName: z.string().trim().max(100).optional(),
    birthDate: isoDateSchema.optional(),
    sportClass: z.string().trim().min(1).max(16).nullable().optional(),
    classificationStatus: z.string().trim().min(1).max(32).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'give at least one field to change');
export type AthletePatch = z.infer<typeof athletePatchSchema>;

export const athleteQuerySchema = z.strictObject({
  noc: nocCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const performancesInputSchema = z.strictObject({ performances: z.array(performanceInputSchema).min(1).max(100) });
