import { Injectable } from '@nestjs/common';
import { ResultsState, type ScheduleUnitView } from '../state/results-state';
import type { ScheduleQuery } from './schedule.controller';

/** The schedule units with their live status, as GET /v1/schedule lists them. */
@Injectable()
export class ScheduleService {
  constructor(private readonly state: ResultsState) {}

  /** The units matching every criterion given, by start time. */
  units(q: ScheduleQuery): ScheduleUnitView[] {
    return this.state
      .scheduleViews()
      .filter(
        (u) =>
          (q.discipline === undefined || u.discipline === q.discipline) &&
          (q.logicalDate === undefined || u.logicalDate === q.logicalDate) &&
          (q.status === undefined || u.status === q.status) &&
          (q.live === undefined || u.live === q.live),
      );
  }
}
