import { Injectable, Logger } from '@nestjs/common';
import { type ScheduleEventState, type ScheduleUnitState, scheduleEventUpdated, scheduleUnitUpdated } from '@podium/contracts';
import { type ConsumerDefinition, NatsConsumerRunner } from '@podium/platform';
import { type FetchLike, SchedulesClient } from './schedules-client';

/** An event of the schedule; `updatedAt` is null when it was read from the API at boot (the API has no time stamp). */
export type FollowedEvent = Omit<ScheduleEventState, 'updatedAt'> & { updatedAt: string | null };

/** The durable consumer of `oms.schedules.v1.event.*.updated` a follower of events uses (declare it in NatsModule). */
export function scheduleEventsConsumer(durable: string): ConsumerDefinition<typeof scheduleEventUpdated.subject> {
  return { key: scheduleEventUpdated.subject, durable, deliverPolicy: 'all' };
}

/** The durable consumer of `oms.schedules.v1.unit.*.updated` a follower of units uses (declare it in NatsModule). */
export function scheduleUnitsConsumer(durable: string): ConsumerDefinition<typeof scheduleUnitUpdated.subject> {
  return { key: scheduleUnitUpdated.subject, durable, deliverPolicy: 'all' };
}

interface FollowOptions {
  /** Base URL of the schedules service; without it the follower relies on the stream alone. */
  schedulesUrl?: string;
  /** Durable consumer name, e.g. 'entries-schedule-events'. */
  durable: string;
  /** Tests pass a fake. */
  fetch?: FetchLike;
}

export interface FollowEventsOptions extends FollowOptions {
  /** Called once per event, from the API at boot and then from the stream; must be idempotent. */
  onEvent(event: FollowedEvent): Promise<void>;
}

export interface FollowUnitsOptions extends FollowOptions {
  /** Called once per unit, from the snapshots at boot and then from the stream; must be idempotent. */
  onUnit(unit: ScheduleUnitState): Promise<void>;
}

/**
 * Follows the schedule published by the schedules service: at boot, when a schedules URL is given, reads every
 * edition's state from its read API (events, or the snapshot's units), then consumes the SCHEDULES stream with a
 * durable consumer from its start, so nothing is missed while the service was down. The boot read is a head start,
 * never required: when schedules is unreachable the stream brings the same states (logged as a warning).
 * Handlers must be idempotent and keep the newest state (by `version` or `updatedAt`): both sources may deliver it.
 */
@Injectable()
export class ScheduleFollower {
  private readonly logger = new Logger('ScheduleFollower');

  constructor(private readonly consumers: NatsConsumerRunner) {}

  async followEvents(options: FollowEventsOptions): Promise<void> {
    await this.fromApi(options, 'event', async (client, edition) => {
      const events = await client.events(edition);
      for (const event of events) await options.onEvent({ ...event, edition, updatedAt: null });
      return events.length;
    });
    this.consumers.consume(scheduleEventsConsumer(options.durable), (envelope) => options.onEvent(envelope.data));
  }

  async followUnits(options: FollowUnitsOptions): Promise<void> {
    await this.fromApi(options, 'unit', async (client, edition) => {
      const { units } = await client.snapshot(edition);
      for (const unit of units) await options.onUnit(unit);
      return units.length;
    });
    this.consumers.consume(scheduleUnitsConsumer(options.durable), (envelope) => options.onUnit(envelope.data));
  }

  private async fromApi(
    options: FollowOptions,
    what: string,
    readEdition: (client: SchedulesClient, edition: string) => Promise<number>,
  ): Promise<void> {
    if (!options.schedulesUrl) return;
    const client = new SchedulesClient(options.schedulesUrl, { fetch: options.fetch });
    try {
      const editions = await client.editions();
      let count = 0;
      for (const edition of editions) count += await readEdition(client, edition.code);
      this.logger.log(`Read ${count} ${what}(s) of ${editions.length} edition(s) from ${options.schedulesUrl}`);
    } catch (error) {
      // Not fatal: the SCHEDULES stream, consumed from its start, brings the same states.
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Could not read the schedule from ${options.schedulesUrl} (the stream will bring it): ${reason}`);
    }
  }
}
