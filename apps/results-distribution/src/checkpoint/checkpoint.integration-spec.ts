/**
 * The checkpoint and the Version bound of the contracts (MAX_ODF_VERSION, 2^31-1): document_state.version is a 32-bit
 * integer, so a document at the bound is checkpointed and restored, and a message above it (which results-ingest
 * refuses; here published by hand past the contracts) is dead-lettered instead of making every checkpoint fail.
 */
import { randomUUID } from 'node:crypto';

import { envelopeFor, type PayloadOf, resultsDocumentPublished, resultsSubjectOf } from '@podium/contracts';
import { MAX_ODF_VERSION } from '@podium/odf-message';
import { waitFor } from '@podium/testing';
import { Client } from 'pg';

import { distributionForThisFile } from '../test-support/distribution';
import { HEAT, publishResult, result, SWIM_UNIT, UNIT } from '../test-support/messages';

const rd = distributionForThisFile();

async function query<T extends Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: rd.app.db!.url });
  await pg.connect();
  try {
    return (await pg.query<T>(sql, values)).rows;
  } finally {
    await pg.end();
  }
}

async function checkpointedSeq(): Promise<number> {
  const rows = await query<{ stream_seq: string }>("SELECT stream_seq::text FROM checkpoint WHERE stream = 'RESULTS'");
  return Number(rows[0]?.stream_seq ?? 0);
}

describe('checkpoints at the Version bound', () => {
  it('checkpoints and restores Version 2^31-1; a Version above it is dead-lettered and checkpoints go on', async () => {
    expect(MAX_ODF_VERSION).toBe(2 ** 31 - 1);
    const atBound = result({ rsc: UNIT, version: MAX_ODF_VERSION });
    await publishResult(rd.app, atBound);

    // Above the bound: built as a valid envelope, then its version raised (the contracts refuse to publish it).
    const valid = result({ rsc: HEAT, version: 1 });
    const envelope = envelopeFor(resultsDocumentPublished.subject, valid as PayloadOf<typeof resultsDocumentPublished.subject>, {
      id: randomUUID(),
    });
    const over = { ...envelope, data: { ...envelope.data, version: MAX_ODF_VERSION + 1 } };
    await rd.app.reader.jetstream().publish(`${rd.app.nats.prefix}${resultsSubjectOf(valid)}`, JSON.stringify(over), {
      msgID: over.id,
    });
    const last = await publishResult(rd.app, result({ rsc: SWIM_UNIT, version: 3 }));

    await waitFor(() => rd.app.state.resultsSeq >= last, { description: `RESULTS #${last} applied` });
    await waitFor(async () => (await checkpointedSeq()) >= last, { timeoutMs: 15_000, description: `checkpoint at #${last}` });
    const rows = await query<{ key: string; version: number }>('SELECT key, version FROM document_state ORDER BY key');
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: atBound.documentKey, version: MAX_ODF_VERSION },
        { key: `OG2024|${SWIM_UNIT}||DT_RESULT|||P`, version: 3 },
      ]),
    );
    expect(rows.map((r) => r.key)).not.toContain(valid.documentKey);
    const metrics = await (await fetch(`${rd.app.url}/metrics`)).text();
    expect(metrics).toMatch(/results_distribution_messages_total\{[^}]*stream="results"[^}]*outcome="invalid"[^}]*\} 1/);

    const next = await rd.restart();
    expect(next.state.documents.find(UNIT, 'DT_RESULT')?.data.version).toBe(MAX_ODF_VERSION);
  });
});
