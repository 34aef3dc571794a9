import { isoDateSchema, rscSchema } from '@podium/contracts';
import { z } from 'zod';

export const uuidSchema = z.uuid({ message: 'must be a uuid' });

export const eventCodeSchema = rscSchema;

export const performanceInputSchema = z.strictObject({
  event: rscSchema,
  mark: z.string().trim().min(1).max(16),
  date: isoDateSchema,
  competition: z.string().trim().min(1).max(200).optional(),
});
export type PerformanceInput = z.infer<typeof performanceInputSchema>;
