import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { disciplineCodeSchema, editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES } from '../common/access';
import { ScheduleEventsService } from './schedule-events.service';

const eventQuerySchema = z.strictObject({ discipline: disciplineCodeSchema.optional() });

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
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(eventQuerySchema) q: z.infer<typeof eventQuerySchema>,
  ) {
    return this.events.list(edition, q.discipline);
  }
}
