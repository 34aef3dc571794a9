import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { ApiProblemResponses, type DryRunQuery, dryRunQuerySchema, ZodBody, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { DataPacksService } from './data-packs.service';

@ApiTags('reference data')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 409, 413, 415, 422)
@Controller('v1/data-packs')
export class DataPacksController {
  constructor(private readonly packs: DataPacksService) {}

  @Post()
  @HttpCode(200)
  @Roles('schedule-manager')
  @ApiOperation({
    summary: "Import an edition's data pack (format podium.datapack/v1, see docs/data-pack.md)",
    description:
      'Validates every row first: any rejected row answers 422 with every rejected row and why, and nothing is written. ' +
      'Otherwise writes everything in one transaction. Importing the same pack again changes nothing (status unchanged).',
  })
  import(
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @ZodBody(z.unknown(), { description: 'A data pack (podium.datapack/v1)' }) body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.packs.import(body, { dryRun: q.dryRun, by: principal.sub });
  }
}
