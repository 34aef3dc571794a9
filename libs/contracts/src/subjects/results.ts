/**
 * ODS results: the ODF messages accepted by results-ingest, published for partners (results-distribution, CIS,
 * data feeds) as JSON.
 *
 * Subject families (one stream each, so that their retention can differ):
 *
 * | feed (FeedFlag) | document types         | subject                                                  | stream               |
 * |-----------------|------------------------|----------------------------------------------------------|----------------------|
 * | P (production)  | all but DT_CURRENT     | `ods.results.v1.{discipline}.{rsc}.{documentType}`       | RESULTS              |
 * | P (production)  | DT_CURRENT (fast path) | `ods.results-current.v1.{discipline}.{rsc}`              | RESULTS_CURRENT      |
 * | T (test)        | all but DT_CURRENT     | `ods.results-test.v1.{discipline}.{rsc}.{documentType}`  | RESULTS_TEST         |
 * | T (test)        | DT_CURRENT (fast path) | `ods.results-test-current.v1.{discipline}.{rsc}`         | RESULTS_TEST_CURRENT |
 *
 * - Feed separation: a test-feed message (FeedFlag T) is never published on a production subject, and the other way
 *   round: the `feedFlag` of each family's payload is a literal, so publishing across feeds is a contract violation.
 *   Partners subscribe to production with `ods.results.v1.>` and never see rehearsal data.
 * - DT_CURRENT fast path ("latest only"): the running clock (several messages per second per unit) goes to its own
 *   in-memory stream that keeps only the latest message per subject (`maxMsgsPerSubject: 1`) for one hour, so a
 *   consumer that (re)connects gets the current clock of every running unit and nothing older; it never fills the
 *   RESULTS stream that partners replay. results-ingest keeps only the latest DT_CURRENT of each document (no
 *   version history) and publishes it directly with a JetStream ack instead of through its outbox.
 * - `Nats-Msg-Id` = envelope id = a deterministic UUID (v5-style) of `documentKey` + `version` ({@link resultsEventId}), so
 *   a message re-accepted or re-published within the duplicate window is dropped by JetStream. An operator resend
 *   (`resent: true`) uses a fresh id on purpose.
 * - Order: per document, messages are published in the order results-ingest accepted them (per-document lock and
 *   in-order outbox relay); a consumer should still ignore a `version` lower than the one it holds.
 */
import { createHash } from 'node:crypto';

import { DOCUMENT_TYPES } from '@podium/odf';
import {
  documentKey,
  MAX_ODF_VERSION,
  odfHeaderSchema,
  type OdfElement,
  type OdfJson,
  updateRuleOf,
} from '@podium/odf-message';
import { z } from 'zod';

import { utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** RESULTS: every production result message except DT_CURRENT, kept for the whole Games (partners replay it). */
export const resultsStream = defineStream({
  name: 'RESULTS',
  subjects: ['ods.results.v1.>'],
  description:
    'ODF result messages (production feed, every DocumentType but DT_CURRENT) accepted by results-ingest, in JSON.',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 10 * MINUTE,
});

/** RESULTS_CURRENT: production DT_CURRENT, latest message per subject only, in memory. */
export const resultsCurrentStream = defineStream({
  name: 'RESULTS_CURRENT',
  subjects: ['ods.results-current.v1.>'],
  description:
    'DT_CURRENT (running clock, production feed): the latest message per unit only (max 1 message per subject, 1 hour).',
  retention: 'limits',
  storage: 'memory',
  maxAge: HOUR,
  duplicateWindow: MINUTE,
  maxMsgsPerSubject: 1,
});

/** RESULTS_TEST: test-feed messages (FeedFlag T), kept 7 days. */
export const resultsTestStream = defineStream({
  name: 'RESULTS_TEST',
  subjects: ['ods.results-test.v1.>'],
  description: 'ODF result messages of the test feed (FeedFlag T), every DocumentType but DT_CURRENT; kept 7 days.',
  retention: 'limits',
  storage: 'file',
  maxAge: 7 * DAY,
  duplicateWindow: 10 * MINUTE,
});

/** RESULTS_TEST_CURRENT: test-feed DT_CURRENT, latest per subject only. */
export const resultsTestCurrentStream = defineStream({
  name: 'RESULTS_TEST_CURRENT',
  subjects: ['ods.results-test-current.v1.>'],
  description: 'DT_CURRENT of the test feed (FeedFlag T): the latest message per unit only (max 1 per subject, 1 hour).',
  retention: 'limits',
  storage: 'memory',
  maxAge: HOUR,
  duplicateWindow: MINUTE,
  maxMsgsPerSubject: 1,
});

/** The JSON form of an ODF element (see @podium/odf-message element.ts): attributes as strings, children as arrays. */
export const odfElementSchema: z.ZodType<OdfElement> = z
  .lazy(() => z.record(z.string(), z.union([z.string(), z.array(odfElementSchema)])))
  .meta({
    id: 'OdfElement',
    description:
      'An ODF element: each XML attribute is a string property under its ODF name (e.g. "Rank"); each child element ' +
      'name is a property whose value is always an array of elements, in document order; text content, rare in ODF, ' +
      'is the string property "$text".',
  });

/** Token value used for `{discipline}` when the DocumentCode does not start with a 3-letter discipline code. */
export const NO_DISCIPLINE_TOKEN = '---';

const DOCUMENT_TYPES_BUT_CURRENT = DOCUMENT_TYPES.filter((t) => t !== 'DT_CURRENT') as [string, ...string[]];

/** Fields results-ingest adds to the ODF header and content. */
const ingestFields = {
  discipline: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable()
    .meta({ description: 'The first 3 characters of DocumentCode when they are a discipline code, else null' }),
  documentKey: z.string().min(1).meta({
    description:
      'Document identity: CompetitionCode|DocumentCode|DocumentSubcode|DocumentType|DocumentSubtype|Language|FeedFlag ' +
      '(absent parts empty). A higher version of the same key replaces the document.',
    examples: ['OG2024|ATHM100M--------------FNL-000100--||DT_RESULT|||P'],
  }),
  withdrawn: z.boolean().meta({
    description: 'True when the message has no Competition element: the document is withdrawn (competition is null)',
  }),
  correction: z.boolean().meta({ description: 'True for a new version of a document that was already OFFICIAL' }),
  officialVersion: z
    .int()
    .min(1)
    .max(MAX_ODF_VERSION)
    .nullable()
    .meta({ description: 'Highest earlier version that was OFFICIAL (what a correction corrects), else null' }),
  notes: z
    .array(z.string())
    .optional()
    .meta({
      description: 'Correction notes accumulated over the corrections of this document after OFFICIAL, oldest first',
    }),
  previousVersion: z
    .int()
    .min(0)
    .max(MAX_ODF_VERSION)
    .nullable()
    .meta({ description: 'Version stored before this one (null for the first version of the document)' }),
  quarantined: z.boolean().meta({
    description:
      'True when the schedule did not know the RSC when the message was accepted (listed in GET /v1/quarantine of ' +
      'results-ingest); the message is published anyway, consumers may hold it back',
  }),
  baseDocumentKey: z
    .string()
    .nullable()
    .meta({
      description:
        'For _UPDATE types (DT_SCHEDULE_UPDATE, DT_PARTIC_UPDATE): the key of the base document this partial ' +
        'message merges into, item by item (see @podium/odf-message mergeUpdate); null otherwise',
    }),
  resent: z.boolean().meta({ description: 'True when an operator re-published a stored version (resend API)' }),
  receivedAt: utcDateTimeSchema.meta({ description: 'When results-ingest accepted the message' }),
  competition: odfElementSchema
    .nullable()
    .meta({ description: 'The Competition element of the message, null for a withdrawal' }),
};

function resultsDataSchema(feedFlag: 'P' | 'T', current: boolean, title: string) {
  const documentType = current
    ? z.literal('DT_CURRENT')
    : z.enum(DOCUMENT_TYPES_BUT_CURRENT, {
        error: (issue) => `must be an ODF DocumentType other than DT_CURRENT, got ${JSON.stringify(issue.input)}`,
      });
  return odfHeaderSchema
    .safeExtend({
      documentType: documentType.meta({ description: 'ODF DocumentType' }),
      feedFlag: z.literal(feedFlag).meta({ description: feedFlag === 'P' ? 'P: production feed' : 'T: test feed' }),
      ...ingestFields,
    })
    .superRefine((data, ctx) => {
      if (data.withdrawn !== (data.competition === null)) {
        ctx.addIssue({
          code: 'custom',
          path: ['withdrawn'],
          message: 'must be true exactly when competition is null',
        });
      }
      const expectedKey = documentKey(data);
      if (data.documentKey !== expectedKey) {
        ctx.addIssue({ code: 'custom', path: ['documentKey'], message: `must be ${expectedKey}` });
      }
      const prefix = data.documentCode.slice(0, 3);
      const expectedDiscipline = /^[A-Z]{3}$/.test(prefix) ? prefix : null;
      if (data.discipline !== expectedDiscipline) {
        ctx.addIssue({
          code: 'custom',
          path: ['discipline'],
          message: `must be ${expectedDiscipline === null ? 'null' : expectedDiscipline}, from DocumentCode`,
        });
      }
    })
    .meta({ title });
}

/** `data` of the production results subject. */
export const resultsDocumentSchema = resultsDataSchema('P', false, 'ResultsDocument');
/** `data` of the production DT_CURRENT subject. */
export const resultsCurrentSchema = resultsDataSchema('P', true, 'ResultsCurrent');
/** `data` of the test-feed results subject. */
export const resultsTestDocumentSchema = resultsDataSchema('T', false, 'ResultsTestDocument');
/** `data` of the test-feed DT_CURRENT subject. */
export const resultsTestCurrentSchema = resultsDataSchema('T', true, 'ResultsTestCurrent');

/** A published result message (`data`), whatever its family: the ODF JSON form plus what results-ingest adds. */
export type ResultsMessage = z.infer<typeof resultsDocumentSchema> | z.infer<typeof resultsCurrentSchema>
  | z.infer<typeof resultsTestDocumentSchema> | z.infer<typeof resultsTestCurrentSchema>;

const disciplineToken = {
  description: `ODF discipline code: the first 3 characters of DocumentCode ("${NO_DISCIPLINE_TOKEN}" when they are not letters)`,
  example: 'ATH',
};
const rscToken = {
  description:
    'DocumentCode: the RSC for result documents (34 characters, "-" filler); a discipline-level code for ' +
    'DT_SCHEDULE, DT_PARTIC, DT_MEDALS...',
  example: 'ATHM100M--------------FNL-000100--',
};
const documentTypeToken = { description: 'ODF DocumentType (never DT_CURRENT here)', example: 'DT_RESULT' };

const RESULTS_DOCUMENT_TYPE = 'podium.results.document.published.v1';
const RESULTS_CURRENT_TYPE = 'podium.results.current.published.v1';
const RESULTS_TEST_DOCUMENT_TYPE = 'podium.results.test-document.published.v1';
const RESULTS_TEST_CURRENT_TYPE = 'podium.results.test-current.published.v1';

const exampleResult: z.output<typeof resultsDocumentSchema> = {
  competitionCode: 'OG2024',
  documentCode: 'ATHM100M--------------FNL-000100--',
  documentType: 'DT_RESULT',
  version: 7,
  resultStatus: 'OFFICIAL',
  feedFlag: 'P',
  date: '2024-08-04',
  time: '215812345',
  logicalDate: '2024-08-04',
  source: 'SEQATH1',
  language: 'ENG',
  discipline: 'ATH',
  documentKey: 'OG2024|ATHM100M--------------FNL-000100--||DT_RESULT||ENG|P',
  withdrawn: false,
  correction: false,
  officialVersion: null,
  previousVersion: 6,
  quarantined: false,
  baseDocumentKey: null,
  resent: false,
  receivedAt: '2024-08-04T19:58:12.401Z',
  competition: {
    Result: [
      {
        Rank: '1',
        Result: '9.79',
        SortOrder: '1',
        Competitor: [{ Code: '1918447', Type: 'A', Organisation: 'USA' }],
      },
    ],
  },
};

const exampleCurrent: z.output<typeof resultsCurrentSchema> = {
  ...exampleResult,
  documentType: 'DT_CURRENT',
  version: 1342,
  resultStatus: 'LIVE',
  documentKey: 'OG2024|ATHM100M--------------FNL-000100--||DT_CURRENT||ENG|P',
  previousVersion: 1341,
  competition: {
    ExtendedInfos: [{ ExtendedInfo: [{ Type: 'UI', Code: 'RUNNING_TIME', Value: '6.40' }] }],
  },
};

export const resultsDocumentPublished = defineSubject({
  subject: 'ods.results.v1.{discipline}.{rsc}.{documentType}',
  type: RESULTS_DOCUMENT_TYPE,
  source: 'podium/results-ingest',
  stream: resultsStream.name,
  title: 'Result document published',
  description:
    'An ODF message (production feed) accepted by results-ingest: a new version of a document, a withdrawal ' +
    '(competition null), an _UPDATE to merge into its base document, or an operator resend. Header fields are ' +
    'camelCase (data.version, data.resultStatus...). Duplicates and stale versions are never published.',
  version: 1,
  dataschema: dataschemaFor(RESULTS_DOCUMENT_TYPE),
  data: resultsDocumentSchema,
  tokens: { discipline: disciplineToken, rsc: rscToken, documentType: documentTypeToken },
  example: exampleResult,
});

export const resultsCurrentPublished = defineSubject({
  subject: 'ods.results-current.v1.{discipline}.{rsc}',
  type: RESULTS_CURRENT_TYPE,
  source: 'podium/results-ingest',
  stream: resultsCurrentStream.name,
  title: 'Current (running clock) published',
  description:
    'DT_CURRENT of the production feed (running clock and current standings, sub-second), fast path: the stream ' +
    'keeps only the latest message per unit. Ignore a version lower than the one you hold.',
  version: 1,
  dataschema: dataschemaFor(RESULTS_CURRENT_TYPE),
  data: resultsCurrentSchema,
  tokens: { discipline: disciplineToken, rsc: rscToken },
  example: exampleCurrent,
});

export const resultsTestDocumentPublished = defineSubject({
  subject: 'ods.results-test.v1.{discipline}.{rsc}.{documentType}',
  type: RESULTS_TEST_DOCUMENT_TYPE,
  source: 'podium/results-ingest',
  stream: resultsTestStream.name,
  title: 'Test-feed result document published',
  description:
    'Same as ods.results.v1 for test-feed messages (FeedFlag T), kept apart so that rehearsal data never mixes ' +
    'with production.',
  version: 1,
  dataschema: dataschemaFor(RESULTS_TEST_DOCUMENT_TYPE),
  data: resultsTestDocumentSchema,
  tokens: { discipline: disciplineToken, rsc: rscToken, documentType: documentTypeToken },
  example: { ...exampleResult, feedFlag: 'T', documentKey: 'OG2024|ATHM100M--------------FNL-000100--||DT_RESULT||ENG|T' },
});

export const resultsTestCurrentPublished = defineSubject({
  subject: 'ods.results-test-current.v1.{discipline}.{rsc}',
  type: RESULTS_TEST_CURRENT_TYPE,
  source: 'podium/results-ingest',
  stream: resultsTestCurrentStream.name,
  title: 'Test-feed current (running clock) published',
  description: 'Same as ods.results-current.v1 for test-feed messages (FeedFlag T).',
  version: 1,
  dataschema: dataschemaFor(RESULTS_TEST_CURRENT_TYPE),
  data: resultsTestCurrentSchema,
  tokens: { discipline: disciplineToken, rsc: rscToken },
  example: { ...exampleCurrent, feedFlag: 'T', documentKey: 'OG2024|ATHM100M--------------FNL-000100--||DT_CURRENT||ENG|T' },
});

/** Results subjects, registered in the central registry (registry.ts). */
export const resultsSubjects = [
  resultsDocumentPublished,
  resultsCurrentPublished,
  resultsTestDocumentPublished,
  resultsTestCurrentPublished,
] as const;
export const resultsStreams = [resultsStream, resultsCurrentStream, resultsTestStream, resultsTestCurrentStream] as const;

export type ResultsSubjectKey = (typeof resultsSubjects)[number]['subject'];

/** The subject key of a message: by feed (P/T) and whether it is DT_CURRENT. */
export function resultsSubjectKey(message: { feedFlag: 'P' | 'T'; documentType: string }): ResultsSubjectKey {
  const current = message.documentType === 'DT_CURRENT';
  if (message.feedFlag === 'T') {
    return current ? resultsTestCurrentPublished.subject : resultsTestDocumentPublished.subject;
  }
  return current ? resultsCurrentPublished.subject : resultsDocumentPublished.subject;
}

/** The token values of a message's subject (`{discipline}`, `{rsc}` and, except for DT_CURRENT, `{documentType}`). */
export function resultsSubjectTokens(message: {
  documentCode: string;
  documentType: string;
  discipline: string | null;
}): { discipline: string; rsc: string; documentType: string } {
  return {
    discipline: message.discipline ?? NO_DISCIPLINE_TOKEN,
    rsc: message.documentCode,
    documentType: message.documentType,
  };
}

/** The concrete subject of a message (no NATS_PREFIX), e.g. 'ods.results.v1.ATH.ATHM100M…FNL-000100--.DT_RESULT'. */
export function resultsSubjectOf(message: {
  feedFlag: 'P' | 'T';
  documentCode: string;
  documentType: string;
  discipline: string | null;
}): string {
  const key = resultsSubjectKey(message);
  const tokens = resultsSubjectTokens(message);
  const family = key.slice(0, key.indexOf('.{'));
  return message.documentType === 'DT_CURRENT'
    ? `${family}.${tokens.discipline}.${tokens.rsc}`
    : `${family}.${tokens.discipline}.${tokens.rsc}.${tokens.documentType}`;
}

const EVENT_ID_NAMESPACE = 'podium.results-ingest.v1';

/**
 * The deterministic envelope id (= Nats-Msg-Id) of a document version: a UUID (version 5 layout) of the SHA-1 of
 * `documentKey` and `version` (and an optional `variant`, e.g. 'merge:<n>'). Re-accepting or re-publishing the same
 * version always yields the same id, so JetStream de-duplicates it within the stream's duplicate window.
 */
export function resultsEventId(documentKeyValue: string, version: number, variant = ''): string {
  const hash = createHash('sha1')
    .update(`${EVENT_ID_NAMESPACE}\n${documentKeyValue}\n${version}\n${variant}`)
    .digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic data, for whatever plays results-ingest without running it: the tests of the services that follow the
// results streams, and the ODS benchmark's direct mode. results-ingest itself builds the data from what it decided
// on acceptance (`resultsDataOf` in apps/results-ingest/src/intake/intake.logic.ts).
// ---------------------------------------------------------------------------------------------------------------

/**
 * The `data` results-ingest publishes for an ODF message (its JSON form, e.g. `makeResultMessage(...).json`) accepted
 * as a plain new version: the fields derived from the message computed as results-ingest computes them (discipline,
 * documentKey, withdrawn, baseDocumentKey of an _UPDATE), and the acceptance decided the ordinary way (no correction,
 * not quarantined, not resent, previous version = version - 1, received now). `overrides` go on top, e.g.
 * `{ correction: true, officialVersion: 1 }`. Not validated here: `envelopeFor` validates it when it is published.
 */
export function syntheticResultsData(json: OdfJson, overrides: Partial<ResultsMessage> = {}): ResultsMessage {
  const prefix = json.documentCode.slice(0, 3);
  const update = updateRuleOf(json.documentType);
  return {
    ...json,
    discipline: /^[A-Z]{3}$/.test(prefix) ? prefix : null,
    documentKey: documentKey(json),
    withdrawn: json.competition === null,
    correction: false,
    officialVersion: null,
    previousVersion: json.version > 1 ? json.version - 1 : null,
    quarantined: false,
    baseDocumentKey: update ? documentKey({ ...json, documentType: update.baseType }) : null,
    resent: false,
    receivedAt: new Date().toISOString(),
    ...overrides,
  } as ResultsMessage;
}

// ---------------------------------------------------------------------------------------------------------------
// Intake (results-ingest): the ack returned by POST /v1/messages and by the NATS request/reply intake.
// ---------------------------------------------------------------------------------------------------------------

/** Core NATS request/reply intake for on-venue systems (not a JetStream subject). */
export const INGEST_RPC_SUBJECT = 'ods.ingest.v1.messages';
/** Header carrying the API key, over HTTP (`X-API-KEY`) and NATS (`x-api-key`). */
export const INGEST_API_KEY_HEADER = 'x-api-key';

export const INGEST_OUTCOMES = ['applied', 'duplicate', 'stale', 'withdrawn', 'quarantined'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

/**
 * The NATS intake request (JSON): one ODF message, as XML text (`xml`) or as its JSON form (`message`), exactly one;
 * the API key in the `x-api-key` header, or in `apiKey` for a request of at most 64 KB (results-ingest checks the header
 * before reading the body, and reads no larger body without it). The NATS server's max_payload (1 MB by default) bounds
 * its size: larger messages go over HTTP.
 */
export const ingestRequestSchema = z
  .object({
    apiKey: z.string().min(1).optional(),
    xml: z.string().min(1).optional(),
    message: z.unknown().optional(),
  })
  .refine((r) => (r.xml === undefined) !== (r.message === undefined), {
    message: 'give exactly one of xml (the ODF message as XML text) and message (its JSON form)',
    path: ['xml'],
  })
  .meta({ title: 'IngestRequest' });
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

/** What happened to an accepted message (HTTP 200 body and NATS reply). */
export const ingestAckSchema = z
  .object({
    outcome: z.enum(INGEST_OUTCOMES).meta({
      description:
        'applied: a new version (or an _UPDATE merged), published; duplicate: this version was already accepted ' +
        '(not published again); stale: lower than the stored version (recorded, not published); withdrawn: the ' +
        'document is withdrawn (published); quarantined: accepted and published but the schedule does not know the RSC',
    }),
    documentKey: z.string(),
    documentType: z.string(),
    version: z.int().min(1).max(MAX_ODF_VERSION),
    previousVersion: z.int().min(0).max(MAX_ODF_VERSION).nullable(),
    resultStatus: z.string().nullable(),
    feedFlag: z.enum(['P', 'T']),
    published: z.boolean().meta({ description: 'True when this request published the message on JetStream' }),
    subject: z.string().nullable().meta({ description: 'Subject it was published on (without NATS_PREFIX)' }),
    streamSeq: z.int().nullable().meta({ description: 'JetStream sequence of the published message' }),
    eventId: z.uuid().nullable().meta({ description: 'Envelope id = Nats-Msg-Id of the published message' }),
    correction: z.boolean(),
    quarantined: z.boolean(),
    reason: z.string(),
    warnings: z.array(z.string()),
  })
  .meta({ title: 'IngestAck' });
export type IngestAck = z.infer<typeof ingestAckSchema>;
