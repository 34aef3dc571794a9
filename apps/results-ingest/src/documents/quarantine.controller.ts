import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { ApiProblemResponses, ApiZodResponse, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { READER_ROLES } from '../app/config';
import { DocumentsService } from './documents.service';

const quarantineQuerySchema = z.strictObject({
  discipline: z.string().regex(/^[A-Z]{3}$/).optional(),
  feedFlag: z.enum(['P', 'T']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const quarantineItemSchema = z
  .object({
    documentKey: z.string(),
    documentCode: z.string(),
    documentType: z.string(),
    discipline: z.string().nullable(),
    feedFlag: z.string(),
    version: z.int(),
    resultStatus: z.string().nullable(),
    receivedAt: z.string(),
  })
  .meta({ id: 'QuarantinedDocument' });

/**
 * Documents whose RSC the schedule does not know: accepted and published (flagged `quarantined`), listed here until the
 * schedule learns the unit (oms.schedules.v1.unit.*.updated), which releases them.
 */
@ApiTags('quarantine')
@ApiBearerAuth()
@Roles(...READER_ROLES)
@ApiProblemResponses(400, 401, 403)
@Controller('v1/quarantine')
export class QuarantineController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @ApiOperation({ summary: 'Quarantined documents (RSC unknown to the schedule), latest first' })
  @ApiZodResponse(z.object({ items: z.array(quarantineItemSchema), total: z.int() }))
  list(@ZodQuery(quarantineQuerySchema) q: z.infer<typeof quarantineQuerySchema>) {
    return this.documents.quarantined(q);
  }
}
