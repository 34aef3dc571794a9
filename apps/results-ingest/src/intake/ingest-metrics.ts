import { Injectable } from '@nestjs/common';
import type { IngestOutcome } from '@podium/contracts';
import { MetricsService } from '@podium/platform';
import type { Counter, Histogram } from 'prom-client';

/**
 * How results-ingest answered a valid message (parsed, its key and Source allowed): `ok` stored and published;
 * `refused` the message's own fault (document-source-mismatch); `failed` ours: publish-pending (stored, not yet
 * published), PostgreSQL or NATS unavailable, an unexpected error. The service level is ok / (ok + failed).
 */
export type AnswerOutcome = 'ok' | 'refused' | 'failed';

/** The stages of results_ingest_stage_seconds. */
export type IngestStage = 'read' | 'wait' | 'store' | 'publish';

/** Prometheus metrics of the intake (on GET /metrics with the platform's). */
@Injectable()
export class IngestMetrics {
  private readonly messages: Counter<'outcome' | 'document_type' | 'feed' | 'channel'>;
  private readonly quarantined: Counter<'discipline' | 'document_type' | 'feed'>;
  private readonly rejected: Counter<'code' | 'channel'>;
  private readonly duration: Histogram<'path'>;
  private readonly conflicts: Counter;
  private readonly stages: Histogram<'stage'>;
  private readonly answers: Counter<'channel' | 'outcome'>;

  constructor(metrics: MetricsService) {
    this.messages = metrics.counter({
      name: 'results_ingest_messages_total',
      help: 'ODF messages accepted, by outcome (applied, duplicate, stale, withdrawn, quarantined), DocumentType, feed and channel.',
      labelNames: ['outcome', 'document_type', 'feed', 'channel'],
    });
    this.quarantined = metrics.counter({
      name: 'results_ingest_quarantined_total',
      help: 'Accepted messages whose RSC the schedule does not know (quarantined: listed in GET /v1/quarantine).',
      labelNames: ['discipline', 'document_type', 'feed'],
    });
    this.rejected = metrics.counter({
      name: 'results_ingest_rejected_total',
      help: 'Messages refused, by error code (invalid-api-key, malformed-message, invalid-odf-message, payload-too-large...).',
      labelNames: ['code', 'channel'],
    });
    this.duration = metrics.histogram({
      name: 'results_ingest_accept_duration_seconds',
      help: 'Time from a parsed message to its answer (stored and published), by path (document or current fast path).',
      labelNames: ['path'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    });
    this.stages = metrics.histogram({
      name: 'results_ingest_stage_seconds',
      help:
        'Where a document message spends its time in results-ingest, by stage: read (body read and parsed), wait (behind ' +
        'the same document`s previous message in this process), store (decided and written to PostgreSQL), publish ' +
        '(waiting for the outbox relay`s JetStream ack). Their sum is most of results_ingest_accept_duration_seconds.',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    });
    this.answers = metrics.counter({
      name: 'results_ingest_answers_total',
      help:
        'Valid messages (parsed, key and Source allowed) answered, by channel (http, nats) and outcome: ok (stored and ' +
        "published), refused (the message's fault: document-source-mismatch), failed (publish-pending, PostgreSQL or " +
        'NATS unavailable, an unexpected error). The service level: ok / (ok + failed) >= 99.9%.',
      labelNames: ['channel', 'outcome'],
    });
    // Every series from the start (at 0), so that a rate over them exists before the first failure.
    for (const channel of ['http', 'nats'] as const)
      for (const outcome of ['ok', 'refused', 'failed'] as const) this.answers.inc({ channel, outcome }, 0);
    this.conflicts = metrics.counter({
      name: 'results_ingest_write_conflicts_total',
      help: 'Single-statement document writes that found the document (or the schedule) changed since read, by another replica or request, and read again.',
    });
  }

  answered(channel: 'http' | 'nats', outcome: AnswerOutcome): void {
    this.answers.inc({ channel, outcome });
  }

  writeConflict(): void {
    this.conflicts.inc();
  }

  accepted(outcome: IngestOutcome, documentType: string, feed: string, channel: 'http' | 'nats'): void {
    this.messages.inc({ outcome, document_type: documentType, feed, channel });
  }

  quarantine(discipline: string | null, documentType: string, feed: string): void {
    this.quarantined.inc({ discipline: discipline ?? 'none', document_type: documentType, feed });
  }

  reject(code: string, channel: 'http' | 'nats'): void {
    this.rejected.inc({ code, channel });
  }

  stage(stage: IngestStage, seconds: number): void {
    this.stages.observe({ stage }, seconds);
  }

  observe(path: 'document' | 'current', seconds: number): void {
    this.duration.observe({ path }, seconds);
  }
}
