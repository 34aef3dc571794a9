/**
 * An application as the public form (and the bulk path) submits it: the one schema both validate with, and the pure
 * rules around it (the age rule, the campaign's options and dates, the duplicate key). No I/O.
 */
import { createHmac } from 'node:crypto';
import { isoDateSchema, nocCodeSchema } from '@podium/contracts';
import { z } from 'zod';

import type { CampaignView } from '../campaign/campaign.logic';
import { daysBetween } from '../campaign/campaign.logic';

/** Language levels (CEFR), and `native`. */
export const LANGUAGE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;
export const TSHIRT_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL'] as const;
/** The stages of the pipeline (docs/volunteers.md#pipeline); `applied` is the first. */
export const STAGES = [
  'applied',
  'screened',
  'interview-booked',
  'interviewed',
  'trained',
  'offered',
  'accepted',
  'declined',
  'lapsed',
  'confirmed',
  'rejected',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

const name = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');
const code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'not a known code');

/**
 * What an applicant submits. Field names are the form's and the bulk path's; messages are keys the portal translates
 * (docs/volunteers.md#portal), so they stay short and stable.
 */
export const applicationInputSchema = z.object({
  familyName: name,
  givenName: name,
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('not an email address')),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{6,20}$/, 'not a phone number')
    .optional(),
  dateOfBirth: isoDateSchema,
  /** IOC country code (3 letters, e.g. FRA): accreditation and workforce need it (the hand-over); sealed with the contact details. */
  nationality: z.string().trim().toUpperCase().pipe(nocCodeSchema),
  languages: z
    .array(z.object({ code, level: z.enum(LANGUAGE_LEVELS) }))
    .min(1, 'at least one language')
    .max(10)
    .refine((l) => new Set(l.map((x) => x.code)).size === l.length, 'each language once'),
  skills: z.array(code).max(20).default([]),
  drivingLicence: z.boolean(),
  availability: z
    .array(z.object({ from: isoDateSchema, to: isoDateSchema }).refine((r) => r.from <= r.to, 'from is after to'))
    .min(1, 'at least one date')
    .max(20),
  fields: z
    .array(code)
    .min(1, 'at least one field of activity')
    .max(3, 'at most 3 fields of activity')
    .refine((f) => new Set(f).size === f.length, 'each field once'),
  tshirtSize: z.enum(TSHIRT_SIZES),
  consent: z.literal(true, 'consent is required'),
  /** The portal's language the applicant used. */
  locale: z.string().regex(/^[a-z]{2}$/),
});
export type ApplicationInput = z.infer<typeof applicationInputSchema>;

/** A rule of the campaign that an input breaks: the field and a message key. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What the schema cannot know: the campaign's age rule, its options and its dates. Empty when the input is
 * acceptable. `availability` ranges must lie within the campaign's dates.
 */
export function campaignProblems(input: ApplicationInput, campaign: CampaignView): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.dateOfBirth > campaign.bornOnOrBefore) problems.push({ field: 'dateOfBirth', message: 'too young' });
  const known = (kind: 'fields' | 'skills' | 'languages') => new Set(campaign.options[kind].map((o) => o.code));
  const fields = known('fields');
  const skills = known('skills');
  const languages = known('languages');
  input.fields.forEach((f, i) => fields.has(f) || problems.push({ field: `fields.${i}`, message: 'not a known code' }));
  input.skills.forEach((s, i) => skills.has(s) || problems.push({ field: `skills.${i}`, message: 'not a known code' }));
  input.languages.forEach((l, i) => languages.has(l.code) || problems.push({ field: `languages.${i}.code`, message: 'not a known code' }));
  if (input.locale !== 'en' && input.locale !== campaign.hostLanguage) problems.push({ field: 'locale', message: 'not a portal language' });
  input.availability.forEach((r, i) => {
    if (r.from < campaign.availableFrom || r.to > campaign.availableTo) problems.push({ field: `availability.${i}`, message: 'outside the Games dates' });
  });
  return problems;
}

/** Every date of the ranges, once, in order (YYYY-MM-DD). */
export function expandDates(ranges: readonly { from: string; to: string }[]): string[] {
  const dates = new Set<string>();
  for (const { from, to } of ranges) {
    const start = Date.parse(`${from}T00:00:00Z`);
    for (let d = 0; d <= daysBetween(from, to); d++) dates.add(new Date(start + d * 86_400_000).toISOString().slice(0, 10));
  }
  return [...dates].sort();
}

/**
 * The languages as `code:level` for every level up to the declared one (fr at B1: fr:A1, fr:A2, fr:B1; native is above
 * C2), in the order of `languages` then of the levels: the stored `language_levels` column, so that "fr at least B2" is
 * one element to look up (docs/volunteers-scale.md). The same as SQL volunteers_language_levels(languages) (migration
 * 20261204214536_application_search), which backfilled the column; a level that is not one gives nothing, as there.
 */
export function languageLevels(languages: readonly { code: string; level: string }[]): string[] {
  const levels: readonly string[] = LANGUAGE_LEVELS;
  return languages.flatMap(({ code, level }) => levels.slice(0, levels.indexOf(level) + 1).map((l) => `${code}:${l}`));
}

/** Names as compared for duplicates: decomposed, accents dropped, lower case, one space between words. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The duplicate key: an HMAC (keyed with the service's secret, so that it reveals nothing without it) of the normalised
 * family and given names and the date of birth. The same person applying twice, with accents, case or spacing
 * differing, gets the same key.
 */
export function duplicateKey(secret: Uint8Array, input: Pick<ApplicationInput, 'familyName' | 'givenName' | 'dateOfBirth'>): Buffer {
  return createHmac('sha256', secret)
    .update(`${normaliseName(input.familyName)}\u0000${normaliseName(input.givenName)}\u0000${input.dateOfBirth}`)
    .digest();
}
