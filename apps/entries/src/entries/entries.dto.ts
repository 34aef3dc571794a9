import { nocCodeSchema, rscSchema } from '@podium/contracts';
import { z } from 'zod';
import { uuidSchema } from '../common/schemas';

export const memberInputSchema = z.strictObject({
  athleteId: uuidSchema,
  role: z.enum(['STARTER', 'ALTERNATE']).default('STARTER'),
  slot: z.string().trim().min(1).max(32).optional().meta({ description: "Team slot of the rules pack, e.g. 'men', 'W-57'" }),
});

/** Entry by Name: `athleteId` for an individual event, `noc` + `members` for a team event. */
export const entryInputSchema = z
  .strictObject({
    event: rscSchema.meta({ description: 'RSC of the event (phase and unit all "-")' }),
    athleteId: uuidSchema.optional(),
    noc: nocCodeSchema.optional().meta({ description: "The team's NOC (team events)" }),
    members: z.array(memberInputSchema).min(1).max(60).optional(),
    eligibilityConfirmed: z
      .boolean()
      .default(false)
      .meta({ description: 'The NOC confirms every athlete is eligible (Olympic Charter); required to enter' }),
  })
  .superRefine((e, ctx) => {
    if ((e.athleteId === undefined) === (e.members === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['athleteId'], message: 'give athleteId (individual event) or members (team event), not both' });
    }
    if (e.members !== undefined && e.noc === undefined) {
      ctx.addIssue({ code: 'custom', path: ['noc'], message: "a team entry needs the team's NOC" });
    }
  });
export type EntryInput = z.infer<typeof entryInputSchema>;

export const entryQuerySchema = z.strictObject({
  event: rscSchema.optional(),
  noc: nocCodeSchema.optional(),
  status: z.enum(['ENTERED', 'WITHDRAWN']).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});
export type EntryQuery = z.infer<typeof entryQuerySchema>;

export const withdrawInputSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).default({});

export const entryNumberInputSchema = z.strictObject({
  noc: nocCodeSchema,
  event: rscSchema,
  count: z.int().min(0).max(100),
});
export type EntryNumberInput = z.infer<typeof entryNumberInputSchema>;

export const entryNumberQuerySchema = z.strictObject({ noc: nocCodeSchema.optional(), event: rscSchema.optional() });
