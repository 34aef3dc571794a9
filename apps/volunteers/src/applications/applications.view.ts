/**
 * An application as recruiters see it (GET /v1/editions/{edition}/applications/{id}, and the pipeline's lists): where it
 * stands and what the applicant offers, never their contact details nor their date of birth (sealed at rest,
 * personal.logic.ts). Pure.
 */
import { isoDateSchema } from '@podium/contracts';
import { z } from 'zod';

import type { Application } from '../database/prisma.service';
import { LANGUAGE_LEVELS, STAGES } from './application.logic';

const range = z.object({ from: isoDateSchema, to: isoDateSchema });

export const applicationViewSchema = z
  .object({
    id: z.uuid(),
    edition: z.string(),
    stage: z.enum(STAGES),
    familyName: z.string(),
    givenName: z.string(),
    languages: z.array(z.object({ code: z.string(), level: z.enum(LANGUAGE_LEVELS) })),
    skills: z.array(z.string()),
    drivingLicence: z.boolean(),
    availability: z.array(range).meta({ description: 'The dates available, as ranges (inclusive), in order' }),
    fields: z.array(z.string()).meta({ description: 'Preferred fields of activity, most preferred first' }),
    tshirtSize: z.string(),
    locale: z.string().meta({ description: "The portal's language the applicant used" }),
    interviewSlotId: z.uuid().nullable(),
    offer: z
      .object({ role: z.string().nullable(), area: z.string().nullable(), venue: z.string().nullable(), deadline: z.iso.datetime().nullable() })
      .nullable()
      .meta({ description: 'The role and venue offered, and until when it may be answered (null before an offer)' }),
    erased: z.boolean().meta({ description: "The applicant's personal data was erased (GDPR)" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ title: 'VolunteerApplication' });
export type ApplicationView = z.infer<typeof applicationViewSchema>;

/** One application as GET .../applications/{id} answers it: the view, and why it was withdrawn (the applicant's reason). */
export const applicationDetailSchema = applicationViewSchema
  .extend({
    withdrawal: z
      .object({
        at: z.iso.datetime(),
        by: z.string().meta({ description: '`applicant`, or the recruiter who released the volunteer' }),
        reasonCode: z.string().nullable().meta({ description: "The reason chosen in the status page's list (not-available, personal, other-commitment, health, other), null when none" }),
        reason: z.string().nullable().meta({ description: "The applicant's own words (at most 300 characters) or the recruiter's reason; [erased] after an erasure" }),
      })
      .nullable()
      .meta({ description: 'Why the application was withdrawn (stage withdrawn), else null' }),
  })
  .meta({ title: 'VolunteerApplicationDetail' });
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

const DAY = 86_400_000;

/** Sorted, distinct dates (YYYY-MM-DD) as the fewest inclusive ranges: the inverse of expandDates. */
export function datesToRanges(dates: readonly string[]): { from: string; to: string }[] {
  const ranges: { from: string; to: string }[] = [];
  let last = Number.NaN;
  for (const date of [...new Set(dates)].sort()) {
    const at = Date.parse(`${date}T00:00:00Z`);
    const current = ranges[ranges.length - 1];
    if (current && at - last === DAY) current.to = date;
    else ranges.push({ from: date, to: date });
    last = at;
  }
  return ranges;
}

export function applicationView(row: Application): ApplicationView {
  const offered = row.offerRole !== null || row.offerVenue !== null || row.offerDeadline !== null;
  return {
    id: row.id,
    edition: row.edition,
    stage: row.stage as ApplicationView['stage'],
    familyName: row.familyName,
    givenName: row.givenName,
    languages: row.languages as ApplicationView['languages'],
    skills: row.skills,
    drivingLicence: row.drivingLicence,
    availability: datesToRanges(row.availableDates),
    fields: row.fields,
    tshirtSize: row.tshirtSize,
    locale: row.locale,
    interviewSlotId: row.interviewSlotId,
    offer: offered ? { role: row.offerRole, area: row.offerArea, venue: row.offerVenue, deadline: row.offerDeadline?.toISOString() ?? null } : null,
    erased: row.erasedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}
