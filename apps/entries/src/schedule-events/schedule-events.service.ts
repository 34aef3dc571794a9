import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { ScheduleEventState } from '@podium/contracts';
import { CONFIG } from '@podium/platform';
import { ScheduleFollower } from '@podium/schedule-follower';
import type { EntriesConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { deadlinesFor, ruleFor } from '../domain/rules-pack';
import { RulesService } from '../rules/rules.service';

export const SCHEDULE_EVENTS_DURABLE = 'entries-schedule-events';

/**
 * The events of each edition, as the schedules service publishes them, kept in the `event` table by the schedule
 * follower (the schedules API at boot when SCHEDULES_URL is set, then oms.schedules.v1.event.*.updated from the start
 * of the SCHEDULES stream). Events are never typed in here.
 */
@Injectable()
export class ScheduleEventsService implements OnApplicationBootstrap {
  constructor(
    private readonly prisma: PrismaService,
    private readonly follower: ScheduleFollower,
    private readonly rules: RulesService,
    @Inject(CONFIG) private readonly config: EntriesConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.follower.followEvents({
      schedulesUrl: this.config.SCHEDULES_URL,
      durable: SCHEDULE_EVENTS_DURABLE,
      // Read from the API (no time stamp), an event only fills a gap: the epoch never wins over a state from the stream.
      onEvent: (event) => this.remember(event, new Date(event.updatedAt ?? 0)),
    });
  }

  /** Upserts an event; an older state (by the schedules' updatedAt) never overwrites a newer one. */
  async remember(event: Omit<ScheduleEventState, 'updatedAt'>, updatedAt: Date): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO event (edition, rsc, discipline, name, gender, medal, phases, source_updated_at, received_at)
      VALUES (${event.edition}, ${event.rsc}, ${event.discipline}, ${event.name}, ${event.gender}, ${event.medal},
        ${JSON.stringify(event.phases)}::jsonb, ${updatedAt}, now())
      ON CONFLICT (edition, rsc) DO UPDATE SET discipline = EXCLUDED.discipline, name = EXCLUDED.name,
        gender = EXCLUDED.gender, medal = EXCLUDED.medal, phases = EXCLUDED.phases,
        source_updated_at = EXCLUDED.source_updated_at, received_at = now()
      WHERE event.source_updated_at <= EXCLUDED.source_updated_at`;
  }

  /** The events of an edition with a summary of their entry rules and deadlines. */
  async list(edition: string, discipline?: string) {
    const [events, loaded] = await Promise.all([
      this.prisma.event.findMany({ where: { edition, discipline }, orderBy: { rsc: 'asc' } }),
      this.rules.load(this.prisma, edition),
    ]);
    return events.map((e) => {
      const rule = loaded ? ruleFor(loaded.pack, e.rsc) : undefined;
      const deadlines = loaded && rule ? deadlinesFor(loaded.pack, rule) : undefined;
      return {
        rsc: e.rsc,
        discipline: e.discipline,
        name: e.name,
        gender: e.gender,
        medal: e.medal,
        phases: e.phases,
        rule: rule
          ? {
              type: rule.type,
              qualification: rule.qualification,
              maxPerNoc: rule.maxPerNoc,
              fieldSize: rule.fieldSize ?? null,
              standard: rule.standard ?? null,
              deadlines: deadlines
                ? Object.fromEntries(Object.entries(deadlines).map(([k, d]) => [k, { local: d.localIso, utc: d.utc.toISOString() }]))
                : null,
            }
          : null,
      };
    });
  }
}
