/**
 * OMS volunteers: the public recruiting portal and its selection pipeline (issue 12; the service is to come). Designed
 * now so that workforce and accreditation are written against it:
 *
 * - `oms.volunteers.v1.volunteer.{edition}.confirmed`: a volunteer accepted a role and venue and was confirmed: handed
 *   over to workforce (a member with shifts to come) and accreditation (the volunteer's application, category VOL,
 *   made from these names, never retyped). Again, with a higher version, when a confirmed volunteer's data change.
 * - `oms.volunteers.v1.volunteer.{edition}.withdrawn`: a confirmed volunteer withdrew or was released: workforce frees
 *   their shifts, accreditation withdraws the application (or revokes the card).
 * - `oms.volunteers.v1.volunteer.{edition}.erased`: an applicant's personal data was erased (GDPR): ids only, for every
 *   system that copied data of the person (the hand-over's names, date of birth, nationality) to erase its copy.
 *
 * The payload carries what the two need and nothing more: no contact details, no languages' levels, no interview
 * notes (they stay in the volunteers service). Keyed by the volunteer's id; keep the latest version per id.
 */
import { z } from 'zod';
import { editionCodeSchema, isoDateSchema, nocCodeSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** VOLUNTEERS stream: the hand-overs of confirmed volunteers, kept so that a late consumer can replay them. */
export const volunteersStream = defineStream({
  name: 'VOLUNTEERS',
  subjects: ['oms.volunteers.v1.>'],
  description: 'Events published by the volunteers service (OMS): volunteers confirmed (handed over) and withdrawn.',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

/** A confirmed volunteer as handed over to workforce and accreditation. */
export const volunteerHandoverSchema = z
  .object({
    id: z.uuid().meta({ description: "The volunteer's id in the volunteers service (stable across versions)" }),
    edition: editionCodeSchema,
    familyName: z.string().min(1).max(100),
    givenName: z.string().max(100),
    dateOfBirth: isoDateSchema,
    nationality: nocCodeSchema.meta({ description: 'Country code (IOC 3 letters)' }),
    role: z.string().min(1).max(64).meta({ description: 'The role accepted, e.g. "Spectator services"' }),
    functionalArea: z.string().min(1).max(16).meta({ description: 'Functional area code, e.g. "SPS"' }),
    venue: z.string().min(1).max(8).meta({ description: 'Venue code of the schedule (the home venue of the shifts)' }),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).meta({ description: 'ISO 639 codes of the languages spoken at a working level' }),
    skills: z.array(z.string().min(1).max(64)),
    drivingLicence: z.boolean(),
    availability: z.array(z.object({ from: isoDateSchema, to: isoDateSchema })).meta({ description: 'Dates available, inclusive' }),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'VolunteerHandover' });

export type VolunteerHandover = z.infer<typeof volunteerHandoverSchema>;

const EXAMPLE: VolunteerHandover = {
  id: '3e5b9a1c-7d2f-4c8e-9b6a-1f0e2d3c4b5a',
  edition: 'OG2024',
  familyName: 'MARTIN',
  givenName: 'Léa',
  dateOfBirth: '1996-05-14',
  nationality: 'FRA',
  role: 'Spectator services',
  functionalArea: 'SPS',
  venue: 'STA',
  languages: ['fr', 'en'],
  skills: ['first aid'],
  drivingLicence: true,
  availability: [{ from: '2024-07-20', to: '2024-08-11' }],
  version: 1,
  updatedAt: '2024-05-02T09:00:00.000Z',
};

const EDITION_TOKEN = { edition: { description: 'Edition code', example: 'OG2024' } };
const CONFIRMED_TYPE = 'podium.volunteers.volunteer.confirmed.v1';
const WITHDRAWN_TYPE = 'podium.volunteers.volunteer.withdrawn.v1';

export const volunteerConfirmed = defineSubject({
  subject: 'oms.volunteers.v1.volunteer.{edition}.confirmed',
  type: CONFIRMED_TYPE,
  source: 'podium/volunteers',
  stream: volunteersStream.name,
  title: 'Volunteer confirmed',
  description:
    'A volunteer accepted the role and venue offered and was confirmed: handed over to workforce and accreditation ' +
    '(names never retyped there). Published again, with a higher version, when a confirmed volunteer changes. ' +
    'Keep the latest version per id.',
  version: 1,
  dataschema: dataschemaFor(CONFIRMED_TYPE),
  data: volunteerHandoverSchema,
  tokens: EDITION_TOKEN,
  example: EXAMPLE,
});

export const volunteerWithdrawn = defineSubject({
  subject: 'oms.volunteers.v1.volunteer.{edition}.withdrawn',
  type: WITHDRAWN_TYPE,
  source: 'podium/volunteers',
  stream: volunteersStream.name,
  title: 'Volunteer withdrawn',
  description:
    'A confirmed volunteer withdrew or was released: workforce frees their future shifts, accreditation withdraws ' +
    'their application or revokes their card.',
  version: 1,
  dataschema: dataschemaFor(WITHDRAWN_TYPE),
  data: z
    .object({
      id: z.uuid(),
      edition: editionCodeSchema,
      reason: z.string().min(1).max(500),
      version: z.int().min(1),
      updatedAt: utcDateTimeSchema,
    })
    .meta({ title: 'VolunteerWithdrawn' }),
  tokens: EDITION_TOKEN,
  example: { id: EXAMPLE.id, edition: 'OG2024', reason: 'Withdrew for personal reasons', version: 2, updatedAt: '2024-07-01T12:00:00.000Z' },
});

/** A GDPR erasure of an applicant: the ids a copy of the person's data is keyed by, nothing of the person. */
export const volunteerErasedSchema = z
  .object({
    id: z.uuid().meta({ description: "The erased application's id: the `id` of its hand-over events (confirmed, withdrawn)" }),
    edition: editionCodeSchema,
    erasedAt: utcDateTimeSchema,
  })
  .meta({ title: 'VolunteerErased' });

export type VolunteerErased = z.infer<typeof volunteerErasedSchema>;

const ERASED_TYPE = 'podium.volunteers.volunteer.erased.v1';

export const volunteerErased = defineSubject({
  subject: 'oms.volunteers.v1.volunteer.{edition}.erased',
  type: ERASED_TYPE,
  source: 'podium/volunteers',
  stream: volunteersStream.name,
  title: 'Volunteer erased',
  description:
    "An applicant's personal data was erased (GDPR Art. 17), at their request on the status page or by staff: erase " +
    'your copies. Every system that keeps data of the person it took from a hand-over (workforce, accreditation) ' +
    'deletes or anonymises what it holds under this id. Published once per application, for every erased application ' +
    '(handed over or not), in the transaction of the erasure; a confirmed volunteer is withdrawn in it first (its ' +
    'withdrawn event comes before). Payload: ids only, no personal data.',
  version: 1,
  dataschema: dataschemaFor(ERASED_TYPE),
  data: volunteerErasedSchema,
  tokens: EDITION_TOKEN,
  example: { id: EXAMPLE.id, edition: 'OG2024', erasedAt: '2024-09-02T14:05:00.000Z' },
});

export const volunteersSubjects = [volunteerConfirmed, volunteerWithdrawn, volunteerErased] as const;
export const volunteersStreams = [volunteersStream] as const;
