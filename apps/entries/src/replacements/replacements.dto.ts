import { LATE_REPLACEMENT_REASONS } from '@podium/contracts';
import { z } from 'zod';
import { uuidSchema } from '../common/schemas';

/** The reason codes of a Late Athlete Replacement (the contracts' list: the code is what the entry's change publishes). */
export const LAR_REASONS = LATE_REPLACEMENT_REASONS;

export const replacementInputSchema = z.strictObject({
  outAthleteId: uuidSchema.meta({ description: 'The athlete leaving the entry' }),
  inAthleteId: uuidSchema.meta({ description: 'The athlete taking their place (same NOC)' }),
  reason: z.enum(LAR_REASONS).meta({ description: 'Reason code of the Late Athlete Replacement' }),
  note: z.string().trim().min(1).max(1000).optional(),
  eligibilityConfirmed: z.boolean().default(false).meta({ description: 'The NOC confirms the new athlete is eligible' }),
});
export type ReplacementInput = z.infer<typeof replacementInputSchema>;

export const decisionInputSchema = z.strictObject({ note: z.string().trim().min(1).max(1000).optional() }).default({});

export const replacementQuerySchema = z.strictObject({ status: z.enum(['PENDING', 'APPROVED', 'REJECTED']).optional() });
