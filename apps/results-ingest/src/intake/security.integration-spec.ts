/**
 * The intake read as an attacker holding one venue key would (issue 10): a document is bound to the Source of its
 * first accepted version (also across two replicas, and when the first versions of two Sources race), a Version
 * above 2^31-1 is refused at the door while 2^31-1 goes through as the contracts validate it downstream, and a request
 * without a valid key is answered before its body is read, parsed or inflated.
 */
import * as http from 'node:http';
import zlib from 'node:zlib';

import { INGEST_RPC_SUBJECT, type IngestAck, ingestAckSchema, parseEnvelope, resultsDocumentPublished } from '@podium/contracts';
import { makeCurrentMessage, makeResultMessage, MAX_ODF_VERSION, type OdfJson } from '@podium/odf-message';
import { CONFIG, NatsConnectionService, NatsPublisher, type OutboxRelay, OutboxWriter, PgPool } from '@podium/platform';
import { strictMock } from '@podium/testing';
import { headers as natsHeaders } from 'nats';

import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { type Harness, startResultsIngest } from '../test-support/harness';
import { IngestMetrics } from './ingest-metrics';
import { IngestError, parseXmlInput } from './intake.logic';
import { BODY_API_KEY_MAX_BYTES } from './intake.nats';
import { IntakeService } from './intake.service';
import { PublishWaiter } from './publish-waiter';

/** Venue A's key (Source ATHVEN1), venue B's key (Source ATHVEN2), and a key for every Source. */
const KEY_A = 'venue-a-key-0123456789abcdef';
const KEY_B = 'venue-b-key-0123456789abcdef';
const KEY_ALL = 'every-source-key-0123456789';
const SOURCE_A = 'ATHVEN1';
const SOURCE_B = 'ATHVEN2';

const rscOf = (n: number): string => `ATHM100M--------------FNL-0001${String(n).padStart(2, '0')}--`;
const keyOf = (rsc: string, type = 'DT_RESULT'): string => `OG2024|${rsc}||${type}|||P`;

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

async function problem(res: Response, status: number): Promise<Problem> {
  const body = (await res.json()) as Problem;
  expect([res.status, body.status]).toEqual([status, status]);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return body;
}

async function ack(res: Response): Promise<IngestAck> {
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(body)}`);
  return ingestAckSchema.parse(body);
}

function participants(version: number, type: 'DT_PARTIC' | 'DT_PARTIC_UPDATE', source: string): OdfJson {
  return {
    competitionCode: 'OG2024',
    documentCode: 'ATH-------------------------------',
    documentType: type,
    version,
    feedFlag: 'P',
    date: '2024-08-01',
    time: '100000000',
    source,
    competition: { Participant: [{ Code: '1000001', Name: 'A', Status: 'ACTIVE' }] },
  } as OdfJson;
}

/**
 * A POST whose body is announced whole (Content-Length) but of which only `sent` bytes are written: the answer can
 * arrive only if the service answers without reading the body to its end (so without parsing or inflating it).
 * Resolves with the answer, or 'no answer' after `waitMs`; the request is then cut.
 */
function postPartially(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  sent: number,
  waitMs: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string } | 'no answer'> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/messages`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, waitMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.write(body.subarray(0, sent));
  });
}

/**
 * Counts the calls of `object[name]` (zlib's factories are read-only properties, so jest.spyOn cannot replace them;
 * they are configurable): the body parser (body-parser's read.js) and body.ts call them through the module object.
 */
function countCalls<T extends object>(object: T, name: keyof T & string): { count(): number; restore(): void } {
  const original = Object.getOwnPropertyDescriptor(object, name);
  const fn = original?.value as ((...args: unknown[]) => unknown) | undefined;
  if (original === undefined || typeof fn !== 'function') throw new Error(`${name} is not a function`);
  let calls = 0;
  Object.defineProperty(object, name, {
    ...original,
    value: function (this: unknown, ...args: unknown[]): unknown {
      calls++;
      return fn.apply(this, args);
    },
  });
  return { count: () => calls, restore: () => Object.defineProperty(object, name, original) };
}

describe('results-ingest against a venue key holder', () => {
  let h: Harness;
  let operator: string;

  beforeAll(async () => {
    h = await startResultsIngest({
      INGEST_API_KEYS: JSON.stringify({ [KEY_A]: [SOURCE_A], [KEY_B]: [SOURCE_B], [KEY_ALL]: '*' }),
    });
    operator = await h.token(['ods-operator']);
  });
  afterAll(() => h?.close());

  async function versions(key: string): Promise<{ version: number; disposition: string; source: string }[]> {
    const { rows } = await h.app.get(PgPool).pool.query<{ version: string; disposition: string; source: string }>(
      'SELECT version::text, disposition, source FROM document_version WHERE document_key = $1 ORDER BY id',
      [key],
    );
    return rows.map((r) => ({ version: Number(r.version), disposition: r.disposition, source: r.source }));
  }

  async function publishedVersions(stream: string, key: string): Promise<number[]> {
    return (await h.readStream(stream)).filter((m) => m.envelope.data['documentKey'] === key).map((m) => m.envelope.data['version'] as number);
  }

  async function stored(key: string): Promise<{ source: string; version: number }> {
    const res = await h.request(`/v1/documents/${encodeURIComponent(key)}`, { token: operator });
    expect(res.status).toBe(200);
    return (await res.json()) as { source: string; version: number };
  }

  describe('a document is bound to the Source of its first accepted version', () => {
    it("refuses another Source's versions of it with 403 document-source-mismatch, whatever the Version, and stores nothing", async () => {
      const rsc = rscOf(1);
      const key = keyOf(rsc);
      expect(await ack(await h.post(makeResultMessage({ rsc, version: 1, source: SOURCE_A }).xml, { apiKey: KEY_A }))).toMatchObject({
        version: 1,
        published: true,
      });

      // Venue B's key is valid and bound to B's Source: before the fix, this huge Version made every later one of A stale.
      for (const version of [2_000_000_000, 2, 1]) {
        const refused = await problem(await h.post(makeResultMessage({ rsc, version, source: SOURCE_B }).xml, { apiKey: KEY_B }), 403);
        expect(refused.type).toBe('https://podium.dev/problems/document-source-mismatch');
        expect(refused.errors).toEqual([{ field: 'body.Source', message: 'is not the Source the document is bound to' }]);
        expect(refused.detail).not.toContain(SOURCE_A);
      }
      // A key for every Source does not lift the binding: it is the message's Source that counts.
      const json = makeResultMessage({ rsc, version: 3, source: SOURCE_B }).json;
      await problem(await h.post(JSON.stringify(json), { apiKey: KEY_ALL, contentType: 'application/json' }), 403);

      // Nothing stored or published for B; A carries on.
      expect(await versions(key)).toEqual([{ version: 1, disposition: 'applied', source: SOURCE_A }]);
      expect(await stored(key)).toMatchObject({ source: SOURCE_A, version: 1 });
      expect(await ack(await h.post(makeResultMessage({ rsc, version: 2, source: SOURCE_A }).xml, { apiKey: KEY_A }))).toMatchObject({
        version: 2,
        previousVersion: 1,
        published: true,
      });
      expect(await publishedVersions('RESULTS', key)).toEqual([1, 2]);
    });

    it('refuses another Source over NATS too (x-error forbidden)', async () => {
      const rsc = rscOf(1);
      const reply = await h.reader.request(
        `${h.nats.prefix}${INGEST_RPC_SUBJECT}`,
        JSON.stringify({ xml: makeResultMessage({ rsc, version: 9, source: SOURCE_B }).xml, apiKey: KEY_B }),
        { timeout: 10_000 },
      );
      expect(reply.headers?.get('x-error')).toBe('forbidden');
      expect((reply.json<{ code: string }>()).code).toBe('forbidden');
      expect((await versions(keyOf(rsc))).map((v) => v.source)).toEqual([SOURCE_A, SOURCE_A]);
    });

    it('binds DT_CURRENT (fast path) documents as well', async () => {
      const rsc = rscOf(2);
      const key = keyOf(rsc, 'DT_CURRENT');
      expect((await ack(await h.post(makeCurrentMessage({ rsc, version: 1, source: SOURCE_A }).xml, { apiKey: KEY_A }))).published).toBe(true);
      const refused = await problem(await h.post(makeCurrentMessage({ rsc, version: 999, source: SOURCE_B }).xml, { apiKey: KEY_B }), 403);
      expect(refused.type).toBe('https://podium.dev/problems/document-source-mismatch');
      expect(await stored(key)).toMatchObject({ source: SOURCE_A, version: 1 });
      expect(await ack(await h.post(makeCurrentMessage({ rsc, version: 2, source: SOURCE_A }).xml, { apiKey: KEY_A }))).toMatchObject({
        version: 2,
        previousVersion: 1,
        published: true,
      });
      expect(await publishedVersions('RESULTS_CURRENT', key)).toEqual([2]);
    });

    it("refuses an _UPDATE from another Source than its base document's (it would change the base)", async () => {
      const base = 'OG2024|ATH-------------------------------||DT_PARTIC|||P';
      await ack(await h.post(JSON.stringify(participants(1, 'DT_PARTIC', SOURCE_A)), { apiKey: KEY_A, contentType: 'application/json' }));
      const update = participants(50, 'DT_PARTIC_UPDATE', SOURCE_B);
      const refused = await problem(await h.post(JSON.stringify(update), { apiKey: KEY_B, contentType: 'application/json' }), 403);
      expect(refused.type).toBe('https://podium.dev/problems/document-source-mismatch');
      expect(await versions('OG2024|ATH-------------------------------||DT_PARTIC_UPDATE|||P')).toEqual([]);
      expect(await stored(base)).toMatchObject({ source: SOURCE_A, version: 1 });
    });

    describe('across two replicas', () => {
      let a: IntakeService;
      let b: IntakeService;

      beforeAll(() => {
        a = h.app.get(IntakeService);
        // A second replica on the same database and NATS, with its own cache (see intake.integration-spec.ts).
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

      function send(replica: IntakeService, rsc: string, version: number, source: string): Promise<IngestAck> {
        return replica.ingest(parseXmlInput(makeResultMessage({ rsc, version, source, seed: version }).xml), '*', 'http');
      }

      it('the first versions of two Sources racing on two replicas: one wins, the other is refused and stores nothing', async () => {
        const rounds = Array.from({ length: 12 }, (_, i) => rscOf(10 + i));
        const winners: string[] = [];
        await Promise.all(
          rounds.map(async (rsc, i) => {
            // Alternate which replica carries which Source, so that both orders race.
            const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
            const outcomes = await Promise.allSettled([send(first, rsc, 1, SOURCE_A), send(second, rsc, 1, SOURCE_B)]);
            const accepted = outcomes.flatMap((o, j) => (o.status === 'fulfilled' ? [j === 0 ? SOURCE_A : SOURCE_B] : []));
            const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
            expect(accepted).toHaveLength(1);
            expect(refused).toHaveLength(1);
            expect(refused[0]).toBeInstanceOf(IngestError);
            expect(refused[0]).toMatchObject({ code: 'document-source-mismatch', status: 403 });
            winners[i] = accepted[0] ?? '';
          }),
        );
        for (const [i, rsc] of rounds.entries()) {
          const winner = winners[i] ?? '';
          expect(await versions(keyOf(rsc))).toEqual([{ version: 1, disposition: 'applied', source: winner }]);
          expect((await stored(keyOf(rsc))).source).toBe(winner);
        }
        // Each replica holds its own view: the loser's next version is refused on both, the winner's applied on both.
        const rsc = rounds[0] ?? '';
        const winner = winners[0] ?? '';
        const loser = winner === SOURCE_A ? SOURCE_B : SOURCE_A;
        for (const replica of [a, b]) {
          await expect(send(replica, rsc, 100, loser)).rejects.toMatchObject({ code: 'document-source-mismatch' });
        }
        expect(await send(a, rsc, 2, winner)).toMatchObject({ previousVersion: 1, published: true });
        expect(await send(b, rsc, 3, winner)).toMatchObject({ previousVersion: 2, published: true });
        expect((await versions(keyOf(rsc))).map((v) => [v.version, v.source])).toEqual([
          [1, winner],
          [2, winner],
          [3, winner],
        ]);
      });
    });
  });

  describe('one Version bound for the whole chain: 2^31-1', () => {
    it('refuses Version 2^31 at the door (422 invalid-odf-message naming the field), XML and JSON, storing nothing', async () => {
      const rsc = rscOf(3);
      const xml = makeResultMessage({ rsc, version: 1, source: SOURCE_A }).xml.replace('Version="1"', `Version="${2 ** 31}"`);
      const fromXml = await problem(await h.post(xml, { apiKey: KEY_A }), 422);
      expect(fromXml.type).toBe('https://podium.dev/problems/invalid-odf-message');
      expect(fromXml.errors).toEqual([{ field: 'body.Version', message: `must be at most ${MAX_ODF_VERSION} (2^31-1)` }]);

      const json = { ...makeResultMessage({ rsc, version: 1, source: SOURCE_A }).json, version: 2 ** 31 };
      const fromJson = await problem(await h.post(JSON.stringify(json), { apiKey: KEY_A, contentType: 'application/json' }), 422);
      expect(fromJson.errors).toEqual([{ field: 'body.version', message: `must be at most ${MAX_ODF_VERSION} (2^31-1)` }]);
      expect(await versions(keyOf(rsc))).toEqual([]);
    });

    it('accepts Version 2^31-1 and publishes it as the contracts (and results-distribution) validate it', async () => {
      const rsc = rscOf(4);
      const key = keyOf(rsc);
      const res = await ack(await h.post(makeResultMessage({ rsc, version: 2 ** 31 - 1, source: SOURCE_A }).xml, { apiKey: KEY_A }));
      expect(res).toMatchObject({ version: 2 ** 31 - 1, published: true });
      const [published] = (await h.readStream('RESULTS')).filter((m) => m.envelope.data['documentKey'] === key);
      const envelope = parseEnvelope(resultsDocumentPublished.subject, published?.envelope);
      expect(envelope.data.version).toBe(2 ** 31 - 1);
    });
  });

  describe('the API key is checked before the body is read', () => {
    const TEN_MB = 10 * 1000 * 1000;
    const json = Buffer.from(`{"competitionCode":"${'x'.repeat(TEN_MB - 22)}"}`);
    let gzipped: Buffer;

    beforeAll(() => {
      expect(json.length).toBe(TEN_MB);
      gzipped = zlib.gzipSync(json);
    });

    it.each([
      ['missing', {}],
      ['unknown', { 'x-api-key': 'not-a-key-of-this-service' }],
    ])('a 10 MB JSON body with the key %s: 401 before the body is complete', async (_what, keyHeader) => {
      const answer = await postPartially(h.url, { 'content-type': 'application/json', ...keyHeader }, json, 64 * 1024, 10_000);
      if (answer === 'no answer') throw new Error('no answer while the body was incomplete: the service waited for the body');
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.headers['www-authenticate']).toBe('ApiKey header="X-API-KEY"');
      expect((JSON.parse(answer.body) as Problem).type).toBe('https://podium.dev/problems/invalid-api-key');
    });

    it('a gzip-encoded 10 MB JSON body without a key: 401 before the body is complete, nothing inflated', async () => {
      expect(zlib.gunzipSync(gzipped).length).toBe(TEN_MB);
      const inflaters = (['createGunzip', 'createInflate', 'createUnzip'] as const).map((name) => countCalls(zlib, name));
      try {
        const answer = await postPartially(
          h.url,
          { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          gzipped,
          Math.floor(gzipped.length / 2),
          10_000,
        );
        if (answer === 'no answer') throw new Error('no answer while the body was incomplete: the service waited for the body');
        expect(answer.status).toBe(401);
        expect(inflaters.map((c) => c.count())).toEqual([0, 0, 0]);
      } finally {
        inflaters.forEach((c) => c.restore());
      }
    });

    it('with a valid key the same body is read (the test above can tell): no answer while it is incomplete', async () => {
      const answer = await postPartially(h.url, { 'content-type': 'application/json', 'x-api-key': KEY_A }, json, 64 * 1024, 1_000);
      expect(answer).toBe('no answer');
    });

    it('a complete message with a valid key is still taken', async () => {
      const m = makeResultMessage({ rsc: rscOf(5), version: 1, source: SOURCE_A });
      expect((await ack(await h.post(JSON.stringify(m.json), { apiKey: KEY_A, contentType: 'application/json', gzip: true }))).published).toBe(true);
      const missing = await problem(await h.post(m.xml, { apiKey: null }), 401);
      expect(missing.type).toBe('https://podium.dev/problems/invalid-api-key');
    });
  });

  describe('over NATS, the key is checked before the body is parsed', () => {
    /** A request on the intake subject; its reply's x-error header (undefined: accepted) and code. */
    async function natsRequest(body: string, key?: string): Promise<{ error: string | undefined; code?: string; message?: string }> {
      const keyHeader = natsHeaders();
      if (key !== undefined) keyHeader.set('x-api-key', key);
      const reply = await h.reader.request(`${h.nats.prefix}${INGEST_RPC_SUBJECT}`, body, { timeout: 10_000, headers: keyHeader });
      const error = reply.headers?.get('x-error') || undefined;
      return error === undefined ? { error } : { error, ...reply.json<{ code: string; message: string }>() };
    }
    /** Not JSON: a body that is parsed answers bad-request, one that is not read answers unauthorized. */
    const notJson = (bytes: number): string => `{${'x'.repeat(bytes - 1)}`;

    it('a wrong x-api-key header: unauthorized, the body unread (a body that is not JSON is not reported)', async () => {
      for (const bytes of [100, 200 * 1024]) expect(await natsRequest(notJson(bytes), 'not-a-key-of-this-service')).toMatchObject({ error: 'unauthorized' });
      // The same body with a valid key is read (so the answer above tells): bad-request.
      expect(await natsRequest(notJson(100), KEY_A)).toMatchObject({ error: 'bad-request' });
    });

    it('no header: a body above 64 KB is refused unread, a smaller one is read for its apiKey', async () => {
      const refused = await natsRequest(notJson(BODY_API_KEY_MAX_BYTES + 1));
      expect(refused).toMatchObject({ error: 'unauthorized', code: 'unauthorized' });
      expect(refused.message).toContain('x-api-key header');
      expect(await natsRequest(notJson(BODY_API_KEY_MAX_BYTES))).toMatchObject({ error: 'bad-request' });
      const m = makeResultMessage({ rsc: rscOf(6), version: 1, source: SOURCE_A });
      expect(await natsRequest(JSON.stringify({ xml: m.xml, apiKey: KEY_A }))).toEqual({ error: undefined });
      expect(await natsRequest(JSON.stringify({ xml: makeResultMessage({ rsc: rscOf(6), version: 2, source: SOURCE_A }).xml }), KEY_A)).toEqual({ error: undefined });
    });
  });
});
