/** Assignments (pure): the view, the assignment.changed payload. docs/workforce-api.md#assignments. */
import { ASSIGNMENT_STATUSES, type AssignmentState } from '@podium/contracts';
import { z } from 'zod';

import type { Assignment, Shift } from '../generated/prisma/client';

type Status = (typeof ASSIGNMENT_STATUSES)[number];
const asStatus = (status: string): Status => ((ASSIGNMENT_STATUSES as readonly string[]).includes(status) ? (status as Status) : 'cancelled');

/** The payload of oms.workforce.v1.assignment.{edition}.changed (the contract's assignmentStateSchema, nothing more). */
export function assignmentState(row: Assignment, shift: Shift): AssignmentState {
  return {
    id: row.id,
    edition: row.edition,
    memberId: row.memberId,
    shiftId: row.shiftId,
    venue: shift.venue,
    functionalArea: shift.functionalArea,
    role: shift.role,
    start: shift.startsAt.toISOString(),
    end: shift.endsAt.toISOString(),
    status: asStatus(row.status),
    cardNumber: row.cardNumber,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const assignmentViewSchema = z
  .object({
    id: z.uuid(),
    edition: z.string(),
    shiftId: z.uuid(),
    memberId: z.uuid(),
    status: z.enum(ASSIGNMENT_STATUSES),
    published: z.boolean(),
    source: z.string(),
    planId: z.uuid().nullable(),
    flag: z.unknown().nullable(),
    cardNumber: z.string().nullable(),
    checkedInAt: z.string().nullable(),
    checkedOutAt: z.string().nullable(),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WorkforceAssignment' });
export type AssignmentView = z.infer<typeof assignmentViewSchema>;

export function assignmentView(row: Assignment): AssignmentView {
  return {
    id: row.id,
    edition: row.edition,
    shiftId: row.shiftId,
    memberId: row.memberId,
    status: asStatus(row.status),
    published: row.published,
    source: row.source,
    planId: row.planId,
    flag: row.flag ?? null,
    cardNumber: row.cardNumber,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
