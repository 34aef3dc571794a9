/**
 * The CIS WebSocket protocol of results-distribution (`/v1/cis`, docs/results-distribution.md#cis-channel-websocket-v1cis),
 * as zod schemas of what the server sends. The documents inside are the contracts' result schemas (never retyped);
 * the medal table rows are @podium/odf-message's MedalTableRow and the schedule units the contracts' ScheduleUnitState.
 */
import { type PayloadOf, resultsSubjectKey, scheduleUnitUpdated, subjectDefinition } from '@podium/contracts';
import type { MedalTableRow } from '@podium/odf-message';
import { z } from 'zod';

/** The protocol version this client speaks (the server's `welcome.protocol`). */
export const CIS_PROTOCOL_VERSION = 1;

/** Close codes the server uses. */
export const CIS_CLOSE = {
  slowConsumer: 4008,
  tryAgainLater: 1013,
  goingAway: 1001,
  unresponsive: 4000,
  noSubscription: 4001,
} as const;

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

export interface MedalTable {
  /** RESULTS sequence of the message that last changed it. */
  seq: number;
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

/** A schedule unit with its live status, as `schedule` messages carry it. */
export type CisScheduleUnit = PayloadOf<typeof scheduleUnitUpdated.subject> & {
  scheduleSeq: number;
  results: { resultStatus: string | null; version: number; seq: number } | null;
  live: boolean;
};
const scheduleUnitSchema: z.ZodType<CisScheduleUnit> = z
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
  z.object({ type: z.literal('schedule'), unit: scheduleUnitSchema }),
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
/** One kind of server message, e.g. `CisMessageOf<'update'>`. */
export type CisMessageOf<T extends CisServerMessage['type']> = Extract<CisServerMessage, { type: T }>;

/** A documents subscription: every given field must match (AND). `rsc` may be a unit, phase or event code. */
export interface CisSubscription {
  /** Names the subscription (1-64 of A-Z a-z 0-9 _ . : -); updates carry no id, snapshots and resets do. */
  id: string;
  discipline?: string;
  rsc?: string;
  documentType?: string;
}
