/**
 * Row schemas of a data pack (format 'podium.datapack/v1'), documented in docs/data-pack.md.
 * They check each row on its own; references between rows are checked by `parseDataPack`.
 */
import {
  disciplineCodeSchema,
  editionCodeSchema,
  isoDateSchema,
  localDateTimeSchema,
  rscSchema,
  timeZoneSchema,
} from '@podium/contracts';
import { GENDERS } from '@podium/odf';
import { z } from 'zod';
import { PACK_UNIT_STATUSES } from './status';

export const DATA_PACK_FORMAT = 'podium.datapack/v1';

export const EDITION_KINDS = ['OG', 'PG'] as const;
export type EditionKind = (typeof EDITION_KINDS)[number];

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** ODF sport code: 3 letters (disciplines use `disciplineCodeSchema` from contracts). */
export const sportCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'must be 3 uppercase letters');
export const venueCodeSchema = z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be 2-8 characters A-Z, 0-9');
export const locationCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/, "must be 1-16 characters A-Z, 0-9, '-' (not first)");
export const sessionCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,12}$/, "must be 2-12 characters A-Z, 0-9, e.g. 'ATH01'");
export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);
export const packEditionSchema = z
  .strictObject({
    code: editionCodeSchema,
    name: nameSchema,
    kind: z.enum(EDITION_KINDS),
    timeZone: timeZoneSchema,
    locale: z.string().refine(isLocale, { message: "must be a BCP 47 locale such as 'fr-FR'" }),
    logicalDayEnd: z.string().regex(HH_MM, "must be 'HH:mm'").default('03:00'),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
  })
  .refine((e) => e.endDate >= e.startDate, { path: ['endDate'], message: 'must not be before startDate' });

export const packSportSchema = z.strictObject({ code: sportCodeSchema, name: nameSchema });

export const packDisciplineSchema = z.strictObject({
  code: disciplineCodeSchema,
  sport: sportCodeSchema,
  name: nameSchema,
});

export const packLocationSchema = z.strictObject({ code: locationCodeSchema, name: nameSchema });

export const packVenueSchema = z
  .strictObject({
    code: venueCodeSchema,
    name: nameSchema,
    timeZone: timeZoneSchema,
    openingDays: z
      .strictObject({ from: isoDateSchema, to: isoDateSchema })
      .refine((d) => d.to >= d.from, { path: ['to'], message: 'must not be before from' }),
    locations: z.array(packLocationSchema).default([]),
  })
  .superRefine((venue, ctx) => {
    const seen = new Set<string>();
    venue.locations.forEach((location, index) => {
      if (seen.has(location.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['locations', index, 'code'],
          message: `duplicate location code '${location.code}'`,
        });
      }
      seen.add(location.code);
    });
  });

export const packEventSchema = z.strictObject({
  rsc: rscSchema,
  name: nameSchema,
  /** Optional: the RSC's gender; when given it must match. */
  gender: z.enum(GENDERS).optional(),
  medal: z.boolean().default(false),
});

export const packPhaseSchema = z.strictObject({
  rsc: rscSchema,
  name: nameSchema,
  /** Order of the phase within its event: heats 1, semi-finals 2, final 3. Equal orders run in parallel. */
  order: z.int().min(1).max(99),
});

export const packSessionSchema = z.strictObject({
  code: sessionCodeSchema,
  venue: venueCodeSchema,
  location: locationCodeSchema.nullish(),
  name: nameSchema,
  start: localDateTimeSchema,
  end: localDateTimeSchema,
});

export const packUnitSchema = z.strictObject({
  rsc: rscSchema,
  name: nameSchema,
  /** Optional: the phase RSC, derived from the unit RSC; when given it must match. */
  phase: rscSchema.nullish(),
  session: sessionCodeSchema.nullish(),
  venue: venueCodeSchema.nullish(),
  location: locationCodeSchema.nullish(),
  start: localDateTimeSchema.nullish(),
  end: localDateTimeSchema.nullish(),
  status: z.enum(PACK_UNIT_STATUSES).optional(),
  medal: z.boolean().default(false),
});

/** The pack's outer shape; rows are checked one by one with the schemas above. */
export const packShellSchema = z.strictObject({
  format: z.literal(DATA_PACK_FORMAT, { message: `must be '${DATA_PACK_FORMAT}'` }),
  edition: z.unknown(),
  sports: z.array(z.unknown()).default([]),
  disciplines: z.array(z.unknown()).default([]),
  venues: z.array(z.unknown()).default([]),
  events: z.array(z.unknown()).default([]),
  phases: z.array(z.unknown()).default([]),
  sessions: z.array(z.unknown()).default([]),
  units: z.array(z.unknown()).default([]),
});

export type PackEditionInput = z.input<typeof packEditionSchema>;
export type PackEditionRow = z.infer<typeof packEditionSchema>;
export type PackSportRow = z.infer<typeof packSportSchema>;
export type PackDisciplineRow = z.infer<typeof packDisciplineSchema>;
export type PackVenueRow = z.infer<typeof packVenueSchema>;
export type PackEventRow = z.infer<typeof packEventSchema>;
export type PackPhaseRow = z.infer<typeof packPhaseSchema>;
export type PackSessionRow = z.infer<typeof packSessionSchema>;
export type PackUnitRow = z.infer<typeof packUnitSchema>;
/** A data pack as authors write it (optional fields may be left out). */
export interface DataPackInput {
  format: typeof DATA_PACK_FORMAT;
  edition: PackEditionInput;
  sports?: z.input<typeof packSportSchema>[];
  disciplines?: z.input<typeof packDisciplineSchema>[];
  venues?: z.input<typeof packVenueSchema>[];
  events?: z.input<typeof packEventSchema>[];
  phases?: z.input<typeof packPhaseSchema>[];
  sessions?: z.input<typeof packSessionSchema>[];
  units?: z.input<typeof packUnitSchema>[];
}
