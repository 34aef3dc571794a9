import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodParam } from '@podium/platform';
import { READ_ROLES } from '../common/access';
import { RulesService } from './rules.service';

@ApiTags('rules')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 409)
@Controller('v1/editions/:edition/nocs')
export class NocsController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'NOCs taking part in the edition (from its rules pack)' })
  list(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.rules.nocs(edition);
  }
}
