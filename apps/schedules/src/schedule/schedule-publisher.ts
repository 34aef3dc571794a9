import { Injectable } from '@nestjs/common';
import { type ScheduleEventState, scheduleEventUpdated, scheduleUnitUpdated } from '@podium/contracts';
import { OutboxWriter } from '@podium/platform';
import type { Tx } from '../database/prisma.service';
import type { Schedule, ScheduleUnit } from '../domain/model';
import { unitViewIn } from '../domain/view';

export const UNIT_UPDATED = scheduleUnitUpdated.subject;
export const EVENT_UPDATED = scheduleEventUpdated.subject;

/**
 * Publishes the schedules service's messages (oms.schedules.v1.*) through the transactional outbox, in the caller's
 * transaction: a message exists exactly when the change is committed. One `unit.updated` per affected unit (its full
 * state) and one `event.updated` per created or changed event.
 */
@Injectable()
export class SchedulePublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  async enqueue(tx: Tx, schedule: Schedule, units: readonly ScheduleUnit[]): Promise<void> {
    for (const unit of units) {
      const data = unitViewIn(schedule, unit);
      await this.outbox.enqueue(tx, UNIT_UPDATED, data, { tokens: { discipline: data.discipline } });
    }
  }

  async enqueueEvents(tx: Tx, events: readonly ScheduleEventState[]): Promise<void> {
    for (const event of events) {
      await this.outbox.enqueue(tx, EVENT_UPDATED, event, { tokens: { discipline: event.discipline } });
    }
  }
}
