import { isoDateSchema } from '@podium/contracts';
import { z } from 'zod';

import type { Campaign } from '../database/prisma.service';

/** A code offered in the form (a field of activity, a skill, a language), with its name in each portal language. */
export const optionSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -, 1-32 characters'),
  names: z.object({ en: z.string().min(1).max(100) }).catchall(z.string().min(1).max(100)),
});
export type CampaignOption = z.infer<typeof optionSchema>;

const uniqueCodes = (options: { code: string }[]) => new Set(options.map((o) => o.code)).size === options.length;

const optionsSchema = z.object({
  fields: z.array(optionSchema).min(1).max(100).refine(uniqueCodes, 'each code once'),
  skills: z.array(optionSchema).max(200).refine(uniqueCodes, 'each code once'),
  languages: z.array(optionSchema).min(1).max(200).refine(uniqueCodes, 'each code once'),
});
export type CampaignOptions = z.infer<typeof optionsSchema>;

const campaignFields = z.object({
  bornOnOrBefore: isoDateSchema.meta({ description: 'The age rule: applicants born on or before this date' }),
  hostLanguage: z.string().regex(/^[a-z]{2}$/, 'a two-letter language code').meta({ description: "The host's language, besides English" }),
  options: optionsSchema.meta({ description: 'The fields of activity, skills and languages offered in the form, named in English and the host language' }),
  availableFrom: isoDateSchema.meta({ description: 'First date an applicant may be available on' }),
  availableTo: isoDateSchema.meta({ description: 'Last date an applicant may be available on (at most 120 days after availableFrom)' }),
  privacyNotice: z.string().min(1).max(64).meta({ description: "The privacy notice's version that applicants consent to" }),
  open: z.boolean().meta({ description: 'The portal takes applications' }),
});

/** What a volunteer-manager sets (PUT /v1/editions/{edition}/campaign). */
export const campaignInputSchema = campaignFields
  .extend({ open: z.boolean().default(true) })
  .refine((c) => c.availableFrom <= c.availableTo, { message: 'availableFrom is after availableTo', path: ['availableTo'] })
  .refine((c) => daysBetween(c.availableFrom, c.availableTo) <= 120, { message: 'at most 120 days of Games time', path: ['availableTo'] })
  .refine((c) => [...c.options.fields, ...c.options.skills, ...c.options.languages].every((o) => c.hostLanguage === 'en' || c.hostLanguage in o.names), {
    message: "every option needs a name in the host's language",
    path: ['options'],
  });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignViewSchema = campaignFields
  .extend({ edition: z.string(), updatedBy: z.string(), updatedAt: z.iso.datetime() })
  .meta({ title: 'VolunteersCampaign' });
export type CampaignView = z.infer<typeof campaignViewSchema>;

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function campaignView(row: Campaign): CampaignView {
  return {
    edition: row.edition,
    bornOnOrBefore: row.bornOnOrBefore,
    hostLanguage: row.hostLanguage,
    options: row.options as CampaignOptions,
    availableFrom: row.availableFrom,
    availableTo: row.availableTo,
    privacyNotice: row.privacyNotice,
    open: row.open,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}
