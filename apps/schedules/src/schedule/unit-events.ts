import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@podium/platform';
import type { Tx } from '../database/prisma.service';
import type { Schedule, ScheduleUnit } from '../domain/model';
import { unitViewIn } from '../domain/view';

export const UNIT_UPDATED = 'oms.schedules.v1.unit.{discipline}.updated' as const;

/**
 * Writes one `unit.updated` event per affected unit (the unit's full state) into the transactional outbox,
 * in the caller's transaction: the events exist exactly when the change is committed.
 */
@Injectable()
export class UnitEvents {
  constructor(private readonly outbox: OutboxWriter) {}

  async enqueue(tx: Tx, schedule: Schedule, units: readonly ScheduleUnit[]): Promise<void> {
    for (const unit of units) {
      const data = unitViewIn(schedule, unit);
      await this.outbox.enqueue(tx, UNIT_UPDATED, data, { tokens: { discipline: data.discipline } });
    }
  }
}
