/**
 * Writes of assignments shared by the modules that change them as a consequence (a shift cancelled or moved, a member
 * released): each in the caller's transaction, with its history entry and its assignment.changed event.
 */
import type { OutboxWriter } from '@podium/platform';

import type { Tx } from '../database/prisma.service';
import type { Assignment, Shift } from '../generated/prisma/client';
import { assignmentState } from './assignments.logic';

export interface ChangeContext {
  by: string;
  reason?: string | null;
  /** The history action ('cancel', 'shift-moved'...). */
  action: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Bumps the assignment's version (with `data`), records the history entry and enqueues its event. */
export async function changeAssignment(
  tx: Tx,
  outbox: OutboxWriter,
  row: Assignment,
  shift: Shift,
  data: { status?: string },
  context: ChangeContext,
): Promise<Assignment> {
  const updated = await tx.assignment.update({
    where: { id: row.id },
    data: { ...data, version: { increment: 1 }, updatedAt: new Date() },
  });
  await tx.historyEntry.create({
    data: {
      edition: row.edition,
      entity: 'assignment',
      entityId: row.id,
      action: context.action,
      by: context.by,
      reason: context.reason ?? null,
      details: { shiftId: row.shiftId, memberId: row.memberId, from: row.status, to: updated.status, ...(context.details ?? {}) },
    },
  });
  await outbox.enqueue(tx, 'oms.workforce.v1.assignment.{edition}.changed', assignmentState(updated, shift), { tokens: { edition: row.edition } });
  return updated;
}

/** Cancels every `assigned` assignment among `rows` (each with its shift). */
export async function cancelAssignments(
  tx: Tx,
  outbox: OutboxWriter,
  rows: readonly (Assignment & { shift: Shift })[],
  context: Omit<ChangeContext, 'action'>,
): Promise<number> {
  let cancelled = 0;
  for (const row of rows) {
    if (row.status !== 'assigned') continue;
    await changeAssignment(tx, outbox, row, row.shift, { status: 'cancelled' }, { ...context, action: 'cancel' });
    cancelled += 1;
  }
  return cancelled;
}
