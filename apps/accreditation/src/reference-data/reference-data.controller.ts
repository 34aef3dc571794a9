import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { ROLE } from '../app/config';
import { ReferenceDataService } from './reference-data.service';

/** What an import did. */
const importReportSchema = z.object({
  status: z.enum(['imported', 'unchanged']).meta({ description: "imported: written; unchanged: this exact pack is the edition's current one" }),
  edition: z.string(),
  checksum: z.string(),
  counts: z.object({ venues: z.int(), zones: z.int(), categories: z.int(), organisations: z.int(), quotas: z.int() }),
});

@ApiTags('reference data')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404, 422)
@Controller('v1/editions/:edition/reference-data')
export class ReferenceDataController {
  constructor(private readonly referenceData: ReferenceDataService) {}

  @Post()
  @HttpCode(200)
  @Roles(ROLE.ocAdmin)
  @ApiOperation({
    summary: "Import the edition's accreditation reference data (podium.accreditation-pack/v1, docs/accreditation.md)",
    description:
      'Validates everything first: any problem answers 422 with every problem and where, and nothing is written. ' +
      'Otherwise replaces the edition\'s reference data and quotas in one transaction (a quota below the places ' +
      'already taken is a problem). Importing the same pack again changes nothing (status unchanged).',
  })
  @ApiZodResponse(importReportSchema)
  import(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(z.unknown(), { description: 'An accreditation reference data pack' }) body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof importReportSchema>> {
    return this.referenceData.import(edition, body, principal.sub);
  }

  @Get()
  @ApiOperation({ summary: "The edition's reference data (any role)" })
  get(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.referenceData.get(edition);
  }
}
