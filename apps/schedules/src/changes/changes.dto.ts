import { z } from 'zod';
import { scheduleChangeRequestSchema } from '../domain/changes';

/** Body of POST /v1/editions/{edition}/changes. */
export const changeRequestBodySchema = z
  .strictObject({
    change: scheduleChangeRequestSchema,
    reason: z.string().trim().min(1).max(500).optional().meta({ description: 'Why (kept in the history)' }),
    expectedVersions: z
      .strictObject({
        units: z.record(z.string(), z.int().min(1)).optional(),
        sessions: z.record(z.string(), z.int().min(1)).optional(),
      })
      .optional()
      .meta({
        description:
          'Version of every unit and session the change affects, as the dry run returned them. Required to apply: ' +
          'a unit or session changed since answers 409 stale-version.',
      }),
    allowConflicts: z
      .boolean()
      .default(false)
      .meta({ description: 'Apply even when the change creates conflicts (they are recorded in the history)' }),
  })
  .meta({ title: 'ScheduleChangeBody' });

export type ChangeRequestBody = z.infer<typeof changeRequestBodySchema>;

export const historyQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only changes applied before this instant' }),
});
