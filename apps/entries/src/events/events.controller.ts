import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { disciplineCodeSchema, editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES } from '../common/access';
import { RulesService } from '../rules/rules.service';
import { EventsService } from './events.service';

const eventQuerySchema = z.strictObject({ discipline: disciplineCodeSchema.optional() });

@ApiTags('events')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 409)
@Controller('v1/editions/:edition')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly rules: RulesService,
  ) {}

  @Get('events')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Events known from the schedules service, with their entry rules and deadlines' })
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(eventQuerySchema) q: z.infer<typeof eventQuerySchema>,
  ) {
    return this.events.list(edition, q.discipline);
  }

  @Get('nocs')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'NOCs taking part in the edition (from its rules pack)' })
  async nocs(@ZodParam('edition', editionCodeSchema) edition: string) {
    return (await this.rules.describe(edition)).pack.nocs;
  }
}
