import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { disciplineCodeSchema, editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES } from '../common/access';
import { eventRuleSchema, standardSchema } from '../domain/rules-pack.schema';
import { ScheduleEventsService } from './schedule-events.service';

const eventQuerySchema = z.strictObject({ discipline: disciplineCodeSchema.optional() });

/** An event followed from the schedule, with its entry rule (null when the rules pack has none for it). */
const scheduleEventViewSchema = z.object({
  rsc: z.string(),
  discipline: z.string(),
  name: z.string(),
  gender: z.string(),
  medal: z.boolean(),
  phases: z.unknown().meta({ description: "The event's phases, as the schedule gives them" }),
  rule: z
    .object({
      type: eventRuleSchema.shape.type,
      qualification: eventRuleSchema.shape.qualification,
      maxPerNoc: z.int(),
      fieldSize: z.int().nullable(),
      standard: standardSchema.nullable(),
      deadlines: z
        .record(z.string(), z.object({ local: z.string(), utc: z.string() }))
        .nullable()
        .meta({ description: 'Each deadline in local time and in UTC' }),
    })
    .nullable(),
});

/** The events followed from the schedule, with their entry rules. */
@ApiTags('events')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 409)
@Controller('v1/editions/:edition')
export class ScheduleEventsController {
  constructor(private readonly events: ScheduleEventsService) {}

  @Get('events')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Events known from the schedules service, with their entry rules and deadlines' })
  @ApiZodResponse(z.array(scheduleEventViewSchema))
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(eventQuerySchema) q: z.infer<typeof eventQuerySchema>,
  ): Promise<z.output<typeof scheduleEventViewSchema>[]> {
    return this.events.list(edition, q.discipline);
  }
}
