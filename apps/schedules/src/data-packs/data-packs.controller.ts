import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { ApiProblemResponses, ApiZodResponse, type DryRunQuery, dryRunQuerySchema, ZodBody, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { DataPacksService } from './data-packs.service';

const changeCountsSchema = z.object({ created: z.int(), updated: z.int(), unchanged: z.int() });

/** What an import did (or, with dryRun, would do). */
const importReportSchema = z.object({
  status: z
    .enum(['imported', 'unchanged', 'valid'])
    .meta({ description: 'imported: written; unchanged: this exact pack was imported before; valid: dry run, nothing written' }),
  edition: z.string(),
  checksum: z.string(),
  importId: z.string().nullable(),
  counts: z
    .object({
      sports: z.int(),
      disciplines: z.int(),
      venues: z.int(),
      locations: z.int(),
      events: z.object({ total: z.int(), published: z.int() }),
      phases: z.int(),
      sessions: changeCountsSchema,
      units: changeCountsSchema,
    })
    .nullable(),
});

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
  @ApiZodResponse(importReportSchema)
  import(
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @ZodBody(z.unknown(), { description: 'A data pack (podium.datapack/v1)' }) body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof importReportSchema>> {
    return this.packs.import(body, { dryRun: q.dryRun, by: principal.sub });
  }
}
