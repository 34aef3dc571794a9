import { venueCodeSchema } from '@podium/auth';
import { assignmentStateSchema } from '@podium/contracts';
import { z } from 'zod';

import { RULES } from '../rules/rules.types';

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

// ---- Answers (OpenAPI) --------------------------------------------------------------------------------------------

const person = { assignmentId: z.uuid(), memberId: z.uuid(), familyName: z.string(), givenName: z.string() };

/** A check-in's, check-out's or no-show's answer: the assignment's state (the event's payload) and more. */
export const onTheDayAssignmentSchema = assignmentStateSchema
  .extend({
    startLocal: z.string().meta({ description: "The shift's start in the venue's local time, with its offset" }),
    endLocal: z.string(),
    checkedInAt: z.string().nullable(),
    checkedOutAt: z.string().nullable(),
    member: z.object({ id: z.uuid(), familyName: z.string(), givenName: z.string() }),
    late: z.boolean().optional().meta({ description: 'Check-in only: after the start plus WORKFORCE_LATE_GRACE_MINUTES' }),
    minutesLate: z.int().optional().meta({ description: 'Check-in only: whole minutes after the start when late, else 0' }),
  })
  .meta({ id: 'WorkforceOnTheDayAssignment' });

const countsSchema = z.object({
  expected: z.int(),
  checkedIn: z.int(),
  late: z.int(),
  awaited: z.int(),
  checkedOut: z.int(),
  noShows: z.int(),
  missing: z.int().meta({ description: 'The headcount less those checked in, late or awaited' }),
});

/** GET /venues/{venue}/on-shift's answer. */
export const onShiftViewSchema = z
  .object({
    edition: z.string(),
    venue: z.string(),
    timeZone: z.string(),
    at: z.string(),
    atLocal: z.string(),
    graceMinutes: z.int(),
    totals: countsSchema,
    shifts: z.array(
      z.object({
        id: z.uuid(),
        functionalArea: z.string(),
        role: z.string(),
        localDate: z.string(),
        start: z.string(),
        end: z.string(),
        startLocal: z.string(),
        endLocal: z.string(),
        headcount: z.int(),
        flag: z.unknown().nullable(),
        counts: countsSchema,
        checkedIn: z.array(z.object({ ...person, cardNumber: z.string().nullable(), since: z.string(), late: z.boolean(), minutesLate: z.int() })),
        late: z.array(z.object({ ...person, minutesLate: z.int() })),
        awaited: z.array(z.object(person)),
        checkedOut: z.array(z.object({ ...person, cardNumber: z.string().nullable(), since: z.string(), until: z.string() })),
        noShows: z.array(z.object(person)),
      }),
    ),
  })
  .meta({ id: 'WorkforceOnShift' });

/** GET /assignments/{id}/replacements's answer. */
export const replacementsViewSchema = z
  .object({
    assignmentId: z.uuid(),
    shift: z.object({ id: z.uuid(), venue: z.string(), functionalArea: z.string(), role: z.string(), start: z.string(), end: z.string() }),
    items: z.array(
      z.object({
        memberId: z.uuid(),
        type: z.string(),
        familyName: z.string(),
        givenName: z.string(),
        role: z.string(),
        functionalArea: z.string(),
        homeVenue: z.string(),
        score: z.number(),
        hoursThatWeek: z.number(),
        rulesHeld: z.array(z.enum(RULES)).meta({ description: "The hard rules the member's rule set checks: every one held" }),
        why: z.array(z.string()).meta({ description: 'The score spelled out' }),
      }),
    ),
  })
  .meta({ id: 'WorkforceReplacements' });
