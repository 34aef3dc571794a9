import { Injectable } from '@nestjs/common';
import { type CachedBody, cachedBody, VersionedBodies } from '../common/http-cache';
import { ResultsState, type ScheduleUnitView } from '../state/results-state';
import type { ScheduleQuery } from './schedule.controller';

/** Distinct queries whose answers are kept (the criteria come from clients: bounded). */
const QUERIES_KEPT = 512;

/**
 * The schedule units with their live status, as GET /v1/schedule serves them: the units and each query's bytes and
 * ETag are built once per revision of the schedule (ResultsState.scheduleRevision), not per request.
 */
@Injectable()
export class ScheduleService {
  private readonly bodies = new VersionedBodies(QUERIES_KEPT);
  private views?: { revision: number; units: ScheduleUnitView[] };

  constructor(private readonly state: ResultsState) {}

  /** `{"units":[…]}` of the units matching every criterion given, by start time, with its ETag. */
  body(q: ScheduleQuery): CachedBody {
    const revision = this.state.scheduleRevision;
    const key = `${q.discipline ?? ''}|${q.logicalDate ?? ''}|${q.status ?? ''}|${q.live ?? ''}`;
    return this.bodies.get(key, revision, () => cachedBody(JSON.stringify({ units: this.units(q) })));
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
