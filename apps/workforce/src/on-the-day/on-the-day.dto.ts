import { venueCodeSchema } from '@podium/auth';
import { z } from 'zod';

/** An accreditation card's number as read at a desk (scanned or typed). */
export const cardNumberSchema = z.string().trim().min(1).max(64).meta({ description: "The accreditation card's number (scanned or typed)", example: 'OG2024-000042' });

const atSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO date-time with its offset, e.g. 2024-08-02T05:52:10Z' })
  .optional()
  .meta({ description: 'When the card was read (default: now); at most 5 minutes ahead of the server and 24 hours behind (a desk back online)' });

/** POST /v1/editions/{e}/venues/{venue}/check-ins and /check-outs. */
export const cardReadSchema = z.strictObject({ cardNumber: cardNumberSchema, at: atSchema });
export type CardRead = z.infer<typeof cardReadSchema>;

/** POST /v1/editions/{e}/assignments/{id}/no-show. */
export const noShowInputSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().meta({ description: 'Why (kept in the history)' }),
  expectedVersion: z.int().min(1).optional().meta({ description: "The assignment's version read; another one: 409 stale-version" }),
});
export type NoShowInput = z.infer<typeof noShowInputSchema>;

/** GET /v1/editions/{e}/venues/{venue}/on-shift. */
export const onShiftQuerySchema = z.strictObject({
  at: z.iso.datetime({ offset: true, error: 'must be an ISO date-time with its offset' }).optional().meta({ description: 'The moment to look at (default: now)' }),
});
export type OnShiftQuery = z.infer<typeof onShiftQuerySchema>;

/** GET /v1/editions/{e}/assignments/{id}/replacements. */
export const replacementsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10).meta({ description: 'How many suggestions (1 to 50, default 10)' }),
});
export type ReplacementsQuery = z.infer<typeof replacementsQuerySchema>;

export { venueCodeSchema };
