import { disciplineCodeSchema, isoDateSchema, rscSchema, scheduleStatusSchema } from '@podium/contracts';
import { z } from 'zod';

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query parameters of GET /v1/editions/{edition}/units. Unknown parameters are rejected. */
export const unitQuerySchema = z
  .object({
    date: isoDateSchema.optional().meta({ description: 'Venue-local calendar date of the unit start' }),
    logicalDate: isoDateSchema.optional().meta({ description: 'Competition day (the day ends at 03:00 local)' }),
    venue: z.string().min(1).max(32).optional(),
    discipline: disciplineCodeSchema.optional(),
    event: rscSchema.optional().meta({ description: 'Event RSC (phase and unit all "-")' }),
    session: z.string().min(1).max(32).optional(),
    status: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(scheduleStatusSchema).min(1))
      .optional()
      .meta({ description: 'One status or a comma-separated list', examples: ['RUNNING', 'SCHEDULED,DELAYED'] }),
    medal: booleanQuery.optional().meta({ description: 'Only medal units (true) or only non-medal units (false)' }),
    runningNow: booleanQuery.optional().meta({ description: 'Units running at this moment' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^\d+$/, 'cursor must be the nextCursor of a previous page')
      .optional()
      .meta({ description: 'nextCursor of the previous page' }),
  })
  .strict();

export type UnitQuery = z.infer<typeof unitQuerySchema>;

/** Statuses that mean "live now" whatever the clock says. */
const LIVE_STATUSES: ReadonlySet<string> = new Set(['GETTING_READY', 'RUNNING', 'SCHEDULED_BREAK', 'INTERRUPTED']);
/** Statuses of a unit expected to run in its time slot. */
const PLANNED_STATUSES: ReadonlySet<string> = new Set(['SCHEDULED', 'RESCHEDULED', 'DELAYED']);

/** The columns of a unit row the filters look at (`localDate` and `logicalDate` as stored, in the venue's zone). */
export interface UnitColumns {
  readonly localDate: string | null;
  readonly logicalDate: string | null;
  readonly venue: string | null;
  readonly discipline: string;
  readonly eventRsc: string;
  readonly session: string | null;
  readonly status: string;
  readonly medal: boolean;
  readonly startUtc: Date | null;
  readonly endUtc: Date | null;
}

/** SQL's three-valued logic: null is "unknown" (a comparison with a NULL column). */
type Truth = boolean | null;
const and = (...values: Truth[]): Truth => (values.includes(false) ? false : values.includes(null) ? null : true);
const or = (...values: Truth[]): Truth => (values.includes(true) ? true : values.includes(null) ? null : false);
const compare = (value: Date | null, test: (ms: number) => boolean): Truth => (value === null ? null : test(value.getTime()));

/**
 * Running now: a live status, or a planned unit whose slot contains `now` (start <= now < end). Null (unknown) for a
 * planned unit without a start or an end, as the SQL this filter replaced had it: such a unit is neither running nor
 * not running, and `runningNow` true or false leaves it out.
 */
export function runningAt(unit: Pick<UnitColumns, 'status' | 'startUtc' | 'endUtc'>, now: Date): Truth {
  const at = now.getTime();
  return or(
    LIVE_STATUSES.has(unit.status),
    and(
      PLANNED_STATUSES.has(unit.status),
      compare(unit.startUtc, (start) => start <= at),
      compare(unit.endUtc, (end) => end > at),
    ),
  );
}

/**
 * The filter of a units query as a predicate on a unit's columns: each parameter given must equal its column (a
 * NULL column equals nothing), `status` is one of the listed statuses, `runningNow` is {@link runningAt}.
 */
export function unitFilter(q: UnitQuery, now: Date): (unit: UnitColumns) => boolean {
  const statuses: ReadonlySet<string> | undefined = q.status ? new Set(q.status) : undefined;
  return (u) =>
    (q.date === undefined || u.localDate === q.date) &&
    (q.logicalDate === undefined || u.logicalDate === q.logicalDate) &&
    (q.venue === undefined || u.venue === q.venue) &&
    (q.discipline === undefined || u.discipline === q.discipline) &&
    (q.event === undefined || u.eventRsc === q.event) &&
    (q.session === undefined || u.session === q.session) &&
    (statuses === undefined || statuses.has(u.status)) &&
    (q.medal === undefined || u.medal === q.medal) &&
    (q.runningNow === undefined || runningAt(u, now) === q.runningNow);
}
