/**
 * OMS entries: athletes entered by their NOCs in the events of an edition, published by the entries service.
 *
 * - `oms.entries.v1.entry.{discipline}.changed` (like ODF DT_ENTRIES): the whole state of one entry (an athlete, or a
 *   team with its starters and alternates) after it was made, withdrawn or changed by a Late Athlete Replacement.
 *   Start lists are built from the latest message per entry id (higher `version` wins).
 * - `oms.entries.v1.athlete.{noc}.changed` (like ODF DT_PARTIC): an athlete's participant data and the events they
 *   are entered in; accreditation pre-fills athletes' applications from it.
 * - `oms.entries.v1.quota.{discipline}.changed`: a quota place allocated, declined or reallocated.
 */
import { z } from 'zod';
import { disciplineCodeSchema, isoDateSchema, nocCodeSchema, rscSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** ENTRIES stream: every entries event, kept (limits retention) so late consumers can replay. */
export const entriesStream = defineStream({
  name: 'ENTRIES',
  subjects: ['oms.entries.v1.>'],
  description: 'Entries, participants (athletes) and quota places published by the entries service (OMS).',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

/** Gender of a person: M (man) or W (woman), as in the event codes. */
export const personGenderSchema = z.enum(['M', 'W']).meta({ description: 'M man, W woman' });

export const ENTRY_STATUSES = ['ENTERED', 'WITHDRAWN'] as const;
export const ENTRY_KINDS = ['INDIVIDUAL', 'TEAM'] as const;
export const ENTRY_BASES = ['ENTRY_STANDARD', 'QUOTA_NOC', 'QUOTA_ATHLETE', 'UNIVERSALITY', 'OPEN'] as const;
export const ENTRY_CHANGE_KINDS = ['ENTERED', 'WITHDRAWN', 'LATE_REPLACEMENT'] as const;
/** Reason codes of a Late Athlete Replacement (the only reasons published with an entry's change). */
export const LATE_REPLACEMENT_REASONS = ['MEDICAL', 'ANTI_DOPING', 'EXCEPTIONAL'] as const;
export const MEMBER_ROLES = ['STARTER', 'ALTERNATE'] as const;
export const QUOTA_PLACE_KINDS = ['NOC', 'ATHLETE', 'UNIVERSALITY'] as const;
export const QUOTA_PLACE_STATUSES = ['ALLOCATED', 'DECLINED', 'CANCELLED'] as const;

// `reason` and `by` keep their types (string or null) so that messages published before 2026-12 still validate on
// replay; what is published in them is narrowed (publicEntryChange).
const changeSchema = z.object({
  id: z.string().min(1).meta({ description: 'Id of the change (a uuid)' }),
  kind: z.enum(ENTRY_CHANGE_KINDS),
  reason: z
    .string()
    .nullable()
    .meta({
      description:
        `The reason code of a LATE_REPLACEMENT (${LATE_REPLACEMENT_REASONS.join(', ')}); null for other changes. Never ` +
        'a note or free text: the note of a replacement is served by the entries API to whom may read it',
    }),
  by: z.string().nullable().meta({
    description: 'Always null when published: who made the change is not published (the entries API serves it to whom may read it)',
  }),
});

export const entryMemberSchema = z.object({
  athleteId: z.uuid(),
  ifId: z.string().nullable().meta({ description: "The athlete's International Federation id" }),
  familyName: z.string().min(1),
  givenName: z.string(),
  gender: personGenderSchema,
  role: z.enum(MEMBER_ROLES),
  slot: z.string().nullable().meta({ description: "Team slot of the rules pack (e.g. 'men', 'W-57'), if any" }),
});

/** The whole state of an entry (DT_ENTRIES-like). */
export const entryStateSchema = z
  .object({
    edition: z.string().min(1).meta({ examples: ['OG2024'] }),
    id: z.uuid(),
    event: rscSchema.meta({ description: 'RSC of the event (phase and unit all "-")' }),
    discipline: disciplineCodeSchema,
    noc: nocCodeSchema,
    kind: z.enum(ENTRY_KINDS),
    status: z.enum(ENTRY_STATUSES),
    basis: z.enum(ENTRY_BASES).meta({ description: 'How the entry qualified (standard, quota place, universality...)' }),
    quotaPlace: z.string().nullable().meta({ description: 'Id of the quota place the entry uses, if any' }),
    members: z.array(entryMemberSchema).min(1),
    version: z.int().min(1),
    change: changeSchema,
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'EntryState' });

export type EntryState = z.infer<typeof entryStateSchema>;

/**
 * What an entry's change may show publicly (the ENTRIES stream, results-distribution's public entry lists): its id,
 * its kind and, for a Late Athlete Replacement, the reason code only; never who made it, a medical note or a
 * withdrawal's free-text reason. Also narrows a change published before (e.g. reason 'MEDICAL: <note>').
 */
export function publicEntryChange(change: EntryState['change']): EntryState['change'] {
  const code =
    change.kind === 'LATE_REPLACEMENT' && change.reason !== null
      ? LATE_REPLACEMENT_REASONS.find((r) => change.reason === r || change.reason?.startsWith(`${r}:`))
      : undefined;
  return { id: change.id, kind: change.kind, reason: code ?? null, by: null };
}

/** An entry's state as published and served publicly: its change narrowed by {@link publicEntryChange}. */
export function publicEntryState(state: EntryState): EntryState {
  return { ...state, change: publicEntryChange(state.change) };
}

const ENTRY_CHANGED_TYPE = 'podium.entries.entry.changed.v1';

export const entryChanged = defineSubject({
  subject: 'oms.entries.v1.entry.{discipline}.changed',
  type: ENTRY_CHANGED_TYPE,
  source: 'podium/entries',
  stream: entriesStream.name,
  title: 'Entry changed',
  description:
    'The whole state of an entry (like ODF DT_ENTRIES) after an Entry by Name, a withdrawal or a Late Athlete ' +
    'Replacement. Keep the latest version per entry id; entries with status ENTERED make the start list. Public: ' +
    'the change carries its kind and, for a Late Athlete Replacement, the reason code only (no note, no user id).',
  version: 1,
  dataschema: dataschemaFor(ENTRY_CHANGED_TYPE),
  data: entryStateSchema,
  tokens: {
    discipline: { description: 'ODF discipline code of the event (first 3 characters of its RSC)', example: 'ATH' },
  },
  example: {
    edition: 'OG2024',
    id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
    event: 'ATHM100M--------------------------',
    discipline: 'ATH',
    noc: 'JPN',
    kind: 'INDIVIDUAL',
    status: 'ENTERED',
    basis: 'ENTRY_STANDARD',
    quotaPlace: null,
    members: [
      {
        athleteId: '8a4b7f0e-6a55-4b1f-8f8e-52d1f1c2a3b4',
        ifId: '14610001',
        familyName: 'SANI BROWN',
        givenName: 'Abdul Hakim',
        gender: 'M',
        role: 'STARTER',
        slot: null,
      },
    ],
    version: 1,
    change: { id: 'c1f0a7e2-9a0b-4c4d-8e7f-1a2b3c4d5e6f', kind: 'ENTERED', reason: null, by: null },
    updatedAt: '2024-07-01T09:00:00Z',
  },
});

/** An athlete's participant data (DT_PARTIC-like) and the events they are entered in. */
export const athleteStateSchema = z
  .object({
    edition: z.string().min(1),
    id: z.uuid(),
    ifId: z.string().nullable(),
    noc: nocCodeSchema,
    familyName: z.string().min(1),
    givenName: z.string(),
    printName: z.string().min(1).meta({ description: "e.g. 'SANI BROWN Abdul Hakim'" }),
    gender: personGenderSchema,
    birthDate: isoDateSchema,
    sportClass: z.string().nullable().meta({ description: 'Para sport class (e.g. T11), if any' }),
    classificationStatus: z
      .string()
      .nullable()
      .meta({ description: 'Para classification status (e.g. NEW, REVIEW, CONFIRMED), if any' }),
    entries: z.array(
      z.object({
        entryId: z.uuid(),
        event: rscSchema,
        discipline: disciplineCodeSchema,
        role: z.enum(MEMBER_ROLES),
      }),
    ),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'AthleteState' });

export type AthleteState = z.infer<typeof athleteStateSchema>;

const ATHLETE_CHANGED_TYPE = 'podium.entries.athlete.changed.v1';

export const athleteChanged = defineSubject({
  subject: 'oms.entries.v1.athlete.{noc}.changed',
  type: ATHLETE_CHANGED_TYPE,
  source: 'podium/entries',
  stream: entriesStream.name,
  title: 'Athlete changed',
  description:
    "An athlete's participant data (like ODF DT_PARTIC) and the events they are entered in, after the athlete was " +
    'registered or changed, or one of their entries changed. Keep the latest version per athlete id.',
  version: 1,
  dataschema: dataschemaFor(ATHLETE_CHANGED_TYPE),
  data: athleteStateSchema,
  tokens: { noc: { description: "IOC code of the athlete's NOC (uppercase)", example: 'JPN' } },
  example: {
    edition: 'OG2024',
    id: '8a4b7f0e-6a55-4b1f-8f8e-52d1f1c2a3b4',
    ifId: '14610001',
    noc: 'JPN',
    familyName: 'SANI BROWN',
    givenName: 'Abdul Hakim',
    printName: 'SANI BROWN Abdul Hakim',
    gender: 'M',
    birthDate: '1999-03-06',
    sportClass: null,
    classificationStatus: null,
    entries: [
      {
        entryId: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
        event: 'ATHM100M--------------------------',
        discipline: 'ATH',
        role: 'STARTER',
      },
    ],
    version: 2,
    updatedAt: '2024-07-01T09:00:00Z',
  },
});

/** A quota place of an event: to an NOC, to a named athlete, or a universality place. */
export const quotaPlaceStateSchema = z
  .object({
    edition: z.string().min(1),
    id: z.string().min(1),
    event: rscSchema,
    discipline: disciplineCodeSchema,
    kind: z.enum(QUOTA_PLACE_KINDS),
    noc: nocCodeSchema,
    athleteIfId: z.string().nullable().meta({ description: 'IF id of the athlete a named (ATHLETE) place belongs to' }),
    status: z.enum(QUOTA_PLACE_STATUSES),
    reallocatedFrom: z.string().nullable().meta({ description: 'The declined place this one was reallocated from' }),
    explanation: z.array(z.string()).meta({ description: 'Why the place is where it is (allocation, decline, reallocation)' }),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'QuotaPlaceState' });

export type QuotaPlaceState = z.infer<typeof quotaPlaceStateSchema>;

const QUOTA_CHANGED_TYPE = 'podium.entries.quota.changed.v1';

export const quotaPlaceChanged = defineSubject({
  subject: 'oms.entries.v1.quota.{discipline}.changed',
  type: QUOTA_CHANGED_TYPE,
  source: 'podium/entries',
  stream: entriesStream.name,
  title: 'Quota place changed',
  description:
    'A quota place after it was allocated, declined by its NOC (then reallocated to the next-ranked eligible athlete), ' +
    'or cancelled by a new rules pack. ' +
    'Keep the latest version per place id.',
  version: 1,
  dataschema: dataschemaFor(QUOTA_CHANGED_TYPE),
  data: quotaPlaceStateSchema,
  tokens: { discipline: { description: 'ODF discipline code of the event', example: 'JUD' } },
  example: {
    edition: 'OG2024',
    id: 'JUDM60KG-R01-R1',
    event: 'JUDM60KG--------------------------',
    discipline: 'JUD',
    kind: 'ATHLETE',
    noc: 'FRA',
    athleteIfId: 'JUD-FRA-0007',
    status: 'ALLOCATED',
    reallocatedFrom: 'JUDM60KG-R01',
    explanation: ['Reallocated from JUDM60KG-R01 declined by NOC GEO: next-ranked eligible athlete (rank 9)'],
    version: 1,
    updatedAt: '2024-06-20T10:00:00Z',
  },
});

/** Entries subjects, registered in the central registry (registry.ts). */
export const entriesSubjects = [entryChanged, athleteChanged, quotaPlaceChanged] as const;
export const entriesStreams = [entriesStream] as const;
