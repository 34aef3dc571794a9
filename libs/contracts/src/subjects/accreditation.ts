/**
 * OMS accreditation: who may enter which venue and zone: applications, signed cards, gate checks. Published by the accreditation service.
 *
 * - `oms.accreditation.v1.item.{edition}.created`: a item was created (its whole state).
 */
import { z } from 'zod';
import { editionCodeSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** ACCREDITATION stream: every accreditation event, kept so that late consumers can replay. */
export const accreditationStream = defineStream({
  name: 'ACCREDITATION',
  subjects: ['oms.accreditation.v1.>'],
  description: "Events published by the accreditation service (OMS).",
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

export const itemStateSchema = z
  .object({
    id: z.uuid(),
    edition: editionCodeSchema,
    name: z.string().min(1),
    createdBy: z.string().min(1).meta({ description: 'Who created it (user id)' }),
    createdAt: utcDateTimeSchema,
  })
  .meta({ title: 'AccreditationItemState' });

export type ItemState = z.infer<typeof itemStateSchema>;

const ITEM_CREATED_TYPE = 'podium.accreditation.item.created.v1';

export const itemCreated = defineSubject({
  subject: 'oms.accreditation.v1.item.{edition}.created',
  type: ITEM_CREATED_TYPE,
  source: 'podium/accreditation',
  stream: accreditationStream.name,
  title: 'Item created',
  description: 'A item was created: its whole state.',
  version: 1,
  dataschema: dataschemaFor(ITEM_CREATED_TYPE),
  data: itemStateSchema,
  tokens: { edition: { description: 'Edition code', example: 'OG2024' } },
  example: {
    id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
    edition: 'OG2024',
    name: 'Main stadium',
    createdBy: 'admin',
    createdAt: '2024-07-01T10:00:00.000Z',
  },
});

export const accreditationSubjects = [itemCreated] as const;
export const accreditationStreams = [accreditationStream] as const;
