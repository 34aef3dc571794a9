/**
 * The document path as two replicas run it: two IntakeService instances (each with its own in-process state) on one
 * database, one relay. A replica decides against the state it last saw and writes in one statement that checks it:
 * these tests make that state stale and check that the write notices, reads again and loses nothing.
 */
import { type IngestAck, resultsEventId } from '@podium/contracts';
import { makeResultMessage } from '@podium/odf-message';
import { CONFIG, NatsConnectionService, NatsPublisher, type OutboxRelay, OutboxWriter, PgPool } from '@podium/platform';
import { strictMock } from '@podium/testing';

import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { type Harness, startResultsIngest } from '../test-support/harness';
import { IngestMetrics } from './ingest-metrics';
import { IngestError, parseXmlInput } from './intake.logic';
import { IntakeService } from './intake.service';
import { PublishWaiter } from './publish-waiter';

const RSC = 'ATHM400M--------------FNL-000100--';
const keyOf = (rsc: string): string => `OG2024|${rsc}||DT_RESULT|||P`;

describe('the document path across two replicas', () => {
  let h: Harness;
  let a: IntakeService;
  let b: IntakeService;

  beforeAll(async () => {
    h = await startResultsIngest();
    await h.publishUnit(RSC);
    a = h.app.get(IntakeService);
    // A second replica: the same database, NATS and publications, its own cache of documents and of the schedule; its
    // relay is a standby (hands nothing over): the active relay reads b's rows, a's are handed over.
    b = new IntakeService(
      h.app.get(PrismaService),
      h.app.get(PgPool),
      h.app.get(OutboxWriter),
      strictMock<OutboxRelay>('standby relay', { handOver: () => undefined }),
      h.app.get(NatsPublisher),
      h.app.get(NatsConnectionService),
      h.app.get(PublishWaiter),
      h.app.get(IngestMetrics),
      h.app.get<ResultsIngestConfig>(CONFIG),
    );
  });
  afterAll(() => h?.close());

  function send(replica: IntakeService, rsc: string, version: number, competitors?: number): Promise<IngestAck> {
    const input = parseXmlInput(makeResultMessage({ rsc, version, resultStatus: 'LIVE', seed: version, competitors }).xml);
    return replica.ingest(input, '*', 'http');
  }

  async function versions(key: string): Promise<{ version: number; disposition: string }[]> {
    const { rows } = await h.app.get(PgPool).pool.query<{ version: string; disposition: string }>(
      'SELECT version::text, disposition FROM document_version WHERE document_key = $1 ORDER BY id',
      [key],
    );
    return rows.map((r) => ({ version: Number(r.version), disposition: r.disposition }));
  }

  async function published(key: string): Promise<{ version: number; previousVersion: number | null; msgId?: string }[]> {
    return (await h.readStream('RESULTS'))
      .filter((m) => m.envelope.data['documentKey'] === key)
      .map((m) => ({
        version: m.envelope.data['version'] as number,
        previousVersion: m.envelope.data['previousVersion'] as number | null,
        msgId: m.msgId,
      }));
  }

  async function conflicts(): Promise<number> {
    const text = await (await h.request('/metrics')).text();
    return Number(/^results_ingest_write_conflicts_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('a replica whose state is stale finds out in its write, reads again and applies on top of the other one', async () => {
    const key = keyOf(RSC);
    const before = await conflicts();
    expect(await send(a, RSC, 1)).toMatchObject({ outcome: 'applied', previousVersion: null });
    // b reads version 1 and writes 2: a still holds version 1 as the stored state.
    expect(await send(b, RSC, 2)).toMatchObject({ outcome: 'applied', previousVersion: 1 });
    // a decides 3 against 1, its write finds 2, it reads again: 3 follows 2.
    expect(await send(a, RSC, 3)).toMatchObject({ outcome: 'applied', previousVersion: 2, published: true });
    expect(await conflicts()).toBe(before + 1);

    expect(await versions(key)).toEqual([1, 2, 3].map((version) => ({ version, disposition: 'applied' })));
    expect(await published(key)).toEqual([
      { version: 1, previousVersion: null, msgId: resultsEventId(key, 1) },
      { version: 2, previousVersion: 1, msgId: resultsEventId(key, 2) },
      { version: 3, previousVersion: 2, msgId: resultsEventId(key, 3) },
    ]);
    // The same version again from the replica that did not write it: a duplicate, not published again.
    expect(await send(b, RSC, 3)).toMatchObject({ outcome: 'duplicate', published: false });
  });

  it('a replica that saw no document cannot create it over one another replica created meanwhile', async () => {
    const rsc = 'ATHM800M--------------FNL-000100--';
    const key = keyOf(rsc);
    // a reads the (absent) document, then refuses the message before writing: it now holds "no document".
    const tooLarge = await send(a, rsc, 5, 2500).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(tooLarge).toBeInstanceOf(IngestError);
    expect(tooLarge).toMatchObject({ code: 'payload-too-large' });
    expect(await send(b, rsc, 1)).toMatchObject({ outcome: 'quarantined', previousVersion: null });
    // a's create conflicts with b's row: read again, 2 follows 1 (the row was not overwritten as if new).
    expect(await send(a, rsc, 2)).toMatchObject({ outcome: 'quarantined', previousVersion: 1 });
    expect(await versions(key)).toEqual([1, 2].map((version) => ({ version, disposition: 'applied' })));
    expect((await published(key)).map((p) => [p.version, p.previousVersion])).toEqual([
      [1, null],
      [2, 1],
    ]);
  });

  it('loses nothing when both replicas send versions of one document at once', async () => {
    const rsc = 'ATHW400M--------------FNL-000100--';
    const key = keyOf(rsc);
    const sent = Array.from({ length: 30 }, (_, i) => i + 1);
    const acks = await Promise.all(sent.map((v) => send(v % 2 === 0 ? a : b, rsc, v)));

    const applied = acks.filter((x) => x.outcome === 'quarantined').map((x) => x.version);
    const stale = acks.filter((x) => x.outcome === 'stale').map((x) => x.version);
    expect([...applied, ...stale].sort((x, y) => x - y)).toEqual(sent);
    expect(applied).toContain(30);

    // Every applied version is published once, in version order, each naming the one before it (no lost update).
    const stream = await published(key);
    expect(stream.map((p) => p.version)).toEqual([...applied].sort((x, y) => x - y));
    stream.forEach((p, i) => expect(p.previousVersion).toBe(i === 0 ? null : stream[i - 1]?.version));
    expect(new Set(stream.map((p) => p.msgId))).toEqual(new Set(applied.map((v) => resultsEventId(key, v))));
    // Every version is recorded once with what became of it; the document holds the highest.
    const recorded = await versions(key);
    expect(recorded.map((r) => r.version).sort((x, y) => x - y)).toEqual(sent);
    expect(recorded.filter((r) => r.disposition === 'stale').map((r) => r.version).sort((x, y) => x - y)).toEqual(
      [...stale].sort((x, y) => x - y),
    );
    const { rows } = await h.app.get(PgPool).pool.query<{ version: string }>('SELECT version::text FROM document WHERE key = $1', [key]);
    expect(rows).toEqual([{ version: '30' }]);
  });
});
