/**
 * Schedule change commands (the body of a change request), a zod discriminated union on `kind`.
 * Objects are strict: an unknown field is an error, not silently dropped.
 */
import { z } from 'zod';
import { isoDateSchema, rscSchema } from '@podium/contracts';
import { locationCodeSchema, sessionCodeSchema, venueCodeSchema } from './data-pack.schema';
import { LIVE_STATUSES } from './status';

/** An instant, ISO-8601 with 'Z' or an offset, e.g. '2024-08-04T21:50:00+02:00' (seconds optional). */
export const instantSchema = z.union(
  [z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })],
  { message: "must be an ISO-8601 date-time with 'Z' or an offset, e.g. 2024-08-04T21:50:00+02:00" },
);

const MAX_SHIFT_MINUTES = 14 * 24 * 60;

const hasAny =
  (...fields: string[]) =>
  (value: Record<string, unknown>): boolean =>
    fields.some((f) => value[f] !== undefined);

export const moveUnitSchema = z
  .strictObject({
    kind: z.literal('moveUnit'),
    rsc: rscSchema,
    /** New start. Alone, the unit keeps its duration. */
    start: instantSchema.optional(),
    end: instantSchema.optional(),
    venue: venueCodeSchema.optional(),
    /** null clears the location. */
    location: locationCodeSchema.nullable().optional(),
    /** null detaches the unit from its session. */
    session: sessionCodeSchema.nullable().optional(),
  })
  .refine(hasAny('start', 'end', 'venue', 'location', 'session'), {
    message: 'moveUnit needs at least one of start, end, venue, location, session',
  });

export const moveSessionSchema = z
  .strictObject({
    kind: z.literal('moveSession'),
    code: sessionCodeSchema,
    /** New start: the session's units move by the same offset; alone, the session keeps its duration. */
    start: instantSchema.optional(),
    /** New end; the units do not move for an end-only change. */
    end: instantSchema.optional(),
    /** New venue: the session's units move with it. */
    venue: venueCodeSchema.optional(),
    location: locationCodeSchema.nullable().optional(),
  })
  .refine(hasAny('start', 'end', 'venue', 'location'), {
    message: 'moveSession needs at least one of start, end, venue, location',
  });

export const shiftSessionsSchema = z
  .strictObject({
    kind: z.literal('shiftSessions'),
    /** Session codes. */
    sessions: z.array(sessionCodeSchema).min(1).optional(),
    /** All sessions of this logical (competition) day, in their venue's zone. */
    logicalDate: isoDateSchema.optional(),
    /** Only sessions at this venue. */
    venue: venueCodeSchema.optional(),
    /** Minutes to move by, e.g. -1440 for one day earlier. */
    offsetMinutes: z
      .int()
      .min(-MAX_SHIFT_MINUTES)
      .max(MAX_SHIFT_MINUTES)
      .refine((m) => m !== 0, { message: 'must not be 0' }),
  })
  .refine(hasAny('sessions', 'logicalDate', 'venue'), {
    message: 'shiftSessions needs sessions, logicalDate or venue to select sessions',
  });

export const postponeUnitSchema = z.strictObject({ kind: z.literal('postponeUnit'), rsc: rscSchema });
export const cancelUnitSchema = z.strictObject({ kind: z.literal('cancelUnit'), rsc: rscSchema });
export const restoreUnitSchema = z.strictObject({ kind: z.literal('restoreUnit'), rsc: rscSchema });
export const setUnitStatusSchema = z.strictObject({
  kind: z.literal('setUnitStatus'),
  rsc: rscSchema,
  status: z.enum(LIVE_STATUSES),
});

export const scheduleChangeRequestSchema = z.discriminatedUnion('kind', [
  moveUnitSchema,
  moveSessionSchema,
  shiftSessionsSchema,
  postponeUnitSchema,
  cancelUnitSchema,
  restoreUnitSchema,
  setUnitStatusSchema,
]);

export type ScheduleChangeRequest = z.infer<typeof scheduleChangeRequestSchema>;
export type ScheduleChangeKind = ScheduleChangeRequest['kind'];
export type MoveUnitChange = z.infer<typeof moveUnitSchema>;
export type MoveSessionChange = z.infer<typeof moveSessionSchema>;
export type ShiftSessionsChange = z.infer<typeof shiftSessionsSchema>;
export type SetUnitStatusChange = z.infer<typeof setUnitStatusSchema>;
