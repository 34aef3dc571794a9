/**
 * OMS accreditation: who may enter which venue and zone: applications, signed cards, gate checks. Published by the
 * accreditation service (docs/accreditation.md).
 *
 * - `oms.accreditation.v1.card.{edition}.issued|changed|suspended|revoked`: a card's whole state after the change
 *   (no personal data: the holder is the application's opaque id), for workforce and venue systems.
 * - `oms.accreditation.v1.revocations`: each new entry of the revocation list, as a one-entry page of
 *   `@podium/accreditation-credential` (`{"items": [entry], "lastSeq"}`, the format of `GET /v1/revocations`), for scanners.
 * - `oms.accreditation.v1.application.{edition}.erased`: a person's personal data was erased (GDPR): ids only, for every
 *   system that copied data of the person from accreditation's events to erase its copies.
 */
import { revocationPageSchema } from '@podium/accreditation-credential';
import { z } from 'zod';
import { editionCodeSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** ACCREDITATION stream: every accreditation event, kept so that late consumers can replay. */
export const accreditationStream = defineStream({
  name: 'ACCREDITATION',
  subjects: ['oms.accreditation.v1.>'],
  description: 'Events published by the accreditation service (OMS): card changes, the revocation list and erasures.',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

/**
 * A card's status: `issued` (printed, not yet picked up: no credential yet), `active` (activated at pick-up),
 * `suspended`, `revoked`, or `expired` (past its validity; computed, never stored: revoked stays revoked).
 */
export const CARD_STATUSES = ['issued', 'active', 'suspended', 'revoked', 'expired'] as const;

/** An upgrade of a card: venues and zones added for a window within the card's validity. */
export const cardUpgradeSchema = z
  .object({
    id: z.uuid(),
    venues: z.array(z.string().min(1)).meta({ description: 'Venue codes added, or ["ALL"]' }),
    zones: z.array(z.string().min(1)).meta({ description: 'Zone codes added, or ["ALL"]' }),
    validFrom: utcDateTimeSchema,
    validTo: utcDateTimeSchema,
  })
  .meta({ title: 'AccreditationCardUpgrade' });

const cardNumberSchema = z.string().regex(/^[A-Z0-9-]{1,32}$/);

/** Where a card's application came from, when another service handed the person over: how that service finds its card. */
export const cardSourceSchema = z
  .object({
    service: z.enum(['volunteers', 'workforce']),
    id: z.uuid().meta({ description: "The person's id in that service: the volunteer's id, or the workforce member's id" }),
  })
  .meta({ title: 'AccreditationCardSource' });


/** A card's whole state: privileges, validity, status and its current credential's id. No personal data. */
export const cardStateSchema = z
  .object({
    cardNumber: cardNumberSchema.meta({ description: 'Card number, printed on the card', examples: ['OG2024-000001'] }),
    edition: editionCodeSchema,
    holder: z.uuid().meta({ description: "The application's opaque id (the credential's sub): never a name" }),
    category: z.string().min(1).max(8),
    venues: z.array(z.string().min(1)).min(1).meta({ description: 'Venue codes, or ["ALL"]' }),
    zones: z.array(z.string().min(1)).min(1).meta({ description: 'Zone codes, or ["ALL"]' }),
    transport: z.array(z.string().min(1)),
    dining: z.array(z.string().min(1)),
    validFrom: utcDateTimeSchema,
    validTo: utcDateTimeSchema,
    status: z.enum(CARD_STATUSES),
    credentialId: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: "The current credential's jti; null before activation (the first credential is signed at pick-up)" }),
    activatedAt: utcDateTimeSchema.nullable().optional().meta({ description: 'When the card was activated at pick-up (null: not yet)' }),
    source: cardSourceSchema
      .nullable()
      .optional()
      .meta({
        description:
          "The service whose hand-over the card's application was made from (a volunteer of the volunteers service, a workforce member), " +
          'with its id there; null or absent for applications made by a Responsible Organisation or from entries',
      }),
    upgrades: z
      .array(cardUpgradeSchema)
      .optional()
      .meta({ description: 'Upgrades whose window has not ended (the credential carries them)' }),
    version: z.int().min(1),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ title: 'AccreditationCardState' });

export type CardState = z.infer<typeof cardStateSchema>;

const CARD_EXAMPLE: CardState = {
  cardNumber: 'OG2024-000001',
  edition: 'OG2024',
  holder: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
  category: 'AA',
  venues: ['STA', 'CDM'],
  zones: ['1', '2'],
  transport: ['TA'],
  dining: ['DV'],
  validFrom: '2024-07-18T00:00:00.000Z',
  validTo: '2024-08-14T00:00:00.000Z',
  status: 'active',
  credentialId: '0f8d7c1a-3b2e-4d5f-9a6b-7c8d9e0f1a2b',
  activatedAt: '2024-07-20T10:00:00.000Z',
  upgrades: [],
  version: 1,
  updatedAt: '2024-07-20T10:00:00.000Z',
};

const EDITION_TOKEN = { edition: { description: 'Edition code', example: 'OG2024' } };

function cardExample(change: 'issued' | 'changed' | 'suspended' | 'revoked'): CardState {
  if (change === 'issued') return { ...CARD_EXAMPLE, status: 'issued', credentialId: null, activatedAt: null, version: 1 };
  return { ...CARD_EXAMPLE, status: change === 'suspended' ? 'suspended' : change === 'revoked' ? 'revoked' : 'active', version: 2 };
}

/** What the four card subjects share: their stream, payload and token. */
function cardSubjectBase(change: 'issued' | 'changed' | 'suspended' | 'revoked', description: string) {
  const type = `podium.accreditation.card.${change}.v1`;
  return {
    type,
    source: 'podium/accreditation',
    stream: accreditationStream.name,
    title: `Card ${change}`,
    description: `${description} Payload: the card's whole state after the change (no personal data).`,
    version: 1,
    dataschema: dataschemaFor(type),
    data: cardStateSchema,
    tokens: EDITION_TOKEN,
    example: cardExample(change),
  } as const;
}

export const cardIssued = defineSubject({
  subject: 'oms.accreditation.v1.card.{edition}.issued',
  ...cardSubjectBase(
    'issued',
    'A card was issued (printed) to an approved, cleared application: status issued, no credential until it is activated at pick-up.',
  ),
});
export const cardChanged = defineSubject({
  subject: 'oms.accreditation.v1.card.{edition}.changed',
  ...cardSubjectBase(
    'changed',
    'A card changed: activated at pick-up (its first credential), reissued or upgraded (a new credential replaced the old one, which is revoked), or its suspension lifted.',
  ),
});
export const cardSuspended = defineSubject({
  subject: 'oms.accreditation.v1.card.{edition}.suspended',
  ...cardSubjectBase('suspended', 'A card was suspended: gates refuse it (suspended) until it is reinstated.'),
});
export const cardRevoked = defineSubject({
  subject: 'oms.accreditation.v1.card.{edition}.revoked',
  ...cardSubjectBase('revoked', 'A card was revoked, for good: gates refuse every credential of it (revoked).'),
});

const REVOCATION_TYPE = 'podium.accreditation.revocation.v1';

export const revocationAdded = defineSubject({
  subject: 'oms.accreditation.v1.revocations',
  type: REVOCATION_TYPE,
  source: 'podium/accreditation',
  stream: accreditationStream.name,
  title: 'Revocation list entry',
  description:
    'Each new entry of the revocation list (numbered from 1 without gaps: credential-revoked, card-suspended, ' +
    'card-reinstated, card-revoked) as a one-entry page, the format of GET /v1/revocations?after=<seq>. A scanner ' +
    "applies it with @podium/accreditation-credential's RevocationState.applyPage; a gap (RevocationGapError) means " +
    'it missed entries: it reads the list again from its lastSeq.',
  version: 1,
  dataschema: dataschemaFor(REVOCATION_TYPE),
  data: revocationPageSchema,
  tokens: {},
  example: {
    items: [{ seq: 42, at: '2024-07-30T09:12:03.000Z', kind: 'credential-revoked', jti: '0f8d7c1a-3b2e-4d5f-9a6b-7c8d9e0f1a2b', card: 'OG2024-000001' }],
    lastSeq: 42,
  },
});

/** A GDPR erasure: the ids a copy of the person's data is keyed by, nothing of the person. */
export const applicationErasedSchema = z
  .object({
    edition: editionCodeSchema,
    applicationId: z.uuid().meta({ description: "The erased application's opaque id: the `holder` of its card's events and the credential's `sub`" }),
    cardNumber: cardNumberSchema
      .nullable()
      .meta({ description: "The application's card (revoked by the erasure, or before it), null when it never had one", examples: ['OG2024-000001'] }),
    erasedAt: utcDateTimeSchema,
  })
  .meta({ title: 'AccreditationApplicationErased' });

export type ApplicationErased = z.infer<typeof applicationErasedSchema>;

const ERASED_TYPE = 'podium.accreditation.application.erased.v1';

export const applicationErased = defineSubject({
  subject: 'oms.accreditation.v1.application.{edition}.erased',
  type: ERASED_TYPE,
  source: 'podium/accreditation',
  stream: accreditationStream.name,
  title: 'Application erased',
  description:
    "The personal data of an application's person was erased (GDPR Art. 17): erase your copies. Every system that " +
    'keeps data of the person it took from accreditation (workforce, volunteers, venue systems) deletes or anonymises ' +
    'what it holds under this application id (the holder of the card events) and card number. Published once per ' +
    'application, in the transaction of the erasure: a card not revoked yet is revoked in it (its card revoked event ' +
    'and revocation list entry come first). Payload: ids only, no personal data.',
  version: 1,
  dataschema: dataschemaFor(ERASED_TYPE),
  data: applicationErasedSchema,
  tokens: EDITION_TOKEN,
  example: { edition: 'OG2024', applicationId: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11', cardNumber: 'OG2024-000001', erasedAt: '2024-09-02T14:05:00.000Z' },
});

export const accreditationSubjects = [cardIssued, cardChanged, cardSuspended, cardRevoked, revocationAdded, applicationErased] as const;
export const accreditationStreams = [accreditationStream] as const;
