import { Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES } from '../common/access';
import { RulesService } from './rules.service';

@ApiTags('rules')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 409, 422)
@Controller('v1/editions/:edition/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Put()
  @HttpCode(200)
  @Roles('oc-admin')
  @ApiOperation({
    summary: "Import the edition's entry rules pack (format podium.entry-rules/v1, see docs/entries.md)",
    description:
      'Validates the whole pack first: any error answers 422 with every error and nothing is written. Importing the ' +
      'same pack again changes nothing. Creates the quota places of the pack; places in use are never changed.',
  })
  import(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(z.unknown(), { description: 'A rules pack (podium.entry-rules/v1)' }) body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.rules.import(edition, body, principal.sub);
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'The current rules pack, with every deadline in UTC and in local time' })
  get(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.rules.describe(edition);
  }
}
