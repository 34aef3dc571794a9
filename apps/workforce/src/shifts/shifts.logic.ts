/**
 * Shifts (pure): the input schemas, the view in UTC and in the venue's local time, the local times' resolution, and the
 * rules' facts of a shift (shiftFacts). docs/workforce-api.md#shifts.
 */
import { ProblemException } from '@podium/platform';
import { z } from 'zod';

import { functionalAreaSchema, localDateSchema, tagsSchema, venueCodeSchema } from '../common/codes';
import { formatLocal, resolveLocal } from '../common/local-time';
import type { Shift } from '../generated/prisma/client';
import type { ShiftFacts } from '../rules/rules.types';

export const SHIFT_STATUSES = ['draft', 'published', 'cancelled'] as const;
const LOCAL = z.string().meta({ description: "The venue's local date-time without offset, e.g. 2024-08-02T06:00" });
/** A shift may last at most a day (the rule set's maxShiftHours decides what a member may work). */
export const MAX_SHIFT_MS = 24 * 3_600_000;

export const shiftInputSchema = z.strictObject({
  venue: venueCodeSchema,
  functionalArea: functionalAreaSchema,
  role: z.string().trim().min(1).max(64),
  start: LOCAL,
  end: LOCAL,
  headcount: z.int().min(1).max(10_000),
  requiredSkills: tagsSchema().default([]),
  requiredLanguages: tagsSchema().default([]),
  session: z.string().trim().min(1).max(64).optional().meta({ description: "The schedule's session (unit code) this shift serves" }),
});
export type ShiftInput = z.infer<typeof shiftInputSchema>;

export const shiftPatchSchema = z
  .strictObject({
    version: z.int().min(1),
    start: LOCAL.optional(),
    end: LOCAL.optional(),
    headcount: z.int().min(1).max(10_000).optional(),
    role: z.string().trim().min(1).max(64).optional(),
    requiredSkills: tagsSchema().optional(),
    requiredLanguages: tagsSchema().optional(),
  })
  .refine((p) => Object.keys(p).length > 1, { message: 'nothing to change', path: [] });
export type ShiftPatch = z.infer<typeof shiftPatchSchema>;

export const BULK_MAX_SHIFTS = 1_000;
export const shiftBulkSchema = z.strictObject({ shifts: z.array(z.unknown()).min(1).max(BULK_MAX_SHIFTS) });

export const shiftListQuerySchema = z.strictObject({
  localDate: localDateSchema.optional(),
  venue: venueCodeSchema.optional(),
  status: z.enum(SHIFT_STATUSES).optional(),
  functionalArea: functionalAreaSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(2000).optional(),
});
export type ShiftListQuery = z.infer<typeof shiftListQuerySchema>;

export const publishSchema = z.strictObject({ localDate: localDateSchema, venue: venueCodeSchema.optional() });

export const shiftViewSchema = z
  .object({
    id: z.uuid(),
    edition: z.string(),
    venue: z.string(),
    timeZone: z.string(),
    functionalArea: z.string(),
    role: z.string(),
    start: z.string().meta({ description: 'UTC' }),
    end: z.string().meta({ description: 'UTC' }),
    startLocal: z.string().meta({ description: "The venue's local time with its offset" }),
    endLocal: z.string(),
    localDate: z.string(),
    headcount: z.int(),
    filled: z.int().meta({ description: 'Assignments holding a place (assigned, checked in or out)' }),
    requiredSkills: z.array(z.string()),
    requiredLanguages: z.array(z.string()),
    session: z.string().nullable(),
    status: z.enum(SHIFT_STATUSES),
    flag: z.unknown().nullable(),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WorkforceShift' });
export type ShiftView = z.infer<typeof shiftViewSchema>;

const asStatus = (status: string): (typeof SHIFT_STATUSES)[number] =>
  (SHIFT_STATUSES as readonly string[]).includes(status) ? (status as (typeof SHIFT_STATUSES)[number]) : 'draft';

export function shiftView(row: Shift, timeZone: string, filled: number): ShiftView {
  return {
    id: row.id,
    edition: row.edition,
    venue: row.venue,
    timeZone,
    functionalArea: row.functionalArea,
    role: row.role,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    startLocal: formatLocal(row.startsAt.getTime(), timeZone),
    endLocal: formatLocal(row.endsAt.getTime(), timeZone),
    localDate: row.localDate,
    headcount: row.headcount,
    filled,
    requiredSkills: row.requiredSkills,
    requiredLanguages: row.requiredLanguages,
    session: row.session,
    status: asStatus(row.status),
    flag: row.flag ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the rules need to know of a shift. */
export function shiftFacts(row: Shift): ShiftFacts {
  return {
    id: row.id,
    venue: row.venue,
    functionalArea: row.functionalArea,
    start: row.startsAt.getTime(),
    end: row.endsAt.getTime(),
    localDate: row.localDate,
    requiredSkills: row.requiredSkills,
    requiredLanguages: row.requiredLanguages,
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The UTC span of a shift given in the venue's local time: each time must exist once in the zone (a DST gap or
 * overlap is refused naming the field), the end after the start, at most a day later.
 */
export function resolveSpan(
  start: string,
  end: string,
  timeZone: string,
  prefix = 'body.',
): { ok: true; startsAt: Date; endsAt: Date } | { ok: false; errors: FieldProblem[] } {
  const s = resolveLocal(start, timeZone);
  const e = resolveLocal(end, timeZone);
  const errors: FieldProblem[] = [];
  if (!s.ok) errors.push({ field: `${prefix}start`, message: s.message });
  if (!e.ok) errors.push({ field: `${prefix}end`, message: e.message });
  if (!s.ok || !e.ok) return { ok: false, errors };
  if (e.instant <= s.instant) return { ok: false, errors: [{ field: `${prefix}end`, message: 'must be after start' }] };
  if (e.instant - s.instant > MAX_SHIFT_MS) return { ok: false, errors: [{ field: `${prefix}end`, message: 'a shift lasts at most 24 hours' }] };
  return { ok: true, startsAt: new Date(s.instant), endsAt: new Date(e.instant) };
}

/** `instant` as a local date-time without offset in `zone` (what PATCH keeps when only the other end changes). */
export function localWithoutOffset(instant: Date, timeZone: string): string {
  return formatLocal(instant.getTime(), timeZone).slice(0, 19);
}

export const shiftFull = (id: string, headcount: number): ProblemException =>
  new ProblemException({ status: 409, slug: 'shift-full', title: 'Shift full', detail: `Shift ${id} already has its ${headcount} place(s) filled`, extensions: { headcount } });

export const shiftCancelled = (id: string): ProblemException =>
  new ProblemException({ status: 409, slug: 'shift-cancelled', title: 'Shift cancelled', detail: `Shift ${id} is cancelled` });
