/**
 * Members (pure): the input schemas, the views, the member.changed payload, the personal data's sealing, and the
 * rules' facts of a member (memberFacts). docs/workforce-api.md#members.
 */
import { isoDateSchema, MEMBER_STATUSES, type MemberState, nocCodeSchema } from '@podium/contracts';
import { type EnvelopeCipher, openPersonalColumns, type PersonalColumns, sealPersonalColumns } from '@podium/platform';
import { z } from 'zod';

import { functionalAreaSchema, localDateSchema, tagsSchema, venueCodeSchema } from '../common/codes';
import type { Member, MemberCard } from '../generated/prisma/client';
import { type CardFacts, MEMBER_TYPES, type MemberFacts, type MemberType } from '../rules/rules.types';

/** The sealed part of a member: what only the member.changed event (for accreditation) and managers need. */
export const personalDataSchema = z.strictObject({ dateOfBirth: z.string(), nationality: z.string() });
export type PersonalData = z.infer<typeof personalDataSchema>;

/** The context a sealed value is bound to: one member's value opens only on that member's row. */
export const sealContext = (memberId: string): string => `workforce.member:${memberId}`;

export function sealPersonal(cipher: EnvelopeCipher, memberId: string, data: PersonalData): PersonalColumns & { personalKid: string } {
  return sealPersonalColumns(cipher, personalDataSchema.parse(data), sealContext(memberId));
}

/** The member's date of birth and nationality (500 personal-data-unreadable naming the key id when it cannot be opened). */
export function openPersonal(cipher: EnvelopeCipher, row: { id: string } & PersonalColumns): PersonalData | undefined {
  return openPersonalColumns(cipher, row, sealContext(row.id), personalDataSchema, `member ${row.id}`);
}

const preferencesSchema = z
  .strictObject({
    venues: z.array(venueCodeSchema).max(50).optional(),
    functionalAreas: z.array(functionalAreaSchema).max(50).optional(),
    shiftStarts: z.enum(['early', 'late']).nullable().optional(),
  })
  .meta({ description: "Soft preferences for the auto-roster: venues, functional areas, early (before 12:00 local) or late starts" });

/** The fields a manager may set on a member (create and PATCH). */
const memberFields = {
  familyName: z.string().trim().min(1).max(100),
  givenName: z.string().trim().max(100),
  dateOfBirth: isoDateSchema.refine(
    (d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || (d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10)),
    'must be a past date',
  ),
  nationality: nocCodeSchema,
  organisation: z.string().trim().min(2).max(32),
  role: z.string().trim().min(1).max(64),
  functionalArea: functionalAreaSchema,
  homeVenue: venueCodeSchema,
  skills: tagsSchema(),
  languages: tagsSchema(),
  availableDates: z.array(localDateSchema).max(400).transform((dates) => [...new Set(dates)].sort()),
  preferences: preferencesSchema,
};

export const memberInputSchema = z
  .strictObject({
    type: z.enum(MEMBER_TYPES),
    volunteerId: z.uuid().optional().meta({ description: "The volunteer's id in the volunteers service (type volunteer only)" }),
    ...memberFields,
    skills: memberFields.skills.default([]),
    languages: memberFields.languages.default([]),
    availableDates: memberFields.availableDates.default([]),
    preferences: preferencesSchema.default({}),
  })
  .refine((m) => m.volunteerId === undefined || m.type === 'volunteer', { path: ['volunteerId'], message: 'only a volunteer has a volunteerId' });
export type MemberInput = z.infer<typeof memberInputSchema>;

export const memberPatchSchema = z
  .strictObject({ version: z.int().min(1).meta({ description: 'The version read: a newer stored version answers 409 stale-version' }), ...memberFields })
  .partial()
  .required({ version: true })
  .refine((p) => Object.keys(p).length > 1, { message: 'nothing to change', path: [] });
export type MemberPatch = z.infer<typeof memberPatchSchema>;

export const BULK_MAX_ROWS = 1_000;
export const bulkInputSchema = z.strictObject({ members: z.array(z.unknown()).min(1).max(BULK_MAX_ROWS) });

export const memberViewSchema = z
  .object({
    id: z.uuid(),
    edition: z.string(),
    type: z.enum(MEMBER_TYPES),
    volunteerId: z.uuid().nullable(),
    familyName: z.string(),
    givenName: z.string(),
    organisation: z.string(),
    role: z.string(),
    functionalArea: z.string(),
    homeVenue: z.string(),
    skills: z.array(z.string()),
    languages: z.array(z.string()),
    availableDates: z.array(z.string()),
    preferences: preferencesSchema,
    status: z.enum(MEMBER_STATUSES),
    dateOfBirth: z.string().optional().meta({ description: 'Managers and oc-admin only' }),
    nationality: z.string().optional().meta({ description: 'Managers and oc-admin only' }),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WorkforceMember' });
export type MemberView = z.infer<typeof memberViewSchema>;

type MemberPreferences = z.infer<typeof preferencesSchema>;

function preferencesOf(value: unknown): MemberPreferences {
  const parsed = preferencesSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

const asType = (type: string): MemberType => (MEMBER_TYPES as readonly string[]).includes(type) ? (type as MemberType) : 'staff';
const asStatus = (status: string): 'active' | 'released' => (status === 'released' ? 'released' : 'active');

/** A member as the API shows it; the personal data only when given (to managers). */
export function memberView(row: Member, personal?: PersonalData): MemberView {
  return {
    id: row.id,
    edition: row.edition,
    type: asType(row.type),
    volunteerId: row.volunteerId,
    familyName: row.familyName,
    givenName: row.givenName,
    organisation: row.organisation,
    role: row.role,
    functionalArea: row.functionalArea,
    homeVenue: row.homeVenue,
    skills: row.skills,
    languages: row.languages,
    availableDates: row.availableDates,
    preferences: preferencesOf(row.preferences),
    status: asStatus(row.status),
    ...(personal ? { dateOfBirth: personal.dateOfBirth, nationality: personal.nationality } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The payload of oms.workforce.v1.member.{edition}.changed (the contract's memberStateSchema, nothing more). */
export function memberState(row: Member, personal: PersonalData): MemberState {
  return {
    id: row.id,
    edition: row.edition,
    type: asType(row.type),
    volunteerId: row.volunteerId,
    familyName: row.familyName,
    givenName: row.givenName,
    dateOfBirth: personal.dateOfBirth,
    nationality: personal.nationality,
    organisation: row.organisation,
    role: row.role,
    functionalArea: row.functionalArea,
    homeVenue: row.homeVenue,
    status: asStatus(row.status),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const CARD_STATUSES = ['issued', 'active', 'suspended', 'revoked'] as const;

/** A card row as the rules see it (an unknown status is treated as revoked: never granting). */
export function cardFacts(card: MemberCard): CardFacts {
  const status = (CARD_STATUSES as readonly string[]).includes(card.status) ? (card.status as CardFacts['status']) : 'revoked';
  return { cardNumber: card.cardNumber, status, venues: card.venues, validFrom: card.validFrom.getTime(), validTo: card.validTo.getTime() };
}

/** What the rules need to know of a member: its row and the card rows naming it. */
export function memberFacts(row: Member, cards: readonly MemberCard[]): MemberFacts {
  return {
    id: row.id,
    type: asType(row.type),
    status: asStatus(row.status),
    functionalArea: row.functionalArea,
    homeVenue: row.homeVenue,
    skills: row.skills,
    languages: row.languages,
    availableDates: row.availableDates,
    cards: cards.map(cardFacts),
    preferences: preferencesOf(row.preferences),
  };
}

/** The list's filters (GET /members), each optional. */
export const memberListQuerySchema = z.strictObject({
  type: z.enum(MEMBER_TYPES).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  venue: venueCodeSchema.optional().meta({ description: 'Home venue' }),
  functionalArea: functionalAreaSchema.optional(),
  skill: z.string().trim().toLowerCase().min(1).max(32).optional(),
  language: z.string().trim().toLowerCase().min(1).max(32).optional(),
  name: z.string().trim().min(1).max(100).optional().meta({ description: 'Prefix of the family name (case-insensitive)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional().meta({ description: 'The nextCursor of the previous page' }),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;
