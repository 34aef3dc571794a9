/**
 * OMS workforce: members (paid staff, volunteers handed over by the volunteers service, contractors), shifts and
 * assignments (issue 13; the service is to come). Designed now so that accreditation is written against it:
 *
 * - `oms.workforce.v1.member.{edition}.changed`: a workforce member's state after a change (created, role or venue
 *   changed, released). Accreditation makes staff's and contractors' applications from it (categories OC and CON,
 *   names never retyped); volunteers come from `oms.volunteers.v1.volunteer.{edition}.confirmed` instead.
 * - `oms.workforce.v1.assignment.{edition}.changed`: an assignment of a member to a shift (assigned, checked in,
 *   checked out, no-show, cancelled), for venue operations.
 *
 * No contact details in either; keyed by the member's (or assignment's) id: keep the latest version per id.
 */
import { z } from 'zod';
import { editionCodeSchema, isoDateSchema, nocCodeSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** WORKFORCE stream: every workforce event, kept so that a late consumer can replay. */
export const workforceStream = defineStream({
  name: 'WORKFORCE',
  subjects: ['oms.workforce.v1.>'],
  description: 'Events published by the workforce service (OMS): members and their shift assignments.',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

export const MEMBER_TYPES = ['staff', 'volunteer', 'contractor'] as const;
export const MEMBER_STATUSES = ['active', 'released'] as const;

/** A workforce member's state. */
export const memberStateSchema = z
  .object({
    id: z.uuid().meta({ description: "The member's id in the workforce service" }),
    edition: editionCodeSchema,
    type: z.enum(MEMBER_TYPES),
    volunteerId: z.uuid().nullable().meta({ description: "A volunteer's id in the volunteers service (type volunteer), else null" }),
    familyName: z.string().min(1).max(100),
    givenName: z.string().max(100),
    dateOfBirth: isoDateSchema,
    nationality: nocCodeSchema.meta({ description: 'Country code (IOC 3 letters)' }),
    organisation: z.string().min(2).max(32).meta({ description: 'Employer: the organising committee, or the contractor company code' }),
    role: z.string().min(1).max(64),
    functionalArea: z.string().min(1).max(16),
    homeVenue: z.string().min(1).max(8).meta({ description: 'Venue code of the schedule' }),
    status: z.enum(MEMBER_STATUSES),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'WorkforceMemberState' });

export type MemberState = z.infer<typeof memberStateSchema>;

export const ASSIGNMENT_STATUSES = ['assigned', 'checked-in', 'checked-out', 'no-show', 'cancelled'] as const;

/** An assignment of a member to a shift. */
export const assignmentStateSchema = z
  .object({
    id: z.uuid(),
    edition: editionCodeSchema,
    memberId: z.uuid(),
    shiftId: z.uuid(),
    venue: z.string().min(1).max(8),
    functionalArea: z.string().min(1).max(16),
    role: z.string().min(1).max(64),
    start: utcDateTimeSchema,
    end: utcDateTimeSchema,
    status: z.enum(ASSIGNMENT_STATUSES),
    cardNumber: z.string().nullable().meta({ description: 'The accreditation card checked in with, if any' }),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'WorkforceAssignmentState' });

export type AssignmentState = z.infer<typeof assignmentStateSchema>;

const EDITION_TOKEN = { edition: { description: 'Edition code', example: 'OG2024' } };
const MEMBER_TYPE = 'podium.workforce.member.changed.v1';
const ASSIGNMENT_TYPE = 'podium.workforce.assignment.changed.v1';

export const memberChanged = defineSubject({
  subject: 'oms.workforce.v1.member.{edition}.changed',
  type: MEMBER_TYPE,
  source: 'podium/workforce',
  stream: workforceStream.name,
  title: 'Workforce member changed',
  description:
    "A workforce member's state after a change (created, role or venue changed, released). Accreditation makes staff's " +
    "and contractors' applications from it, never retyping a name. Keep the latest version per id.",
  version: 1,
  dataschema: dataschemaFor(MEMBER_TYPE),
  data: memberStateSchema,
  tokens: EDITION_TOKEN,
  example: {
    id: '6a1f2e3d-4c5b-4a69-8877-665544332211',
    edition: 'OG2024',
    type: 'staff',
    volunteerId: null,
    familyName: 'BERNARD',
    givenName: 'Hugo',
    dateOfBirth: '1988-11-23',
    nationality: 'FRA',
    organisation: 'PARIS2024',
    role: 'Venue manager',
    functionalArea: 'VEN',
    homeVenue: 'STA',
    status: 'active',
    version: 1,
    updatedAt: '2024-06-01T08:00:00.000Z',
  },
});

export const assignmentChanged = defineSubject({
  subject: 'oms.workforce.v1.assignment.{edition}.changed',
  type: ASSIGNMENT_TYPE,
  source: 'podium/workforce',
  stream: workforceStream.name,
  title: 'Shift assignment changed',
  description: "An assignment of a member to a shift after a change (assigned, checked in, checked out, no-show, cancelled). Keep the latest version per id.",
  version: 1,
  dataschema: dataschemaFor(ASSIGNMENT_TYPE),
  data: assignmentStateSchema,
  tokens: EDITION_TOKEN,
  example: {
    id: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
    edition: 'OG2024',
    memberId: '6a1f2e3d-4c5b-4a69-8877-665544332211',
    shiftId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    venue: 'STA',
    functionalArea: 'VEN',
    role: 'Venue manager',
    start: '2024-08-02T06:00:00.000Z',
    end: '2024-08-02T14:00:00.000Z',
    status: 'checked-in',
    cardNumber: 'OG2024-000042',
    version: 3,
    updatedAt: '2024-08-02T05:52:10.000Z',
  },
});

export const workforceSubjects = [memberChanged, assignmentChanged] as const;
export const workforceStreams = [workforceStream] as const;
