import { INGEST_RPC_SUBJECT, type IngestAck, ingestAckSchema, resultsEventId } from '@podium/contracts';
import { makeCurrentMessage, makeResultMessage, type OdfJson, toOdfXml } from '@podium/odf-message';
import { waitFor } from '@podium/testing';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { type Harness, SOURCE_KEY, startResultsIngest } from '../test-support/harness';

const RSC = 'ATHM100M--------------FNL-000100--';
const KEY = `OG2024|${RSC}||DT_RESULT|||P`;

async function ack(res: Response): Promise<IngestAck> {
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(body)}`);
  return ingestAckSchema.parse(body);
}

async function problem(res: Response): Promise<{ type: string; status: number; detail: string; errors?: { field: string; message: string }[] }> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { type: string; status: number; detail: string; errors?: { field: string; message: string }[] };
}

function participants(version: number, type: 'DT_PARTIC' | 'DT_PARTIC_UPDATE', items: Record<string, string>[]): OdfJson {
  return {
    competitionCode: 'OG2024',
    documentCode: 'ATH-------------------------------',
    documentType: type,
    version,
    feedFlag: 'P',
    date: '2024-08-01',
    time: '100000000',
    source: 'ATHVEN1',
    competition: { Participant: items },
  } as OdfJson;
}

describe('results-ingest over HTTP, NATS and JetStream', () => {
  let h: Harness;
  let operator: string;

  beforeAll(async () => {
    h = await startResultsIngest({ INGEST_MAX_BYTES: '200kb', HTTP_BODY_LIMIT: '200kb' });
    operator = await h.token(['ods-operator']);
    await h.publishUnit(RSC);
  });
  afterAll(() => h?.close());

  it('applies a new version, stores it and publishes the JSON on JetStream with a deterministic Nats-Msg-Id', async () => {
    const m = makeResultMessage({ rsc: RSC, version: 1, resultStatus: 'LIVE' });
    const first = await ack(await h.post(m.xml));
    expect(first).toMatchObject({ outcome: 'applied', documentKey: KEY, version: 1, previousVersion: null, published: true });
    expect(first.subject).toBe(`ods.results.v1.ATH.${RSC}.DT_RESULT`);
    expect(first.streamSeq).toBeGreaterThan(0);

    const published = await h.readStream('RESULTS');
    expect(published).toHaveLength(1);
    const [msg] = published;
    expect(msg?.subject).toBe(`ods.results.v1.ATH.${RSC}.DT_RESULT`);
    expect(msg?.msgId).toBe(resultsEventId(KEY, 1));
    expect(msg?.envelope.id).toBe(msg?.msgId);
    expect(msg?.envelope.type).toBe('podium.results.document.published.v1');
    expect(msg?.envelope.data).toMatchObject({ version: 1, resultStatus: 'LIVE', documentKey: KEY, withdrawn: false, quarantined: false });
    expect(msg?.envelope.data['competition']).toEqual(m.json.competition);
  });

  it('overwrites with a higher version, answers duplicate for the same version and stale for a lower one', async () => {
    const v2 = makeResultMessage({ rsc: RSC, version: 2, resultStatus: 'INTERMEDIATE', seed: 2 });
    expect(await ack(await h.post(v2.xml))).toMatchObject({ outcome: 'applied', version: 2, previousVersion: 1 });
    const before = (await h.readStream('RESULTS')).length;

    // The same message again (e.g. a venue retry), as JSON this time: duplicate, not published again.
    const dup = await ack(await h.post(JSON.stringify(v2.json), { contentType: 'application/json' }));
    expect(dup).toMatchObject({ outcome: 'duplicate', version: 2, published: false });
    const stale = await ack(await h.post(makeResultMessage({ rsc: RSC, version: 1, seed: 9 }).xml));
    expect(stale).toMatchObject({ outcome: 'stale', version: 1, previousVersion: 2, published: false });
    expect(await h.readStream('RESULTS')).toHaveLength(before);

    const versions = (await (await h.request(`/v1/documents/${encodeURIComponent(KEY)}/versions`, { token: operator })).json()) as {
      version: number;
      disposition: string;
    }[];
    expect(versions.map((v) => [v.version, v.disposition])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [1, 'stale'],
    ]);
    const byCode = await h.request(`/v1/documents/${RSC}/DT_RESULT/versions/2`, { token: operator });
    expect(byCode.status).toBe(200);
    expect(((await byCode.json()) as { message: { version: number } }).message.version).toBe(2);
    const raw = await h.request(`/v1/documents/${RSC}/DT_RESULT/versions/2?format=raw`, { token: operator });
    expect(raw.headers.get('content-type')).toContain('application/xml');
    expect(await raw.text()).toBe(v2.xml);
  });

  it('handles out-of-order arrival: the later version stands and the earlier one is stale', async () => {
    const rsc = 'ATHM100M--------------FNL-000100--';
    const v5 = makeResultMessage({ rsc, version: 5, resultStatus: 'UNOFFICIAL' });
    const v4 = makeResultMessage({ rsc, version: 4, resultStatus: 'INTERMEDIATE' });
    expect((await ack(await h.post(v5.xml))).outcome).toBe('applied');
    expect((await ack(await h.post(v4.xml))).outcome).toBe('stale');
    const doc = (await (await h.request(`/v1/documents/${encodeURIComponent(KEY)}`, { token: operator })).json()) as {
      version: number;
      resultStatus: string;
    };
    expect(doc).toMatchObject({ version: 5, resultStatus: 'UNOFFICIAL' });
  });

  it('serializes concurrent versions of one document: stream order follows versions that were applied', async () => {
    const rsc = 'ATHW400M--------------FNL-000100--';
    await h.publishUnit(rsc);
    const key = `OG2024|${rsc}||DT_RESULT|||P`;
    const acks = await Promise.all(
      [3, 1, 5, 2, 4].map(async (version) => ack(await h.post(makeResultMessage({ rsc, version, seed: version }).xml))),
    );
    expect(acks.filter((a) => a.published).length).toBeGreaterThanOrEqual(1);
    const versions = (await h.readStream('RESULTS'))
      .filter((m) => m.envelope.data['documentKey'] === key)
      .map((m) => m.envelope.data['version'] as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.at(-1)).toBe(5);
  });

  it('publishes a correction after OFFICIAL flagged, with accumulated notes', async () => {
    const rsc = 'ATHW100M--------------FNL-000100--';
    await h.publishUnit(rsc);
    await ack(await h.post(makeResultMessage({ rsc, version: 1, resultStatus: 'OFFICIAL' }).xml));
    const corrected = await ack(await h.post(makeResultMessage({ rsc, version: 2, resultStatus: 'OFFICIAL', seed: 3 }).xml));
    expect(corrected).toMatchObject({ outcome: 'applied', correction: true });
    const again = await ack(await h.post(makeResultMessage({ rsc, version: 3, resultStatus: 'OFFICIAL', seed: 4 }).xml));
    const last = (await h.readStream('RESULTS')).find((m) => m.envelope.id === again.eventId);
    expect(last?.envelope.data).toMatchObject({ correction: true, officialVersion: 2 });
    expect(last?.envelope.data['notes']).toHaveLength(2);
  });

  it('withdraws a document: a message without Competition is published with competition null', async () => {
    const withdrawal = makeResultMessage({ rsc: RSC, version: 6, withdrawal: true });
    const res = await ack(await h.post(withdrawal.xml));
    expect(res).toMatchObject({ outcome: 'withdrawn', version: 6, published: true });
    const msg = (await h.readStream('RESULTS')).find((m) => m.envelope.id === res.eventId);
    expect(msg?.envelope.data).toMatchObject({ withdrawn: true, competition: null, version: 6 });
  });

  it('merges _UPDATE messages item by item into their base document', async () => {
    const base = participants(1, 'DT_PARTIC', [
      { Code: '1001', Name: 'A' },
      { Code: '1002', Name: 'B' },
    ]);
    expect((await ack(await h.post(JSON.stringify(base), { contentType: 'application/json' }))).outcome).toBe('applied');
    const update = participants(1, 'DT_PARTIC_UPDATE', [
      { Code: '1002', Name: 'B2' },
      { Code: '1003', Name: 'C' },
    ]);
    const res = await ack(await h.post(toOdfXml(update)));
    expect(res).toMatchObject({ outcome: 'applied', documentType: 'DT_PARTIC_UPDATE' });
    const baseKey = 'OG2024|ATH-------------------------------||DT_PARTIC|||P';
    const msg = (await h.readStream('RESULTS')).find((m) => m.envelope.id === res.eventId);
    expect(msg?.subject).toBe('ods.results.v1.ATH.ATH-------------------------------.DT_PARTIC_UPDATE');
    expect(msg?.envelope.data['baseDocumentKey']).toBe(baseKey);
    const doc = (await (await h.request(`/v1/documents/${encodeURIComponent(baseKey)}`, { token: operator })).json()) as {
      version: number;
      competition: { Participant: { Code: string; Name: string }[] };
    };
    expect(doc.version).toBe(1);
    expect(doc.competition.Participant).toEqual([
      { Code: '1001', Name: 'A' },
      { Code: '1002', Name: 'B2' },
      { Code: '1003', Name: 'C' },
    ]);
  });

  it('accepts results for an RSC the schedule does not know, flags them (list + metric) and releases them', async () => {
    const rsc = 'ATHX4X400M------------FNL-000100--';
    const res = await ack(await h.post(makeResultMessage({ rsc, version: 1 }).xml));
    expect(res).toMatchObject({ outcome: 'quarantined', quarantined: true, published: true });
    const msg = (await h.readStream('RESULTS')).find((m) => m.envelope.id === res.eventId);
    expect(msg?.envelope.data['quarantined']).toBe(true);

    const list = (await (await h.request('/v1/quarantine', { token: operator })).json()) as { items: { documentCode: string }[] };
    expect(list.items.map((i) => i.documentCode)).toContain(rsc);
    const metrics = await (await h.request('/metrics')).text();
    expect(metrics).toMatch(/results_ingest_quarantined_total\{[^}]*discipline="ATH"[^}]*\} 1/);
    // Where the accepted messages spent their time: every stage observed (read, wait, store, publish).
    for (const stage of ['read', 'wait', 'store', 'publish']) {
      expect(Number(new RegExp(`^results_ingest_stage_seconds_count\\{[^}]*stage="${stage}"[^}]*\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
    }

    await h.publishUnit(rsc);
    await waitFor(
      async () => {
        const after = (await (await h.request('/v1/quarantine', { token: operator })).json()) as { items: { documentCode: string }[] };
        return !after.items.some((i) => i.documentCode === rsc);
      },
      { timeoutMs: 10_000, description: 'quarantine released' },
    );
    expect((await ack(await h.post(makeResultMessage({ rsc, version: 2 }).xml))).outcome).toBe('applied');
  });

  it('exposes the service levels\' series with their labels: answers to valid messages, publishes, consumes, outbox age, consumer lag', async () => {
    const sample = (text: string, name: string, ...labels: string[]): number | undefined => {
      for (const line of text.split('\n')) {
        const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
        if (match?.[1] === name && labels.every((l) => match[2]?.split(',').includes(l))) return Number(match[3]);
      }
      return undefined;
    };
    const rsc = 'ATHW100M--------------FNL-000100--';
    await ack(await h.post(makeResultMessage({ rsc, version: 1 }).xml));
    // A valid message the service refuses for the message's own sake: its document is bound to another Source.
    const mismatch = await h.post(makeResultMessage({ rsc, version: 2, source: 'ATHVEN2' }).xml);
    expect((await problem(mismatch)).type).toBe('https://podium.dev/problems/document-source-mismatch');
    const metrics = await (await h.request('/metrics')).text();
    expect(sample(metrics, 'results_ingest_answers_total', 'channel="http"', 'outcome="ok"')).toBeGreaterThan(0);
    expect(sample(metrics, 'results_ingest_answers_total', 'channel="http"', 'outcome="refused"')).toBe(1);
    expect(sample(metrics, 'results_ingest_answers_total', 'channel="http"', 'outcome="failed"')).toBe(0);
    // The relay's publishes, by subject root (never the whole subject: it carries the RSC).
    expect(sample(metrics, 'nats_publish_duration_seconds_count', 'subject_root="ods.results.v1"', 'outcome="ok"')).toBeGreaterThan(0);
    expect(metrics).not.toMatch(/nats_publish_duration_seconds_count\{[^}]*subject_root="[^"]*ATH/);
    // Everything accepted was published: no event waits (a row published in the last milliseconds may not be marked
    // yet, MARK_LINGER_MS: it counts with its age, tens of milliseconds).
    expect(sample(metrics, 'outbox_oldest_pending_age_seconds', 'service="results-ingest"')).toBeLessThan(1);
    // The schedule units' consumer (SCHEDULES), by its logical names (the test's NATS prefix taken off): handled
    // the units published above, and its lag read from the server.
    const durable = ['stream="SCHEDULES"', 'durable="results-ingest-schedule-units"'];
    expect(sample(metrics, 'nats_consume_duration_seconds_count', ...durable, 'outcome="ok"')).toBeGreaterThan(0);
    expect(sample(metrics, 'nats_consumer_pending_messages', ...durable)).toBe(0);
    expect(sample(metrics, 'nats_consumer_ack_pending_messages', ...durable)).toBe(0);
  });

  it('refuses a missing or wrong API key (401) and a Source the key is not bound to (403)', async () => {
    const m = makeResultMessage({ rsc: RSC, version: 50 });
    const missing = await h.post(m.xml, { apiKey: null });
    expect(missing.status).toBe(401);
    expect((await problem(missing)).type).toBe('https://podium.dev/problems/invalid-api-key');
    expect((await h.post(m.xml, { apiKey: 'not-a-key' })).status).toBe(401);
    const bound = await h.post(makeResultMessage({ rsc: RSC, version: 50, source: 'ATHVEN1' }).xml, { apiKey: SOURCE_KEY });
    expect((await ack(bound)).outcome).toBe('applied');
    const other = await h.post(makeResultMessage({ rsc: RSC, version: 51, source: 'SWMVEN1' }).xml, { apiKey: SOURCE_KEY });
    expect(other.status).toBe(403);
    expect((await problem(other)).type).toBe('https://podium.dev/problems/source-not-allowed');
  });

  it('answers 413 for a body over the limit, also when it only grows past it once decompressed (gzip bomb)', async () => {
    const big = makeResultMessage({ rsc: RSC, version: 60, competitors: 600 }).xml;
    expect(Buffer.byteLength(big)).toBeGreaterThan(200 * 1024);
    const tooLarge = await h.post(big);
    expect(tooLarge.status).toBe(413);
    expect((await problem(tooLarge)).type).toBe('https://podium.dev/problems/payload-too-large');

    const bomb = `<OdfBody>${' '.repeat(5 * 1024 * 1024)}</OdfBody>`;
    const compressed = gzipSync(bomb);
    expect(compressed.length).toBeLessThan(20 * 1024);
    const res = await h.post(compressed, { gzip: false, contentType: 'application/xml' }).catch(() => undefined);
    // Sent without Content-Encoding it is just bytes that are not XML; with it, it is a bomb:
    expect(res?.status).toBe(400);
    const gz = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'content-encoding': 'gzip', 'x-api-key': 'demo-venue-key' },
      body: compressed,
    });
    expect(gz.status).toBe(413);
    const jsonBomb = gzipSync(`{"a":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    const jz = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-api-key': 'demo-venue-key' },
      body: jsonBomb,
    });
    expect(jz.status).toBe(413);
  });

  it('accepts a gzip-compressed message', async () => {
    const m = makeResultMessage({ rsc: RSC, version: 61 });
    expect((await ack(await h.post(m.xml, { gzip: true }))).outcome).toBe('applied');
  });

  it('answers 400 naming the problem for malformed XML and JSON, 422 for an unknown DocumentType or ResultStatus', async () => {
    const xml = await h.post('<OdfBody CompetitionCode="OG2024"><Competition></OdfBody>');
    expect(xml.status).toBe(400);
    const xmlProblem = await problem(xml);
    expect(xmlProblem.type).toBe('https://podium.dev/problems/malformed-message');
    expect(xmlProblem.detail).toMatch(/line 1, column \d+/);

    const json = await h.post('{"competitionCode": "OG2024", ', { contentType: 'application/json' });
    expect(json.status).toBe(400);
    expect((await problem(json)).type).toBe('https://podium.dev/problems/malformed-json');

    const m = makeResultMessage({ rsc: RSC, version: 70 });
    const unknownType = await h.post(m.xml.replace('DocumentType="DT_RESULT"', 'DocumentType="DT_NOPE"'));
    expect(unknownType.status).toBe(422);
    expect((await problem(unknownType)).errors?.map((e) => e.field)).toContain('body.DocumentType');
    const unknownStatus = await h.post(JSON.stringify({ ...m.json, resultStatus: 'FINAL' }), { contentType: 'application/json' });
    expect(unknownStatus.status).toBe(422);
    expect((await problem(unknownStatus)).errors?.map((e) => e.field)).toEqual(['body.resultStatus']);
  });

  it('takes the same intake over NATS request/reply', async () => {
    const m = makeResultMessage({ rsc: RSC, version: 80 });
    const reply = await h.reader.request(`${h.nats.prefix}${INGEST_RPC_SUBJECT}`, JSON.stringify({ xml: m.xml, apiKey: 'demo-venue-key' }), {
      timeout: 10_000,
    });
    expect(ingestAckSchema.parse(reply.json())).toMatchObject({ outcome: 'applied', version: 80, published: true });

    const again = await h.reader.request(`${h.nats.prefix}${INGEST_RPC_SUBJECT}`, JSON.stringify({ message: m.json, apiKey: 'demo-venue-key' }), {
      timeout: 10_000,
    });
    expect(ingestAckSchema.parse(again.json()).outcome).toBe('duplicate');

    const refused = await h.reader.request(`${h.nats.prefix}${INGEST_RPC_SUBJECT}`, JSON.stringify({ xml: m.xml }), { timeout: 10_000 });
    expect(refused.headers?.get('x-error')).toBe('unauthorized');
  });

  it('takes DT_CURRENT on the fast path: latest only, on its own stream', async () => {
    const rsc = RSC;
    for (const version of [1, 2, 3]) {
      const res = await ack(await h.post(makeCurrentMessage({ rsc, version }).xml));
      expect(res).toMatchObject({ outcome: 'applied', published: true, subject: `ods.results-current.v1.ATH.${rsc}` });
    }
    expect((await ack(await h.post(makeCurrentMessage({ rsc, version: 2 }).xml))).outcome).toBe('stale');
    expect((await ack(await h.post(makeCurrentMessage({ rsc, version: 3 }).xml))).outcome).toBe('duplicate');
    const current = await h.readStream('RESULTS_CURRENT');
    expect(current).toHaveLength(1);
    expect(current[0]?.envelope.data).toMatchObject({ documentType: 'DT_CURRENT', version: 3, resultStatus: 'LIVE' });
    expect(current[0]?.msgId).toBe(resultsEventId(`OG2024|${rsc}||DT_CURRENT|||P`, 3));
    expect((await h.readStream('RESULTS')).some((m) => m.envelope.data['documentType'] === 'DT_CURRENT')).toBe(false);
  });

  it('keeps the test feed apart from production', async () => {
    const res = await ack(await h.post(makeResultMessage({ rsc: RSC, version: 1, feedFlag: 'T' }).xml));
    expect(res).toMatchObject({ outcome: 'applied', feedFlag: 'T', documentKey: `OG2024|${RSC}||DT_RESULT|||T` });
    expect(res.subject).toBe(`ods.results-test.v1.ATH.${RSC}.DT_RESULT`);
    expect((await h.readStream('RESULTS_TEST')).map((m) => m.envelope.data['feedFlag'])).toEqual(['T']);
    expect((await h.readStream('RESULTS')).some((m) => m.envelope.data['feedFlag'] === 'T')).toBe(false);
  });

  it('resends a stored version for an operator only', async () => {
    const path = `/v1/documents/${encodeURIComponent(KEY)}/versions/2/resend`;
    expect((await h.request(path, { method: 'POST', token: await h.token(['oc-admin']) })).status).toBe(403);
    const res = await h.request(path, { method: 'POST', token: operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { eventId: string; streamSeq: number };
    const msg = (await h.readStream('RESULTS')).find((m) => m.envelope.id === body.eventId);
    expect(msg?.envelope.data).toMatchObject({ version: 2, resent: true, documentKey: KEY });
  });

  it('accepts a real ODF sample', async () => {
    const xml = await readFile(
      join(__dirname, '../../../../libs/odf-message/src/__fixtures__/itl-og2028-squ-dt_result-wsingles-gold.xml'),
    );
    const res = await ack(await h.post(xml));
    expect(res).toMatchObject({ documentType: 'DT_RESULT', feedFlag: 'T', version: 5, resultStatus: 'OFFICIAL' });
  });
});
