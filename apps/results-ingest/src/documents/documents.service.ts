import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  DATA_CONTENT_TYPE,
  type PayloadOf,
  type ResultsMessage,
  resultsSubjectKey,
  type ResultsSubjectKey,
  resultsSubjectOf,
  resultsSubjectTokens,
  subjectDefinition,
} from '@podium/contracts';
import {
  buildMessage,
  type OdfElement,
  odfHeaderSchema,
  type OdfMessage,
  parseDocumentKey,
  toOdfJson,
} from '@podium/odf-message';
import { CONFIG, CORRELATION_ID_HEADER, getCorrelationId, NatsPublisher, OutboxWriter, ProblemException } from '@podium/platform';
import { z } from 'zod';

import type { ResultsIngestConfig } from '../app/config';
import { type Document, type DocumentVersion, PrismaService } from '../database/prisma.service';
import { IngestError, parseJsonText, parseXmlInput, resultsDataOf } from '../intake/intake.logic';
import { PublishWaiter } from '../intake/publish-waiter';

/** Filters that pick one document among those with the same DocumentCode and DocumentType. */
export const documentFilterSchema = z.strictObject({
  competitionCode: z.string().min(1).optional(),
  documentSubcode: z.string().min(1).optional(),
  documentSubtype: z.string().min(1).optional(),
  language: z.string().min(1).optional(),
  feedFlag: z.enum(['P', 'T']).optional(),
});
export type DocumentFilter = z.infer<typeof documentFilterSchema>;

export const documentKeySchema = z
  .string()
  .refine((key) => parseDocumentKey(key) !== null, {
    message:
      'must be a document key CompetitionCode|DocumentCode|DocumentSubcode|DocumentType|DocumentSubtype|Language|FeedFlag ' +
      '(URL-encode "|" as %7C)',
  });

export const documentViewSchema = z
  .object({
    documentKey: z.string(),
    competitionCode: z.string(),
    documentCode: z.string(),
    documentSubcode: z.string().nullable(),
    documentType: z.string(),
    documentSubtype: z.string().nullable(),
    language: z.string().nullable(),
    feedFlag: z.string(),
    discipline: z.string().nullable(),
    source: z.string().meta({
      description: 'ODF Source of the first accepted version: the only Source whose messages this document accepts',
    }),
    version: z.int(),
    resultStatus: z.string().nullable(),
    withdrawn: z.boolean(),
    officialVersion: z.int().nullable(),
    notes: z.array(z.string()),
    quarantined: z.boolean(),
    receivedAt: z.string(),
    competition: z.unknown().nullable().meta({
      description: 'Current content where kept: merged base documents (DT_SCHEDULE, DT_PARTIC) and DT_CURRENT; else null',
    }),
  })
  .meta({ id: 'ResultsDocumentState' });

export const versionSummarySchema = z
  .object({
    id: z.string(),
    version: z.int(),
    disposition: z.string().meta({ description: 'applied | merged | withdrawn | stale | conflict | current (DT_CURRENT, latest only)' }),
    resultStatus: z.string().nullable(),
    source: z.string(),
    correction: z.boolean(),
    quarantined: z.boolean(),
    format: z.string(),
    eventId: z.string().nullable(),
    receivedAt: z.string(),
  })
  .meta({ id: 'ResultsDocumentVersion' });
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const storedVersionSchema = versionSummarySchema
  .extend({ documentKey: z.string(), message: z.unknown().meta({ description: 'The ODF message in its JSON form' }) })
  .meta({ id: 'ResultsStoredVersion' });

export const resendResultSchema = z
  .object({
    documentKey: z.string(),
    version: z.int(),
    eventId: z.uuid(),
    subject: z.string(),
    streamSeq: z.int().nullable(),
  })
  .meta({ id: 'ResultsResend' });
export type ResendResult = z.infer<typeof resendResultSchema>;

const PUBLISHED_DISPOSITIONS = ['applied', 'merged', 'withdrawn'];

function notFound(detail: string): ProblemException {
  return new ProblemException({ status: 404, slug: 'document-not-found', detail });
}

/** The audit and resend API over stored documents and versions. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
    private readonly publisher: NatsPublisher,
    private readonly waiter: PublishWaiter,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  /** Quarantined documents (RSC unknown to the schedule), latest first, and how many there are in all. */
  async quarantined(filter: { discipline?: string; feedFlag?: 'P' | 'T'; limit: number }) {
    const where = {
      quarantined: true,
      ...(filter.discipline ? { discipline: filter.discipline } : {}),
      ...(filter.feedFlag ? { feedFlag: filter.feedFlag } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.document.findMany({ where, orderBy: { receivedAt: 'desc' }, take: filter.limit }),
      this.prisma.document.count({ where }),
    ]);
    return {
      total,
      items: rows.map((r) => ({
        documentKey: r.key,
        documentCode: r.documentCode,
        documentType: r.documentType,
        discipline: r.discipline,
        feedFlag: r.feedFlag,
        version: Number(r.version),
        resultStatus: r.resultStatus,
        receivedAt: r.receivedAt.toISOString(),
      })),
    };
  }

  /** The one document with this DocumentCode and DocumentType (and filters); 404 when none, 409 when several. */
  async resolveKey(documentCode: string, documentType: string, filter: DocumentFilter): Promise<string> {
    const rows = await this.prisma.document.findMany({
      where: { documentCode, documentType, ...filter },
      select: { key: true },
      orderBy: { key: 'asc' },
      take: 20,
    });
    if (rows.length === 0) throw notFound(`No ${documentType} document ${documentCode}${Object.keys(filter).length ? ' matching the filters' : ''}`);
    if (rows.length > 1) {
      throw new ProblemException({
        status: 409,
        slug: 'ambiguous-document',
        detail:
          `${rows.length} documents are ${documentType} ${documentCode}: narrow with competitionCode, documentSubcode, ` +
          `documentSubtype, language or feedFlag, or use the document key.`,
        extensions: { documentKeys: rows.map((r) => r.key) },
      });
    }
    return (rows[0] as { key: string }).key;
  }

  async document(key: string): Promise<z.infer<typeof documentViewSchema>> {
    const row = await this.prisma.document.findUnique({ where: { key } });
    if (!row) throw notFound(`No document ${key}`);
    return documentView(row);
  }

  async versions(key: string): Promise<VersionSummary[]> {
    const rows = await this.prisma.documentVersion.findMany({
      where: { documentKey: key },
      orderBy: { id: 'asc' },
      omit: { raw: true, header: true },
    });
    if (rows.length > 0) return rows.map(versionSummary);
    const doc = await this.prisma.document.findUnique({ where: { key } });
    if (!doc) throw notFound(`No document ${key}`);
    return doc.documentType === 'DT_CURRENT' ? [currentSummary(doc)] : [];
  }

  /** A stored version: the accepted (published) one when the same Version was also received stale or conflicting. */
  async version(key: string, version: number): Promise<z.infer<typeof storedVersionSchema> & { raw: string }> {
    const found = await this.findVersion(key, version);
    if (found.kind === 'current') {
      const message = messageOfDocument(found.doc);
      return { ...currentSummary(found.doc), documentKey: key, message: toOdfJson(message), raw: JSON.stringify(toOdfJson(message)) };
    }
    const message = messageOfVersion(found.row);
    return { ...versionSummary(found.row), documentKey: key, message: toOdfJson(message), raw: found.row.raw };
  }

  /**
   * Publishes a stored version again (role ods-operator), for partners that missed it: same `data` with `resent: true`
   * and a fresh envelope id (so JetStream does not drop it as a duplicate). Through the outbox, in document order.
   */
  async resend(key: string, version: number): Promise<ResendResult> {
    const found = await this.findVersion(key, version);
    const doc = await this.prisma.document.findUnique({ where: { key } });
    if (!doc) throw notFound(`No document ${key}`);
    const eventId = randomUUID();
    const officialVersion = doc.officialVersion === null ? null : Number(doc.officialVersion);

    if (found.kind === 'current') {
      const data = resultsDataOf(messageOfDocument(doc), {
        correction: false,
        officialVersion,
        notes: doc.notes,
        previousVersion: null,
        quarantined: doc.quarantined,
        resent: true,
        receivedAt: doc.receivedAt,
      });
      const definition = subjectDefinition(resultsSubjectKey(data));
      const subject = resultsSubjectOf(data);
      const envelope = {
        id: eventId,
        type: definition.type,
        source: definition.source,
        time: new Date().toISOString(),
        dataschema: definition.dataschema,
        datacontenttype: DATA_CONTENT_TYPE,
        data,
      };
      const ack = await this.publisher.publishEnvelope(subject, envelope, {
        headers: { [CORRELATION_ID_HEADER]: getCorrelationId() },
      });
      return { documentKey: key, version, eventId, subject, streamSeq: ack.seq };
    }

    if (!PUBLISHED_DISPOSITIONS.includes(found.row.disposition)) {
      throw new ProblemException({
        status: 409,
        slug: 'version-not-published',
        detail: `Version ${version} of ${key} was ${found.row.disposition}, never published: there is nothing to resend.`,
      });
    }
    const data: ResultsMessage = resultsDataOf(messageOfVersion(found.row), {
      correction: found.row.correction,
      officialVersion,
      notes: doc.notes,
      previousVersion: null,
      quarantined: found.row.quarantined,
      resent: true,
      receivedAt: found.row.receivedAt,
    });
    const subjectKey: ResultsSubjectKey = resultsSubjectKey(data);
    await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      await this.outbox.enqueue(tx, subjectKey, data as PayloadOf<ResultsSubjectKey>, {
        id: eventId,
        tokens: resultsSubjectTokens(data),
      });
    });
    const state = await this.waiter.wait(eventId, this.config.INGEST_PUBLISH_TIMEOUT_MS);
    if (!state.published) {
      throw new IngestError('publish-pending', `The resend of Version ${version} of ${key} is queued but not yet published.`);
    }
    return { documentKey: key, version, eventId, subject: resultsSubjectOf(data), streamSeq: state.streamSeq };
  }

  private async findVersion(
    key: string,
    version: number,
  ): Promise<{ kind: 'version'; row: DocumentVersion } | { kind: 'current'; doc: Document }> {
    const rows = await this.prisma.documentVersion.findMany({
      where: { documentKey: key, version: BigInt(version) },
      orderBy: { id: 'asc' },
    });
    const row = rows.find((r) => PUBLISHED_DISPOSITIONS.includes(r.disposition)) ?? rows[rows.length - 1];
    if (row) return { kind: 'version', row };
    const doc = await this.prisma.document.findUnique({ where: { key } });
    if (doc && doc.documentType === 'DT_CURRENT' && Number(doc.version) === version) return { kind: 'current', doc };
    throw notFound(
      doc?.documentType === 'DT_CURRENT'
        ? `DT_CURRENT keeps only its latest Version (${Number(doc.version)}), not Version ${version}`
        : `No Version ${version} of ${key}`,
    );
  }
}

function messageOfVersion(row: DocumentVersion): OdfMessage {
  try {
    return (row.format === 'xml' ? parseXmlInput(row.raw) : parseJsonText(row.raw)).message;
  } catch (error) {
    throw new Error(`Stored version ${row.id} of ${row.documentKey} no longer parses: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function messageOfDocument(doc: Document): OdfMessage {
  return buildMessage(odfHeaderSchema.parse(doc.header), (doc.competition ?? null) as OdfElement | null);
}

function versionSummary(row: Omit<DocumentVersion, 'raw' | 'header'>): VersionSummary {
  return {
    id: String(row.id),
    version: Number(row.version),
    disposition: row.disposition,
    resultStatus: row.resultStatus,
    source: row.source,
    correction: row.correction,
    quarantined: row.quarantined,
    format: row.format,
    eventId: row.eventId,
    receivedAt: row.receivedAt.toISOString(),
  };
}

function currentSummary(doc: Document): VersionSummary {
  const header = odfHeaderSchema.parse(doc.header);
  return {
    id: 'current',
    version: Number(doc.version),
    disposition: 'current',
    resultStatus: doc.resultStatus,
    source: header.source,
    correction: false,
    quarantined: doc.quarantined,
    format: 'json',
    eventId: doc.eventId,
    receivedAt: doc.receivedAt.toISOString(),
  };
}

export function documentView(row: Document): z.infer<typeof documentViewSchema> {
  return {
    documentKey: row.key,
    competitionCode: row.competitionCode,
    documentCode: row.documentCode,
    documentSubcode: row.documentSubcode,
    documentType: row.documentType,
    documentSubtype: row.documentSubtype,
    language: row.language,
    feedFlag: row.feedFlag,
    discipline: row.discipline,
    source: row.source,
    version: Number(row.version),
    resultStatus: row.resultStatus,
    withdrawn: row.withdrawn,
    officialVersion: row.officialVersion === null ? null : Number(row.officialVersion),
    notes: row.notes,
    quarantined: row.quarantined,
    receivedAt: row.receivedAt.toISOString(),
    competition: row.competition ?? null,
  };
}
