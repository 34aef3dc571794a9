import { Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';
import { READ_ROLES } from '../common/access';
import { RulesService } from './rules.service';

/** PUT's answer: what the import did. */
const rulesImportReportSchema = z.object({
  status: z.enum(['imported', 'unchanged']).meta({ description: 'imported: written; unchanged: this exact pack is already the current one' }),
  edition: z.string(),
  version: z.int(),
  checksum: z.string(),
  events: z.object({ rules: z.int(), notInSchedule: z.array(z.string()) }),
  quotaPlaces: z.object({ created: z.int(), updated: z.int(), cancelled: z.int(), kept: z.array(z.string()) }),
});

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
  @ApiZodResponse(rulesImportReportSchema)
  import(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(z.unknown(), { description: 'A rules pack (podium.entry-rules/v1)' }) body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof rulesImportReportSchema>> {
    return this.rules.import(edition, body, principal.sub);
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'The current rules pack, with every deadline in UTC and in local time' })
  get(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.rules.describe(edition);
  }
}
