import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type EnvelopeOf, type ScheduleEventState, scheduleEventUpdated } from '@podium/contracts';
import { CONFIG, NatsConsumerRunner } from '@podium/platform';
import { z } from 'zod';
import type { EntriesConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { deadlinesFor, ruleFor } from '../domain/rules-pack';
import { RulesService } from '../rules/rules.service';

export const EVENT_UPDATED = scheduleEventUpdated.subject;
export const SCHEDULE_EVENTS_DURABLE = 'entries-schedule-events';

const editionsSchema = z.array(z.looseObject({ code: z.string().regex(/^[A-Za-z0-9_-]+$/) }));
const eventsSchema = z.array(
  z.looseObject({
    rsc: z.string(),
    discipline: z.string(),
    name: z.string(),
    gender: z.string(),
    medal: z.boolean(),
    phases: z.array(z.looseObject({ rsc: z.string(), name: z.string(), order: z.number() })),
  }),
);

/**
 * The events of each edition, as the schedules service publishes them: a durable consumer of
 * oms.schedules.v1.event.*.updated (from the start of the SCHEDULES stream) keeps the `event` table, and, when
 * SCHEDULES_URL is set, the schedules API fills it at boot. Events are never typed in here.
 */
@Injectable()
export class EventsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ScheduleEvents');

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    private readonly rules: RulesService,
    @Inject(CONFIG) private readonly config: EntriesConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SCHEDULES_URL) await this.bootstrapFromSchedules(this.config.SCHEDULES_URL);
    this.consumers.consume({ key: EVENT_UPDATED, durable: SCHEDULE_EVENTS_DURABLE, deliverPolicy: 'all' }, (envelope) =>
      this.onEventUpdated(envelope),
    );
  }

  async onEventUpdated(envelope: EnvelopeOf<typeof EVENT_UPDATED>): Promise<void> {
    await this.remember(envelope.data, new Date(envelope.data.updatedAt));
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

  private async bootstrapFromSchedules(baseUrl: string): Promise<void> {
    const base = baseUrl.replace(/\/+$/, '');
    try {
      const editions = editionsSchema.parse(await getJson(`${base}/v1/editions`));
      let count = 0;
      for (const edition of editions) {
        const events = eventsSchema.parse(await getJson(`${base}/v1/editions/${edition.code}/events`));
        for (const e of events) {
          // Only fills gaps: the epoch time stamp never wins over a state received from the stream.
          await this.remember({ ...e, edition: edition.code, gender: e.gender as ScheduleEventState['gender'] }, new Date(0));
          count++;
        }
      }
      this.logger.log(`Events bootstrapped from ${base}: ${count} event(s) in ${editions.length} edition(s)`);
    } catch (error) {
      // Not fatal: the SCHEDULES stream (consumed from its start) brings the same events.
      this.logger.warn(`Could not bootstrap events from ${base}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json() as Promise<unknown>;
}
