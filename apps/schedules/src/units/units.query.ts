import { disciplineCodeSchema, isoDateSchema, rscSchema, scheduleStatusSchema } from '@podium/contracts';
import { z } from 'zod';
import type { Prisma } from '../database/prisma.service';

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
const LIVE_STATUSES = ['GETTING_READY', 'RUNNING', 'SCHEDULED_BREAK', 'INTERRUPTED'] as const;
/** Statuses of a unit expected to run in its time slot. */
const PLANNED_STATUSES = ['SCHEDULED', 'RESCHEDULED', 'DELAYED'] as const;

export function unitWhere(edition: string, q: UnitQuery, now: Date): Prisma.UnitWhereInput {
  const and: Prisma.UnitWhereInput[] = [{ edition }];
  if (q.date) and.push({ localDate: q.date });
  if (q.logicalDate) and.push({ logicalDate: q.logicalDate });
  if (q.venue) and.push({ venue: q.venue });
  if (q.discipline) and.push({ discipline: q.discipline });
  if (q.event) and.push({ eventRsc: q.event });
  if (q.session) and.push({ session: q.session });
  if (q.status) and.push({ status: { in: q.status } });
  if (q.medal !== undefined) and.push({ medal: q.medal });
  if (q.runningNow !== undefined) {
    const running: Prisma.UnitWhereInput = {
      OR: [
        { status: { in: [...LIVE_STATUSES] } },
        { status: { in: [...PLANNED_STATUSES] }, startUtc: { lte: now }, endUtc: { gt: now } },
      ],
    };
    and.push(q.runningNow ? running : { NOT: running });
  }
  return { AND: and };
}
