import { Injectable } from '@nestjs/common';
import {
  entryStateSchema,
  type ResultsMessage,
  scheduleUnitStateSchema,
  type ScheduleUnitState,
} from '@podium/contracts';
import { z } from 'zod';
import { PrismaService } from '../database/prisma.service';
import { type DocumentEntry, makeEntry } from '../state/document';
import type { CheckpointData, RestoreData } from '../state/results-state';

/** Logical stream names the checkpoint rows are kept under (RESULTS or RESULTS_TEST, SCHEDULES and ENTRIES). */
export interface CheckpointStreams {
  readonly results: string;
  readonly schedules: string;
  readonly entries: string;
}

/** Rows per INSERT statement. */
const CHUNK = 500;

const storedEntrySchema = z.object({
  subject: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

/**
 * Checkpoints of the in-memory state in PostgreSQL. A checkpoint upserts the documents, units and entries changed since the
 * previous one and moves the stream sequences forward, in one transaction. Upserts never replace a row with an older
 * one (`stream_seq` guard) and sequences only grow (GREATEST), so replicas sharing the database may checkpoint
 * concurrently: the rows always hold at least the state at the recorded sequence.
 */
@Injectable()
export class CheckpointRepository {
  constructor(private readonly prisma: PrismaService) {}

  async write(checkpoint: CheckpointData, streams: CheckpointStreams): Promise<void> {
    const documents = checkpoint.documents.map((entry) => ({
      key: entry.key,
      discipline: entry.data.discipline,
      document_code: entry.data.documentCode,
      document_type: entry.data.documentType,
      version: entry.data.version,
      result_status: entry.data.resultStatus ?? null,
      withdrawn: entry.data.withdrawn,
      stream_seq: entry.seq,
      entry: { subject: entry.subject, data: entry.data },
    }));
    const units = checkpoint.units.map(({ unit, seq }) => ({
      rsc: unit.rsc,
      discipline: unit.discipline,
      stream_seq: seq,
      state: unit,
    }));
    const entries = checkpoint.entries.map(({ entry, seq }) => ({
      id: entry.id,
      event: entry.event,
      discipline: entry.discipline,
      stream_seq: seq,
      state: entry,
    }));
    await this.prisma.$transaction(async (tx) => {
      for (let i = 0; i < documents.length; i += CHUNK) {
        await tx.$executeRawUnsafe(
          `INSERT INTO document_state (key, discipline, document_code, document_type, version, result_status, withdrawn, stream_seq, entry, updated_at)
           SELECT key, discipline, document_code, document_type, version, result_status, withdrawn, stream_seq, entry, now()
             FROM jsonb_to_recordset($1::jsonb) AS r(key text, discipline text, document_code text, document_type text,
                  version int, result_status text, withdrawn boolean, stream_seq bigint, entry jsonb)
           ON CONFLICT (key) DO UPDATE SET discipline = EXCLUDED.discipline, document_code = EXCLUDED.document_code,
                  document_type = EXCLUDED.document_type, version = EXCLUDED.version, result_status = EXCLUDED.result_status,
                  withdrawn = EXCLUDED.withdrawn, stream_seq = EXCLUDED.stream_seq, entry = EXCLUDED.entry, updated_at = now()
            WHERE document_state.stream_seq < EXCLUDED.stream_seq`,
          JSON.stringify(documents.slice(i, i + CHUNK)),
        );
      }
      for (let i = 0; i < units.length; i += CHUNK) {
        await tx.$executeRawUnsafe(
          `INSERT INTO schedule_unit (rsc, discipline, stream_seq, state, updated_at)
           SELECT rsc, discipline, stream_seq, state, now()
             FROM jsonb_to_recordset($1::jsonb) AS r(rsc text, discipline text, stream_seq bigint, state jsonb)
           ON CONFLICT (rsc) DO UPDATE SET discipline = EXCLUDED.discipline, stream_seq = EXCLUDED.stream_seq,
                  state = EXCLUDED.state, updated_at = now()
            WHERE schedule_unit.stream_seq < EXCLUDED.stream_seq`,
          JSON.stringify(units.slice(i, i + CHUNK)),
        );
      }
      for (let i = 0; i < entries.length; i += CHUNK) {
        await tx.$executeRawUnsafe(
          `INSERT INTO entry (id, event, discipline, stream_seq, state, updated_at)
           SELECT id, event, discipline, stream_seq, state, now()
             FROM jsonb_to_recordset($1::jsonb) AS r(id text, event text, discipline text, stream_seq bigint, state jsonb)
           ON CONFLICT (id) DO UPDATE SET event = EXCLUDED.event, discipline = EXCLUDED.discipline,
                  stream_seq = EXCLUDED.stream_seq, state = EXCLUDED.state, updated_at = now()
            WHERE entry.stream_seq < EXCLUDED.stream_seq`,
          JSON.stringify(entries.slice(i, i + CHUNK)),
        );
      }
      await tx.$executeRawUnsafe(
        `INSERT INTO checkpoint (stream, stream_seq, taken_at) VALUES ($1, $2, now()), ($3, $4, now()), ($5, $6, now())
         ON CONFLICT (stream) DO UPDATE SET stream_seq = GREATEST(checkpoint.stream_seq, EXCLUDED.stream_seq), taken_at = now()`,
        streams.results,
        BigInt(checkpoint.resultsSeq),
        streams.schedules,
        BigInt(checkpoint.scheduleSeq),
        streams.entries,
        BigInt(checkpoint.entriesSeq),
      );
    });
  }

  /** The latest checkpoint: every stored document, unit and entry, and the sequences they reflect. */
  async read(streams: CheckpointStreams): Promise<RestoreData> {
    const [checkpoints, documentRows, unitRows, entryRows] = await Promise.all([
      this.prisma.checkpoint.findMany(),
      this.prisma.$queryRawUnsafe<{ key: string; stream_seq: bigint; entry: unknown }[]>(
        'SELECT key, stream_seq, entry FROM document_state ORDER BY stream_seq',
      ),
      this.prisma.scheduleUnit.findMany({ orderBy: { streamSeq: 'asc' } }),
      this.prisma.entry.findMany({ orderBy: { streamSeq: 'asc' } }),
    ]);
    const seqOf = (stream: string): number => Number(checkpoints.find((c) => c.stream === stream)?.streamSeq ?? 0n);
    const documents: DocumentEntry[] = [];
    for (const row of documentRows) {
      const stored = storedEntrySchema.parse(row.entry);
      // Trusted (written by this service after validating it) and large: re-validated only shallowly.
      const data = stored.data as unknown as ResultsMessage;
      documents.push(makeEntry(data, 'RESULTS', Number(row.stream_seq), stored.subject, row.key));
    }
    const units = unitRows.map((row) => ({
      unit: scheduleUnitStateSchema.parse(row.state) as ScheduleUnitState,
      seq: Number(row.streamSeq),
    }));
    const entries = entryRows.map((row) => ({ entry: entryStateSchema.parse(row.state), seq: Number(row.streamSeq) }));
    return {
      resultsSeq: seqOf(streams.results),
      scheduleSeq: seqOf(streams.schedules),
      entriesSeq: seqOf(streams.entries),
      documents,
      units,
      entries,
    };
  }
}
