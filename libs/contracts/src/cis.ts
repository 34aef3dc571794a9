/**
 * The CIS WebSocket protocol of results-distribution (`/v1/cis`, docs/results-distribution.md#cis-channel-websocket-v1cis):
 * the commands a client sends and the messages the server sends, as zod schemas defined once here, as the subjects'
 * payloads are. The service validates the commands with them and types its replies by them; the partner SDK validates
 * every server message with them. The documents inside are the results subjects' payloads (never retyped), the medal
 * table rows @podium/odf-message's MedalTableRow, the schedule units the schedules subject's ScheduleUnitState.
 */
import { DOCUMENT_TYPES } from '@podium/odf';
import type { MedalTableRow } from '@podium/odf-message';
import { z } from 'zod';

import { type PayloadOf, subjectDefinition } from './subject-map';
import { resultsSubjectKey } from './subjects/results';
import { type ScheduleUnitState, scheduleUnitUpdated } from './subjects/schedules';

/** Version of the CIS protocol (the server's `welcome.protocol`; a client checks it speaks it). */
export const CIS_PROTOCOL_VERSION = 1;

/** Close codes the server uses. */
export const CIS_CLOSE = {
  /** The client did not read fast enough: its queue overflowed (reason in the close frame). */
  slowConsumer: 4008,
  /** Too many connections on this instance: try another or later. */
  tryAgainLater: 1013,
  /** The server is shutting down. */
  goingAway: 1001,
  /** No pong to the server's ping within the heartbeat interval. */
  unresponsive: 4000,
  /** No subscription for CIS_SUBSCRIBE_TIMEOUT_MS (a connection that follows nothing holds a slot for nothing). */
  noSubscription: 4001,
} as const;

/** Reasons in the close frames (at most 123 bytes). */
export const CIS_CLOSE_REASON = {
  full: 'too many connections on this instance',
  address: 'too many connections from this address',
  noSubscription: 'no subscription',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Client -> server: commands (JSON text frames)
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a client follows: every given field must match (AND); an empty filter matches every document.
 * `rsc` is a unit, phase or event RSC: a phase or event code matches every document below it. Also the query of the
 * service's SSE stream.
 */
export const cisDocumentFilterSchema = z.strictObject({
  discipline: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected a 3-letter ODF discipline code, e.g. ATH')
    .optional(),
  rsc: z
    .string()
    .regex(/^[A-Z0-9-]{1,34}$/, 'expected an RSC (34 characters A-Z, 0-9 or "-") or another ODF document code')
    .optional(),
  documentType: z
    .string()
    .refine((t) => (DOCUMENT_TYPES as readonly string[]).includes(t), {
      error: `expected an ODF DocumentType (${DOCUMENT_TYPES.join(', ')})`,
    })
    .optional(),
});

export type CisDocumentFilter = z.infer<typeof cisDocumentFilterSchema>;

const subscriptionId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 characters A-Z, a-z, 0-9, "_", ".", ":" or "-"');

/**
 * `{"action":"subscribe","discipline":"ATH"}` (also `rsc`, `documentType`, combined with AND); `id` names the
 * subscription (default s1, s2…); `after` is the last sequence the client saw, to resume instead of taking a snapshot.
 * `{"action":"subscribe","medals":true}` follows the medal table; `{"action":"subscribe","schedule":true}` the schedule.
 */
export const cisSubscribeCommandSchema = cisDocumentFilterSchema.extend({
  action: z.literal('subscribe'),
  id: subscriptionId.optional(),
  after: z.int().min(0).optional(),
  medals: z.literal(true).optional(),
  schedule: z.literal(true).optional(),
});

/** Every command a client may send. */
export const cisCommandSchema = z.discriminatedUnion('action', [
  cisSubscribeCommandSchema,
  z.strictObject({ action: z.literal('unsubscribe'), id: subscriptionId }),
  /** Asks for a new snapshot of one subscription (or all of them). */
  z.strictObject({ action: z.literal('snapshot'), id: subscriptionId.optional() }),
  z.strictObject({ action: z.literal('ping') }),
]);

export type CisCommand = z.infer<typeof cisCommandSchema>;
export type CisSubscribeCommand = z.infer<typeof cisSubscribeCommandSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Server -> client: messages (JSON text frames)
// ---------------------------------------------------------------------------------------------------------------

/** A document as CIS sends it: the result message results-ingest published, with its stream and sequence. */
export type CisDocument = PayloadOf<ReturnType<typeof resultsSubjectKey>> & { stream: string; seq: number };

const documentEnvelope = z.looseObject({
  stream: z.string(),
  seq: z.int().min(0),
  feedFlag: z.enum(['P', 'T']),
  documentType: z.string(),
});

/** Validates a CIS document with the contract schema of its family (production/test feed, DT_CURRENT or not). */
export const cisDocumentSchema: z.ZodType<CisDocument> = documentEnvelope.transform((raw, ctx) => {
  const schema = subjectDefinition(resultsSubjectKey(raw)).data;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return { ...(parsed.data as object), stream: raw.stream, seq: raw.seq } as CisDocument;
});

/** The medal table, as CIS `medals` messages and the SSE `medals` event carry it. */
export interface MedalTable {
  /** RESULTS sequence of the message that last changed it. */
  seq: number;
  /** Ranked by gold, silver, bronze. */
  rows: MedalTableRow[];
  totals: { gold: number; silver: number; bronze: number; total: number };
  /** Events whose medals are known. */
  events: number;
}

const count = z.int().min(0);
const medalRowSchema: z.ZodType<MedalTableRow> = z.object({ rank: z.int().min(1), noc: z.string(), gold: count, silver: count, bronze: count, total: count });
export const medalTableSchema: z.ZodType<MedalTable> = z.object({
  seq: count,
  rows: z.array(medalRowSchema),
  totals: z.object({ gold: count, silver: count, bronze: count, total: count }),
  events: count,
});

/** A schedule unit with its live status from the results, as `schedule` messages carry it. */
export type CisScheduleUnit = ScheduleUnitState & {
  /** SCHEDULES stream sequence of the unit's state. */
  scheduleSeq: number;
  /** The unit's latest production DT_RESULT, if any. */
  results: { resultStatus: string | null; version: number; seq: number } | null;
  /** Running now: schedule status RUNNING, or results LIVE/INTERMEDIATE. */
  live: boolean;
};

export const cisScheduleUnitSchema: z.ZodType<CisScheduleUnit> = z
  .looseObject({
    scheduleSeq: count,
    results: z.object({ resultStatus: z.string().nullable(), version: z.int(), seq: count }).nullable(),
    live: z.boolean(),
  })
  .transform((raw, ctx) => {
    const parsed = scheduleUnitUpdated.data.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return { ...parsed.data, scheduleSeq: raw.scheduleSeq, results: raw.results, live: raw.live };
  });

/** Every message the server sends. */
export const cisServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), protocol: z.int(), seq: count, replayFrom: count }),
  z.object({
    type: z.literal('subscribed'),
    id: z.string().optional(),
    topic: z.enum(['medals', 'schedule']).optional(),
    filter: z.string().optional(),
    seq: count.optional(),
    resumed: z.boolean().optional(),
    missed: count.optional(),
  }),
  z.object({ type: z.literal('unsubscribed'), id: z.string() }),
  z.object({ type: z.literal('snapshot'), id: z.string(), seq: count, part: z.int().min(1), parts: z.int().min(1), documents: z.array(cisDocumentSchema) }),
  z.object({ type: z.literal('update'), seq: count, document: cisDocumentSchema }),
  z.object({ type: z.literal('current'), document: cisDocumentSchema }),
  z.object({ type: z.literal('medals'), table: medalTableSchema }),
  z.object({ type: z.literal('schedule'), unit: cisScheduleUnitSchema }),
  z.object({ type: z.literal('reset'), id: z.string(), reason: z.string(), seq: count }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
  z.object({ type: z.literal('pong'), seq: count }),
]);

export type CisServerMessage = z.infer<typeof cisServerMessageSchema>;
/** One kind of server message (or several), e.g. `CisMessageOf<'update'>`. */
export type CisMessageOf<T extends CisServerMessage['type']> = Extract<CisServerMessage, { type: T }>;
