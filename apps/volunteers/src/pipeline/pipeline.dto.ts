/** The pipeline API's bodies and queries (validated at the edge; 400 problem+json naming the field otherwise). */
import { utcDateTimeSchema } from '@podium/contracts';
import { z } from 'zod';

import { type Stage, STAGES } from '../applications/application.logic';

const reason = z.string().trim().min(1).max(500).meta({ description: 'Why (kept in the history)' });

/** The offer: a role, its functional area and venue, and until when the applicant may answer. */
export const offerSchema = z.strictObject({
  role: z.string().trim().min(1).max(64).meta({ description: 'The role offered, e.g. "Spectator services"', examples: ['Spectator services'] }),
  area: z
    .string()
    .regex(/^[A-Z0-9]{2,16}$/, 'a functional area code: 2-16 upper-case letters and digits')
    .meta({ description: 'Functional area code', examples: ['SPS'] }),
  venue: z
    .string()
    .regex(/^[A-Z0-9]{2,8}$/, 'a venue code: 2-8 upper-case letters and digits')
    .meta({ description: 'Venue code of the schedule', examples: ['STA'] }),
  deadline: utcDateTimeSchema.meta({ description: 'The applicant answers before this instant, or the offer lapses' }),
});
export type OfferInput = z.infer<typeof offerSchema>;

/** Moves without extra data; a recruiter sending one that is not theirs (accepted...) gets 409 with the allowed ones. */
type PlainTarget = Exclude<Stage, 'offered' | 'interview-booked'>;
const PLAIN_TARGETS = STAGES.filter((s): s is PlainTarget => s !== 'offered' && s !== 'interview-booked') as [PlainTarget, ...PlainTarget[]];

const common = {
  reason: reason.optional(),
  expectedVersion: z.int().min(1).optional().meta({ description: 'Refuse (409 stale-version) unless the application is at this version' }),
};

export const transitionInputSchema = z
  .discriminatedUnion('to', [
    z.strictObject({ to: z.literal('offered'), ...common, ...offerSchema.shape }),
    z.strictObject({ to: z.literal('interview-booked'), ...common, slotId: z.uuid().meta({ description: 'The interview slot' }) }),
    z.strictObject({ to: z.enum(PLAIN_TARGETS), ...common }),
  ])
  .refine((b) => !(b.to === 'rejected' || b.to === 'withdrawn') || b.reason !== undefined, { message: 'a reason is required', path: ['reason'] })
  .meta({ title: 'VolunteerTransition' });
export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const bookingInputSchema = z.strictObject({
  slotId: z.uuid().meta({ description: 'The interview slot to book a place in' }),
  reason: reason.optional(),
});
export type BookingInput = z.infer<typeof bookingInputSchema>;

export const slotInputSchema = z.strictObject({
  startsAt: utcDateTimeSchema.meta({ description: 'When the interview starts (UTC)' }),
  location: z.string().trim().min(1).max(200),
  capacity: z.int().min(1).max(50).default(2).meta({ description: 'Applicants interviewed together (default 2)' }),
});
export type SlotInput = z.infer<typeof slotInputSchema>;

export const slotQuerySchema = z.strictObject({
  from: utcDateTimeSchema.optional().meta({ description: 'Slots starting at or after this instant (default: all)' }),
  available: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only slots with a free place' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type SlotQuery = z.infer<typeof slotQuerySchema>;

/** At most this many applications per bulk action: a larger filter is refused with its count, never cut silently. */
export const BULK_MAX_ROWS = 5_000;

const code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'not a known code');

export const bulkFilterSchema = z
  .strictObject({
    stage: z.enum(STAGES).optional(),
    ids: z.array(z.uuid()).min(1).max(BULK_MAX_ROWS).optional(),
    field: code.optional().meta({ description: 'A preferred field of activity' }),
    language: code.optional(),
    skill: code.optional(),
  })
  .refine((f) => Object.values(f).some((v) => v !== undefined), { message: 'at least one filter (stage, ids, field, language, skill)' });
export type BulkFilter = z.infer<typeof bulkFilterSchema>;

export const BULK_TARGETS = ['screened', 'offered', 'rejected'] as const;

export const bulkInputSchema = z
  .strictObject({
    filter: bulkFilterSchema,
    to: z.enum(BULK_TARGETS).meta({ description: 'screened, offered (with `offer`) or rejected' }),
    reason,
    offer: offerSchema.optional(),
  })
  .refine((b) => (b.to === 'offered') === (b.offer !== undefined), { message: 'an offer exactly when to is offered', path: ['offer'] })
  .meta({ title: 'VolunteerBulkTransition' });
export type BulkInput = z.infer<typeof bulkInputSchema>;

export const exportQuerySchema = z.strictObject({
  stage: z.enum(STAGES).optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
