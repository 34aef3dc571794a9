import { z } from 'zod';

import { HANDOVER_SOURCES, HANDOVER_STATUSES } from './handovers.logic';

/** GET /v1/editions/{edition}/handovers: the volunteers and workforce members handed over, and their applications. */
export const handoverQuerySchema = z.strictObject({
  source: z.enum(HANDOVER_SOURCES).optional().meta({ description: 'volunteers or workforce' }),
  status: z.enum(HANDOVER_STATUSES).optional().meta({ description: 'pending, refused, applied, withdrawn or erased' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.uuid({ error: 'cursor must be the nextCursor of a previous page' }).optional().meta({ description: 'nextCursor of the previous page' }),
});
export type HandoverQuery = z.infer<typeof handoverQuerySchema>;
