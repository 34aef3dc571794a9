import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, type DryRunQuery, dryRunQuerySchema, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { IMPORT_FILES, ImportsService } from './imports.service';

const csv = (description: string) => z.string().max(5_000_000).optional().meta({ description });

export const importInputSchema = z
  .strictObject({
    athletes: csv('CSV: noc,if_id,family_name,given_name,gender,birth_date[,sport_class,classification_status]'),
    performances: csv('CSV: if_id,event,mark,date[,competition]'),
    entryNumbers: csv('CSV: noc,event,count'),
    entries: csv('CSV: event,if_id[,noc,team,role,slot],eligibility_confirmed (rows with the same event, noc and team form a team)'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one CSV');

/** The per-row report of an import (also the `rows` of its 422 'import-rejected'). */
export const importReportSchema = z.object({
  status: z.enum(['imported', 'valid']).meta({ description: 'imported: written; valid: dry run, every row passed, nothing written' }),
  edition: z.string(),
  counts: z.object(Object.fromEntries(IMPORT_FILES.map((file) => [file, z.int()])) as Record<(typeof IMPORT_FILES)[number], ReturnType<typeof z.int>>),
  rows: z.array(
    z.object({
      file: z.enum(IMPORT_FILES),
      line: z.int(),
      status: z.enum(['created', 'updated', 'unchanged', 'entered', 'error']),
      key: z.string(),
      messages: z.array(z.string()),
    }),
  ),
});

@ApiTags('imports')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 409, 413, 415, 422)
@Controller('v1/editions/:edition/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(200)
  @Roles('oc-admin', 'noc-official')
  @ApiOperation({
    summary: 'Bulk import of athletes, marks, Entries by Number and Entries by Name (CSV texts in a JSON body)',
    description:
      'Every row is checked and reported (rows[]: file, line, status, messages). One rejected row answers 422 ' +
      "'import-rejected' with the per-row report, and nothing is written. Files are applied in the order athletes, " +
      'performances, entryNumbers, entries. dryRun=true checks everything and writes nothing. See docs/entries.md.',
  })
  @ApiZodResponse(importReportSchema)
  import(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @ZodBody(importInputSchema) body: z.infer<typeof importInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<z.output<typeof importReportSchema>> {
    return this.imports.import(edition, body, principal, q.dryRun);
  }
}
