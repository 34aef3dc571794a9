/** The roster API's request and answer (docs/workforce-roster.md#api): schemas for validation and OpenAPI. */
import { z } from 'zod';

import { localDateSchema, venueCodeSchema } from '../common/codes';
import { RULES } from '../rules/rules.types';

export const planRequestSchema = z.strictObject({
  localDate: localDateSchema.meta({ description: "The venues' local date whose shifts are rostered", example: '2024-08-02' }),
  venue: venueCodeSchema.optional().meta({ description: 'Only the shifts of this venue (absent: every venue the token may see)' }),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

const violationSchema = z.object({
  rule: z.enum(RULES),
  message: z.string(),
  actual: z.union([z.number(), z.string(), z.array(z.string())]).optional(),
  limit: z.union([z.number(), z.string(), z.array(z.string())]).optional(),
  shiftId: z.string().optional(),
});

const placeSchema = z.object({ assignmentId: z.uuid().nullable(), shiftId: z.uuid(), memberId: z.uuid(), published: z.boolean() });

export const planReportSchema = z
  .object({
    planId: z.uuid(),
    edition: z.string(),
    localDate: z.string(),
    venue: z.string().nullable(),
    createdAt: z.string(),
    counts: z.object({
      added: z.int(),
      removed: z.int(),
      kept: z.int(),
      keptPublished: z.int().meta({ description: 'Published assignments kept (still valid): never moved by a re-plan' }),
      moved: z.int().meta({ description: 'Published assignments removed because they broke a rule (their member moved off)' }),
    }),
    added: z.array(z.object({ assignmentId: z.uuid(), shiftId: z.uuid(), memberId: z.uuid() })),
    removed: z.array(
      placeSchema.extend({
        reason: z.enum(['re-planned', 'rule-violated']),
        violations: z.array(violationSchema),
      }),
    ),
    kept: z.array(placeSchema),
    unfilled: z.array(
      z.object({
        shiftId: z.uuid(),
        open: z.int(),
        eligibleButTaken: z.int(),
        reasons: z.array(z.object({ rule: z.enum(RULES), detail: z.string().optional(), members: z.int() })),
        message: z.string().meta({ example: 'no eligible member: 3 lack skill first-aid, 5 would break min-rest' }),
      }),
    ),
    metrics: z.object({
      places: z.int(),
      filled: z.int(),
      filledShare: z.number(),
      membersWhoCouldWork: z.int(),
      hours: z.object({ min: z.number(), max: z.number(), spread: z.number(), stddev: z.number(), mean: z.number() }),
      objective: z.number(),
      ms: z.number(),
      phases: z.object({ prepare: z.number(), construct: z.number(), augment: z.number(), search: z.number(), finish: z.number() }),
    }),
  })
  .meta({ id: 'WorkforceRosterPlan' });
export type PlanReport = z.infer<typeof planReportSchema>;
