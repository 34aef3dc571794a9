import { Injectable } from '@nestjs/common';
import { publicEntryState, type QuotaPlaceState } from '@podium/contracts';
import { OutboxWriter } from '@podium/platform';
import type { Tx } from '../database/prisma.service';
import { loadAthleteState, loadEntryState } from './views';

export const ENTRY_CHANGED = 'oms.entries.v1.entry.{discipline}.changed' as const;
export const ATHLETE_CHANGED = 'oms.entries.v1.athlete.{noc}.changed' as const;
export const QUOTA_CHANGED = 'oms.entries.v1.quota.{discipline}.changed' as const;

/**
 * Publishes the entries service's own messages (oms.entries.v1.*) through the transactional outbox, in the caller's
 * transaction: a message exists exactly when its change is committed. Each carries the whole state (entry, athlete or
 * quota place).
 */
@Injectable()
export class EntriesPublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  /**
   * Publishes the entry's current state, as anyone may see it (results-distribution serves it publicly): its change
   * carries the kind and a Late Athlete Replacement's reason code, never who made it or a free-text reason.
   */
  async entry(tx: Tx, entryId: string): Promise<void> {
    const state = await loadEntryState(tx, entryId);
    if (!state) throw new Error(`entry ${entryId} vanished inside its transaction`);
    await this.outbox.enqueue(tx, ENTRY_CHANGED, publicEntryState(state), { tokens: { discipline: state.discipline } });
  }

  /** Bumps each athlete's version (their entries changed) and publishes their state. */
  async athletes(tx: Tx, athleteIds: Iterable<string>, bump = true): Promise<void> {
    for (const id of new Set(athleteIds)) {
      if (bump) await tx.athlete.update({ where: { id }, data: { version: { increment: 1 } } });
      const state = await loadAthleteState(tx, id);
      if (!state) throw new Error(`athlete ${id} vanished inside its transaction`);
      await this.outbox.enqueue(tx, ATHLETE_CHANGED, state, { tokens: { noc: state.noc } });
    }
  }

  async place(tx: Tx, state: QuotaPlaceState): Promise<void> {
    await this.outbox.enqueue(tx, QUOTA_CHANGED, state, { tokens: { discipline: state.discipline } });
  }
}
