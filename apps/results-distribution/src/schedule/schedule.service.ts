import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type HotAnswer, HotReads } from '@podium/platform';
import { SCHEDULE_STATUSES } from '@podium/odf';
import { z } from 'zod';
import { cachedBody, SCHEDULE_CACHE, VersionedCache } from '../common/http-cache';
import { ResultsState, type ScheduleUnitView } from '../state/results-state';

export const scheduleQuerySchema = z.strictObject({
  discipline: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter discipline code').optional(),
  logicalDate: z.iso.date().optional().meta({ description: 'Competition day, YYYY-MM-DD' }),
  status: z.enum(SCHEDULE_STATUSES).optional(),
  live: z.stringbool().optional().meta({ description: 'true: only units running now' }),
});
export type ScheduleQuery = z.infer<typeof scheduleQuerySchema>;

/** Distinct queries whose answers are kept (the criteria come from clients: bounded). */
const QUERIES_KEPT = 512;

/**
 * The schedule units with their live status, as GET /v1/schedule serves them: the units and each query's bytes and
 * ETag are built once per revision of the schedule (ResultsState.scheduleRevision), not per request, and a valid query
 * is answered from memory before Nest's pipeline (HotReads); an invalid one goes on to the controller (400).
 */
@Injectable()
export class ScheduleService implements OnModuleInit {
  private readonly answers = new VersionedCache<HotAnswer>(QUERIES_KEPT);
  private views?: { revision: number; units: ScheduleUnitView[] };

  constructor(
    private readonly state: ResultsState,
    private readonly hotReads: HotReads,
  ) {}

  onModuleInit(): void {
    this.hotReads.serve('/v1/schedule', (request) => {
      const query = scheduleQuerySchema.safeParse(request.query);
      return query.success ? this.answer(query.data) : undefined;
    });
  }

  /** `{"units":[…]}` of the units matching every criterion given, by start time, with its ETag. */
  answer(q: ScheduleQuery): HotAnswer {
    const key = `${q.discipline ?? ''}|${q.logicalDate ?? ''}|${q.status ?? ''}|${q.live ?? ''}`;
    return this.answers.get(key, this.state.scheduleRevision, () => ({
      ...cachedBody(JSON.stringify({ units: this.units(q) })),
      cacheControl: SCHEDULE_CACHE,
    }));
  }

  /** The units matching every criterion given, by start time. */
  private units(q: ScheduleQuery): ScheduleUnitView[] {
    return this.allUnits().filter(
      (u) =>
        (q.discipline === undefined || u.discipline === q.discipline) &&
        (q.logicalDate === undefined || u.logicalDate === q.logicalDate) &&
        (q.status === undefined || u.status === q.status) &&
        (q.live === undefined || u.live === q.live),
    );
  }

  private allUnits(): ScheduleUnitView[] {
    const revision = this.state.scheduleRevision;
    if (this.views?.revision !== revision) this.views = { revision, units: this.state.scheduleViews() };
    return this.views.units;
  }
}
