import { editionCodeSchema, isoDateSchema, localDateTimeSchema, nocCodeSchema, rscSchema, timeZoneSchema } from '@podium/contracts';
import { z } from 'zod';

/** Format tag of a rules pack. */
export const RULES_PACK_FORMAT = 'podium.entry-rules/v1';

const positiveInt = z.int().min(1);

export const deadlinesSchema = z.strictObject({
  /** Entry by Number closes (local time in the pack's time zone). */
  entryByNumber: localDateTimeSchema,
  /** Entry by Name closes: entries lock, only Late Athlete Replacements remain. */
  entryByName: localDateTimeSchema,
  /** Last moment a Late Athlete Replacement may be requested. */
  lateReplacement: localDateTimeSchema,
});

export const MEASURES = ['time', 'distance', 'points'] as const;
export type Measure = (typeof MEASURES)[number];

export const standardSchema = z.strictObject({
  measure: z.enum(MEASURES),
  better: z.enum(['lower', 'higher']),
  /** The mark to achieve, as written: time '10.00', '1:44.70', '2:08:10'; distance '2.33'; points '8460'. */
  mark: z.string().min(1),
  /** Qualification window (inclusive dates): only marks achieved within it count. */
  window: z.strictObject({ from: isoDateSchema, to: isoDateSchema }),
});

export const ageLimitSchema = z
  .strictObject({
    min: z.int().min(0).optional(),
    max: z.int().min(0).optional(),
    /** The age is taken on this date (e.g. 31 December of the Games year). */
    at: isoDateSchema,
  })
  .refine((a) => a.min !== undefined || a.max !== undefined, 'give min, max or both');

export const teamSlotSchema = z.strictObject({
  /** Slot name, e.g. 'men', 'W-57'. */
  slot: z.string().min(1).max(32),
  gender: z.enum(['M', 'W']),
  /** Starters in this slot. */
  count: positiveInt,
  /** The starter must also be entered in one of these (individual) events, e.g. the judo weight categories. */
  requiresEntryIn: z.array(rscSchema).min(1).optional(),
});

export const teamRuleSchema = z.strictObject({
  starters: z.strictObject({ min: positiveInt, max: positiveInt }),
  alternates: z.strictObject({ max: z.int().min(0) }).default({ max: 0 }),
  /** Mixed-team composition: every starter takes a slot; the slot counts add up to the number of starters. */
  composition: z.array(teamSlotSchema).min(1).optional(),
});

export const QUALIFICATION_MODES = ['entry-standard', 'quota-places', 'open'] as const;

export const eventRuleSchema = z.strictObject({
  /** RSC of the event (phase and unit all '-'), as published by schedules. */
  event: rscSchema,
  type: z.enum(['individual', 'team']),
  /** Maximum entries (athletes, or teams) per NOC. */
  maxPerNoc: positiveInt,
  /** Maximum entries over all NOCs (the field size); none: unlimited. */
  fieldSize: positiveInt.optional(),
  /**
   * How an entry qualifies: 'entry-standard' (the standard, a named quota place, or a free universality place),
   * 'quota-places' (a quota place held by the NOC or named to the athlete), 'open' (any entry within the limits).
   */
  qualification: z.enum(QUALIFICATION_MODES),
  standard: standardSchema.optional(),
  age: ageLimitSchema.optional(),
  team: teamRuleSchema.optional(),
  /** Per-event deadlines overriding the edition's. */
  deadlines: deadlinesSchema.partial().optional(),
});

export const QUOTA_KINDS = ['NOC', 'ATHLETE', 'UNIVERSALITY'] as const;

export const quotaPlaceSchema = z.strictObject({
  /** Stable id of the place, e.g. 'ATHX4X400M-USA'. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "id must be 1-64 characters A-Z, a-z, 0-9, '_' or '-'"),
  event: rscSchema,
  kind: z.enum(QUOTA_KINDS),
  noc: nocCodeSchema,
  /** IF id of the athlete, for a named (ATHLETE) place. */
  athlete: z.string().min(1).optional(),
});

export const rankingSchema = z.strictObject({
  event: rscSchema,
  /** Ranked candidates for reallocated places: athletes (with `athlete`, the IF id) or NOCs (team events). */
  list: z
    .array(
      z.strictObject({
        rank: positiveInt,
        noc: nocCodeSchema,
        athlete: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

export const rulesPackSchema = z.strictObject({
  format: z.literal(RULES_PACK_FORMAT),
  edition: editionCodeSchema,
  /** Time zone of every deadline of the pack (the host city's), e.g. Europe/Paris. */
  timeZone: timeZoneSchema,
  deadlines: deadlinesSchema,
  nocs: z.array(z.strictObject({ code: nocCodeSchema, name: z.string().min(1) })).min(1),
  events: z.array(eventRuleSchema),
  quotaPlaces: z.array(quotaPlaceSchema).default([]),
  rankings: z.array(rankingSchema).default([]),
});

export type RulesPack = z.output<typeof rulesPackSchema>;
export type EventRule = z.output<typeof eventRuleSchema>;
export type Deadlines = z.output<typeof deadlinesSchema>;
export type Standard = z.output<typeof standardSchema>;
export type AgeLimit = z.output<typeof ageLimitSchema>;
export type TeamRule = z.output<typeof teamRuleSchema>;
export type TeamSlot = z.output<typeof teamSlotSchema>;
export type QuotaPlaceRule = z.output<typeof quotaPlaceSchema>;
export type Ranking = z.output<typeof rankingSchema>;
export type QuotaKind = (typeof QUOTA_KINDS)[number];
