import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DATA_CONTENT_TYPE,
  type IngestAck,
  type PayloadOf,
  resultsEventId,
  type ResultsMessage,
  resultsSubjectKey,
  type ResultsSubjectKey,
  resultsSubjectOf,
  resultsSubjectTokens,
  subjectDefinition,
} from '@podium/contracts';
import {
  buildMessage,
  type Decision,
  decide,
  fingerprint,
  isUpdateType,
  mergeUpdate,
  nextState,
  type OdfElement,
  odfHeaderSchema,
  type OdfMessage,
} from '@podium/odf-message';
import {
  CONFIG,
  CORRELATION_ID_HEADER,
  getCorrelationId,
  NatsConnectionService,
  NatsPublisher,
  OutboxRelay,
  OutboxWriter,
  PgPool,
  type PgTx,
} from '@podium/platform';

import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { type AnswerOutcome, IngestMetrics } from './ingest-metrics';
import {
  assertSameSource,
  CONTENT_KEPT_TYPES,
  correctionNote,
  dispositionOf,
  IngestError,
  lockKeyOf,
  outcomeOf,
  type ParsedInput,
  resultsDataOf,
  type ScheduleMatch,
  scheduleMatchOf,
  storedStateOf,
} from './intake.logic';
import { type DocumentState, type DocumentWrite, intakeStore, type PreparedOutboxEvent, type WriteOutcome } from './intake.store';
import { KeyedSerializer } from './keyed-serializer';
import { StateCache } from './state-cache';
import { PublishWaiter } from './publish-waiter';

/** Room left in NATS max_payload for the envelope attributes and headers. */
const ENVELOPE_MARGIN_BYTES = 4 * 1024;

/** Single-statement writes tried (each after a fresh read) before the transaction takes over. */
const ONE_STATEMENT_ATTEMPTS = 3;

/** Documents (and RSCs) whose last seen state a replica keeps: a guess checked by every write, so only a cost bound. */
const CACHED_DOCUMENTS = 50_000;
const CACHED_SCHEDULE_MATCHES = 20_000;

function matchKeyOf(match: ScheduleMatch): string {
  return `${match.column}:${match.value}`;
}

/** What the transaction decided, for the answer. */
interface Accepted {
  decision: Decision;
  quarantined: boolean;
  /** The event to wait for: the new publication, or the stored version's (duplicate). */
  eventId: string | null;
  /** This request created the publication. */
  publishes: boolean;
  subject: string | null;
  /** Already published (a duplicate whose publication is done): no need to wait. */
  published?: { streamSeq: number | null } | null;
}

/** Channel of a request, for metrics. */
export type IngestChannel = 'http' | 'nats';

/**
 * The intake: applies the ODF version rules to a parsed message, stores it and publishes it.
 *
 * Documents (everything but DT_CURRENT): the version is recorded (document_version), the document row updated and the
 * event written to the outbox atomically, serialized per document by an advisory lock on its key (and in this process
 * by a KeyedSerializer). A new version to publish (the common case) takes ONE statement: decided against the state
 * this replica last read or wrote, written only if the row still holds that state (optimistic: another replica may
 * have written first; then read again and decide again). Duplicates, stale versions and _UPDATE merges take a
 * transaction that reads under the lock. The answer waits for the OutboxRelay to publish the event (in commit order, Nats-Msg-Id = resultsEventId(key, version)), so a 200 means
 * stored AND published. If the relay is late, the answer is 503 `publish-pending`: the message is stored and will be
 * published; a retry answers `duplicate` once it is.
 *
 * DT_CURRENT (fast path, latest only): no version history and no outbox: a conditional upsert of the document row
 * (only a higher Version wins), then a direct JetStream publish awaited for its ack (same deterministic Nats-Msg-Id);
 * requests for one document are serialized in this process. A failed publish answers 503 and a retry republishes.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger('Intake');
  private readonly currentSerializer = new KeyedSerializer();
  private readonly documentSerializer = new KeyedSerializer();
  /** The stored state of documents as this replica last read or wrote it (null: no row). */
  private readonly documents = new StateCache<DocumentState | null>(CACHED_DOCUMENTS);
  /** Whether the schedule knows an RSC, as this replica last saw it. */
  private readonly known = new StateCache<boolean>(CACHED_SCHEDULE_MATCHES);
  private outboxPartOf?: ReturnType<OutboxWriter['statementPart']>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly pg: PgPool,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly publisher: NatsPublisher,
    private readonly nats: NatsConnectionService,
    private readonly waiter: PublishWaiter,
    private readonly metrics: IngestMetrics,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  /** The outbox insert of the single statement (gate: the document upsert; parameters from $35, see intakeStore). */
  private get outboxPart(): ReturnType<OutboxWriter['statementPart']> {
    return (this.outboxPartOf ??= this.outbox.statementPart('doc', 'inserted', 35));
  }

  /** Accepts one parsed message sent with a key allowed for `sources`. */
  async ingest(input: ParsedInput, sources: '*' | readonly string[], channel: IngestChannel): Promise<IngestAck> {
    const { header } = input.message;
    if (sources !== '*' && !sources.includes(header.source)) {
      throw new IngestError('source-not-allowed', `This API key may not send messages for Source ${header.source}.`, [
        { field: 'body.Source', message: `is not one of the Sources bound to the API key` },
      ]);
    }
    const started = process.hrtime.bigint();
    const current = header.documentType === 'DT_CURRENT';
    let ack: IngestAck;
    try {
      ack = current ? await this.ingestCurrent(input) : await this.ingestDocument(input);
    } catch (error) {
      this.metrics.answered(channel, answerOutcomeOf(error));
      throw error;
    }
    this.metrics.answered(channel, 'ok');
    this.metrics.observe(current ? 'current' : 'document', Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.accepted(ack.outcome, header.documentType, header.feedFlag, channel);
    if (ack.quarantined && ack.published) this.metrics.quarantine(input.message.discipline, header.documentType, header.feedFlag);
    return ack;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Documents: transactional outbox, answer after the relay published.
  // ---------------------------------------------------------------------------------------------------------------

  private async ingestDocument(input: ParsedInput): Promise<IngestAck> {
    const { message } = input;
    // One request per document at a time in this process (other replicas: the advisory lock and the statement's checks).
    const queued = performance.now();
    let storing = queued;
    const accepted = await this.documentSerializer.run(lockKeyOf(message), () => {
      storing = performance.now();
      return this.storeDocument(input);
    });
    const stored = performance.now();
    this.metrics.stage('wait', (storing - queued) / 1e3);
    this.metrics.stage('store', (stored - storing) / 1e3);

    let streamSeq: number | null = null;
    if (accepted.published) {
      streamSeq = accepted.published.streamSeq;
    } else if (accepted.eventId !== null) {
      const state = await this.waiter.wait(accepted.eventId, this.config.INGEST_PUBLISH_TIMEOUT_MS);
      this.metrics.stage('publish', (performance.now() - stored) / 1e3);
      if (!state.published) {
        throw new IngestError(
          'publish-pending',
          `Version ${message.header.version} of ${message.key} is stored (${outcomeOf(accepted.decision, accepted.quarantined)}) ` +
            'but not yet published: send the same message again later (it will be answered as a duplicate once published).',
        );
      }
      streamSeq = state.streamSeq;
    }
    return this.ack(message, accepted, streamSeq);
  }

  /**
   * Stores a document message: a version to publish (anything but an _UPDATE merge) in one statement against the
   * state this replica last saw, retried on a fresh read when that state or the schedule's answer changed meanwhile;
   * everything else (duplicates, stale versions, _UPDATE merges), or a write still conflicting after the retries, in
   * the transaction.
   */
  private async storeDocument(input: ParsedInput): Promise<Accepted> {
    if (!isUpdateType(input.message.header.documentType)) {
      for (let attempt = 1; attempt <= ONE_STATEMENT_ATTEMPTS; attempt++) {
        const accepted = await this.storeInOneStatement(input);
        if (accepted === 'transaction') break;
        if (accepted !== 'retry') return accepted;
        this.metrics.writeConflict();
      }
    }
    try {
      return await this.storeInTransaction(input);
    } finally {
      this.documents.delete(input.message.key);
      this.documents.delete(lockKeyOf(input.message));
    }
  }

  /** 'transaction': not a plain new version; 'retry': the document or the schedule changed since read (nothing written). */
  private async storeInOneStatement(input: ParsedInput): Promise<Accepted | 'transaction' | 'retry'> {
    const { message } = input;
    const { key } = message;
    let stored = this.documents.get(key);
    if (stored === undefined) {
      stored = await intakeStore.document(this.pg.pool, key);
      this.documents.set(key, stored);
    }
    // A row's Source never changes, so a cached row answers for it; a row this replica has not seen yet makes the
    // statement write nothing (it creates only where no row exists), and the read of the retry finds it.
    assertSameSource(stored, message);
    const decision = decide(stored ? storedStateOf(stored) : null, message);
    if (!decision.publish || decision.kind === 'merge') return 'transaction';

    const match = scheduleMatchOf(message);
    const known = match === null ? true : await this.knownGuess(match);
    const publication = this.publicationOf(input, stored, decision, !known, new Date());
    let outcome: WriteOutcome;
    try {
      outcome = await intakeStore.writeAccepted(
        this.pg.pool,
        publication.document,
        {
          disposition: dispositionOf(decision),
          source: message.header.source,
          correction: decision.correction,
          format: input.format,
          raw: input.raw,
        },
        { stored, match, known },
        this.outboxPart,
        publication.event,
      );
    } catch (error) {
      this.documents.delete(key); // it may have been written before the connection failed
      throw error;
    }
    if (!outcome.written) {
      if (match !== null && outcome.known !== known) this.known.set(matchKeyOf(match), outcome.known);
      else this.documents.delete(key);
      return 'retry';
    }
    // Committed (autocommit): this replica's relay, when active, publishes it without reading it back.
    if (outcome.outboxId !== null) this.relay.handOver(outcome.outboxId, publication.event);
    const d = publication.document;
    this.documents.set(key, {
      key,
      source: stored?.source ?? d.source,
      version: d.version,
      resultStatus: d.resultStatus,
      withdrawn: d.withdrawn,
      fingerprint: d.fingerprint,
      officialVersion: d.officialVersion,
      notes: [...d.notes],
      quarantined: d.quarantined,
      eventId: d.eventId,
      eventPublished: false,
      eventSeq: null,
    });
    return {
      decision,
      quarantined: d.quarantined,
      eventId: publication.event.id,
      publishes: true,
      subject: publication.subject,
      published: null,
    };
  }

  /** Whether the schedule knows the RSC, as last seen by this replica (a guess the write checks). */
  private async knownGuess(match: ScheduleMatch): Promise<boolean> {
    const cacheKey = matchKeyOf(match);
    const cached = this.known.get(cacheKey);
    if (cached !== undefined) return cached;
    const known = await intakeStore.isKnown(this.pg.pool, match);
    this.known.set(cacheKey, known);
    return known;
  }

  /**
   * What an accepted version to publish writes: the document row, the published data and its outbox event (built from
   * the validated message: not parsed against the contract again; serialised once, its size checked here).
   */
  private publicationOf(
    input: ParsedInput,
    row: DocumentState | null,
    decision: Decision,
    quarantined: boolean,
    receivedAt: Date,
  ): { document: DocumentWrite; event: PreparedOutboxEvent; subject: string } {
    const { message } = input;
    const officialVersion = row?.officialVersion ?? null;
    const note = correctionNote(message, decision, officialVersion, receivedAt);
    const notes = note === null ? (row?.notes ?? []) : [...(row?.notes ?? []), note];
    const eventId = resultsEventId(message.key, message.header.version);
    const data = resultsDataOf(message, {
      correction: decision.correction,
      officialVersion,
      notes,
      previousVersion: decision.previousVersion,
      quarantined,
      resent: false,
      receivedAt,
    });
    const event = this.outbox.prepare(resultsSubjectKey(data), data as PayloadOf<ResultsSubjectKey>, {
      id: eventId,
      tokens: resultsSubjectTokens(data),
      time: data.receivedAt,
      validated: true,
    });
    this.assertPublishable(event.publishedBytes);
    const state = nextState(row ? storedStateOf(row) : null, message, decision);
    const document = this.documentWriteOf(message, {
      version: message.header.version,
      fingerprint: state?.fingerprint ?? fingerprint(message),
      officialVersion: state?.officialVersion ?? null,
      notes,
      quarantined,
      eventId,
      receivedAt,
      competition: CONTENT_KEPT_TYPES.has(message.header.documentType) ? message.competition : null,
    });
    return { document, event, subject: resultsSubjectOf(data) };
  }

  /** The transactional path: the document's advisory lock, a fresh read, then the writes (merges included). */
  private async storeInTransaction(input: ParsedInput): Promise<Accepted> {
    const { message } = input;
    const receivedAt = new Date();
    // Read before taking the document lock (another table; keeps the critical section short).
    const unknownRsc = await this.isQuarantined(scheduleMatchOf(message));
    return this.pg.transaction(async (tx) => {
      await intakeStore.lock(tx, lockKeyOf(message));
      const row = await intakeStore.document(tx, message.key);
      assertSameSource(row, message);
      // An _UPDATE changes its base document too: it must come from the base's Source as well.
      if (isUpdateType(message.header.documentType)) assertSameSource(await intakeStore.document(tx, lockKeyOf(message)), message);
      const decision = decide(row ? storedStateOf(row) : null, message);

      if (!decision.publish) {
        if (decision.record) await this.recordVersion(tx, input, decision, { eventId: null, quarantined: false, receivedAt });
        const duplicateOf = decision.kind === 'duplicate' ? row : null;
        return {
          decision,
          quarantined: row?.quarantined ?? false,
          eventId: duplicateOf?.eventId ?? null,
          publishes: false,
          subject: null,
          // A duplicate answers once the stored version's publication is done; usually it already is.
          published: duplicateOf?.eventPublished ? { streamSeq: duplicateOf.eventSeq } : null,
        } satisfies Accepted;
      }

      const quarantined = unknownRsc;
      const publication = this.publicationOf(input, row, decision, quarantined, receivedAt);
      await this.recordVersion(tx, input, decision, { eventId: publication.event.id, quarantined, receivedAt });
      await intakeStore.upsertDocument(tx, publication.document);
      if (decision.kind === 'merge') await this.mergeIntoBase(tx, message, receivedAt);
      await this.outbox.insert(intakeStore.outbox(tx), publication.event);
      return {
        decision,
        quarantined,
        eventId: publication.event.id,
        publishes: true,
        subject: publication.subject,
        published: null,
      } satisfies Accepted;
    });
  }

  /** Merges an accepted _UPDATE into its base document (the lock on the base key is held). */
  private async mergeIntoBase(tx: PgTx, update: OdfMessage, receivedAt: Date): Promise<void> {
    const baseKey = lockKeyOf(update);
    const row = await intakeStore.baseDocument(tx, baseKey);
    const base =
      row && !row.withdrawn && row.competition !== null
        ? buildMessage(odfHeaderSchema.parse(row.header), row.competition as OdfElement)
        : null;
    const merged = mergeUpdate(base, update);
    // A withdrawn base that an update revives keeps its Version, so an older full document stays stale.
    const version = Math.max(merged.header.version, row ? row.version : 0);
    const header = { ...merged.header, version };
    await intakeStore.upsertDocument(tx, this.documentWriteOf(buildMessage(header, merged.competition), {
      version,
      fingerprint: fingerprint(merged),
      officialVersion: row?.officialVersion ?? null,
      notes: row?.notes ?? [],
      quarantined: row?.quarantined ?? false,
      eventId: row?.eventId ?? null,
      receivedAt,
      competition: merged.competition,
    }));
  }

  private async recordVersion(
    tx: PgTx,
    input: ParsedInput,
    decision: Decision,
    extra: { eventId: string | null; quarantined: boolean; receivedAt: Date },
  ): Promise<void> {
    const { header } = input.message;
    await intakeStore.insertVersion(tx, {
      documentKey: input.message.key,
      version: header.version,
      disposition: dispositionOf(decision),
      resultStatus: header.resultStatus ?? null,
      source: header.source,
      correction: decision.correction,
      quarantined: extra.quarantined,
      format: input.format,
      raw: input.raw,
      header,
      eventId: extra.eventId,
      receivedAt: extra.receivedAt,
    });
  }

  private documentWriteOf(
    message: OdfMessage,
    s: {
      version: number;
      fingerprint: string;
      officialVersion: number | null;
      notes: readonly string[];
      quarantined: boolean;
      eventId: string | null;
      receivedAt: Date;
      competition: OdfElement | null;
    },
  ): DocumentWrite {
    const h = message.header;
    return {
      key: message.key,
      source: h.source,
      competitionCode: h.competitionCode,
      documentCode: h.documentCode,
      documentSubcode: h.documentSubcode ?? null,
      documentType: h.documentType,
      documentSubtype: h.documentSubtype ?? null,
      language: h.language ?? null,
      feedFlag: h.feedFlag,
      discipline: message.discipline,
      version: s.version,
      resultStatus: h.resultStatus ?? null,
      withdrawn: message.withdrawal,
      fingerprint: s.fingerprint,
      officialVersion: s.officialVersion,
      notes: s.notes,
      quarantined: s.quarantined,
      header: h,
      competition: s.competition,
      eventId: s.eventId,
      receivedAt: s.receivedAt,
    };
  }

  private async isQuarantined(match: ScheduleMatch | null): Promise<boolean> {
    return !(await intakeStore.isKnown(this.pg.pool, match));
  }

  /** A message whose JSON form cannot fit in one NATS message is refused before anything is stored. */
  private assertPublishable(size: number): void {
    const maxPayload = this.nats.connection.info?.max_payload ?? 1024 * 1024;
    if (size + ENVELOPE_MARGIN_BYTES > maxPayload) {
      throw new IngestError(
        'payload-too-large',
        `The message's JSON form is ${size} bytes: more than NATS accepts in one message (max_payload ${maxPayload} bytes). ` +
          'Raise max_payload on the NATS servers (see docs/results-ingest.md) or split the document.',
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // DT_CURRENT fast path.
  // ---------------------------------------------------------------------------------------------------------------

  private ingestCurrent(input: ParsedInput): Promise<IngestAck> {
    return this.currentSerializer.run(input.message.key, () => this.ingestCurrentSerialized(input));
  }

  private async ingestCurrentSerialized(input: ParsedInput): Promise<IngestAck> {
    const { message } = input;
    const { header } = message;
    const receivedAt = new Date();
    const row = await this.prisma.document.findUnique({ where: { key: message.key } });
    assertSameSource(row, message);
    const decision = decide(row ? storedStateOf(row) : null, message);
    const eventId = resultsEventId(message.key, header.version);

    if (!decision.publish) {
      let streamSeq: number | null = row?.streamSeq === null || row === null ? null : Number(row.streamSeq);
      let publishes = false;
      if (decision.kind === 'duplicate' && row !== null && row.publishedAt === null) {
        // Stored by an earlier request whose publish failed: publish it now (same Nats-Msg-Id).
        streamSeq = await this.publishCurrent(this.currentDataOf(row, message, decision), eventId);
        publishes = true;
      }
      const accepted: Accepted = {
        decision,
        quarantined: row?.quarantined ?? false,
        eventId: publishes ? eventId : null,
        publishes,
        subject: publishes ? resultsSubjectOf({ ...header, discipline: message.discipline }) : null,
      };
      return this.ack(message, accepted, streamSeq);
    }

    const quarantined = await this.isQuarantined(scheduleMatchOf(message));
    const officialVersion = row?.officialVersion === null || row === null ? null : Number(row.officialVersion);
    const state = nextState(row ? storedStateOf(row) : null, message, decision);
    const data = resultsDataOf(message, {
      correction: decision.correction,
      officialVersion,
      notes: row?.notes ?? [],
      previousVersion: decision.previousVersion,
      quarantined,
      resent: false,
      receivedAt,
    });
    this.assertPublishable(Buffer.byteLength(JSON.stringify(data)));
    const written = await this.prisma.$executeRaw`
      INSERT INTO document (key, source, competition_code, document_code, document_subcode, document_type, document_subtype,
        language, feed_flag, discipline, version, result_status, withdrawn, fingerprint, official_version, notes,
        quarantined, header, competition, event_id, published_at, stream_seq, received_at, updated_at)
      VALUES (${message.key}, ${header.source}, ${header.competitionCode}, ${header.documentCode}, ${header.documentSubcode ?? null},
        ${header.documentType}, ${header.documentSubtype ?? null}, ${header.language ?? null}, ${header.feedFlag},
        ${message.discipline}, ${header.version}::bigint, ${header.resultStatus ?? null}, ${message.withdrawal},
        ${state?.fingerprint ?? null}, ${state?.officialVersion ?? null}::bigint, ${row?.notes ?? []}::text[],
        ${quarantined}, ${JSON.stringify(header)}::jsonb, ${message.competition === null ? null : JSON.stringify(message.competition)}::jsonb,
        ${eventId}::uuid, NULL, NULL, ${receivedAt}, now())
      ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, result_status = EXCLUDED.result_status,
        withdrawn = EXCLUDED.withdrawn, fingerprint = EXCLUDED.fingerprint, official_version = EXCLUDED.official_version,
        quarantined = EXCLUDED.quarantined, header = EXCLUDED.header, competition = EXCLUDED.competition,
        event_id = EXCLUDED.event_id, published_at = NULL, stream_seq = NULL, received_at = EXCLUDED.received_at,
        updated_at = now()
      WHERE document.version < EXCLUDED.version AND document.source = EXCLUDED.source`;
    if (written === 0) {
      // Another request created the document meanwhile, from another Source (then refused), or stored a higher Version.
      assertSameSource(await this.prisma.document.findUnique({ where: { key: message.key }, select: { source: true } }), message);
      const stale: Decision = { ...decision, kind: 'stale', publish: false, record: false, reason: `Version ${header.version} is not higher than the stored Version` };
      return this.ack(message, { decision: stale, quarantined, eventId: null, publishes: false, subject: null }, null);
    }
    const streamSeq = await this.publishCurrent(data, eventId);
    return this.ack(
      message,
      { decision, quarantined, eventId, publishes: true, subject: resultsSubjectOf(data) },
      streamSeq,
    );
  }

  private currentDataOf(
    row: { notes: string[]; officialVersion: bigint | null; quarantined: boolean; receivedAt: Date },
    message: OdfMessage,
    decision: Decision,
  ): ResultsMessage {
    return resultsDataOf(message, {
      correction: decision.correction,
      officialVersion: row.officialVersion === null ? null : Number(row.officialVersion),
      notes: row.notes,
      previousVersion: decision.previousVersion,
      quarantined: row.quarantined,
      resent: false,
      receivedAt: row.receivedAt,
    });
  }

  /** Publishes a DT_CURRENT directly (no contract re-validation: built from a validated message) and records the ack. */
  private async publishCurrent(data: ResultsMessage, eventId: string): Promise<number> {
    const key = resultsSubjectKey(data);
    const definition = subjectDefinition(key);
    const envelope = {
      id: eventId,
      type: definition.type,
      source: definition.source,
      time: data.receivedAt,
      dataschema: definition.dataschema,
      datacontenttype: DATA_CONTENT_TYPE,
      data,
    };
    let seq: number;
    try {
      const ack = await this.publisher.publishEnvelope(resultsSubjectOf(data), envelope, {
        headers: { [CORRELATION_ID_HEADER]: getCorrelationId() },
      });
      seq = ack.seq;
    } catch (error) {
      this.logger.warn(`Publishing ${data.documentKey} Version ${data.version} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new IngestError(
        'publish-pending',
        `Version ${data.version} of ${data.documentKey} is stored but could not be published: send it again.`,
      );
    }
    await this.prisma.document.updateMany({
      where: { key: data.documentKey, version: BigInt(data.version) },
      data: { publishedAt: new Date(), streamSeq: BigInt(seq) },
    });
    return seq;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private ack(message: OdfMessage, accepted: Accepted, streamSeq: number | null): IngestAck {
    const { header } = message;
    const { decision } = accepted;
    return {
      outcome: outcomeOf(decision, accepted.quarantined),
      documentKey: message.key,
      documentType: header.documentType,
      version: header.version,
      previousVersion: decision.previousVersion,
      resultStatus: header.resultStatus ?? null,
      feedFlag: header.feedFlag,
      published: accepted.publishes,
      subject: accepted.subject,
      streamSeq,
      eventId: accepted.publishes ? accepted.eventId : null,
      correction: decision.correction,
      quarantined: accepted.quarantined,
      reason: decision.reason,
      warnings: [...decision.warnings],
    };
  }
}

/** How a valid message's failure counts for the service level (results_ingest_answers_total). */
export function answerOutcomeOf(error: unknown): AnswerOutcome {
  return error instanceof IngestError && error.code !== 'publish-pending' ? 'refused' : 'failed';
}
