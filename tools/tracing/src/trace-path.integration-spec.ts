/**
 * One trace follows a result from the venue's POST to the commentators' and the web's screens (docs/tracing.md): the
 * built results-ingest and results-distribution run as processes (as deployed; an in-process test of both would have
 * one app import another), on the local PostgreSQL and NATS, with tracing on and every trace kept; their spans are
 * exported over OTLP/HTTP (JSON) to a receiver in this test. A venue POSTs an ODF message carrying a traceparent; a CIS
 * WebSocket client and an SSE client receive the result; every span of the path has the venue's trace id, each with
 * the parent it should have:
 *
 *   venue (traceparent) -> POST /v1/messages (results-ingest, SERVER) -> intake-write-* (PostgreSQL, CLIENT)
 *                                                                     -> publish ods.results.v1.… (the outbox relay, PRODUCER)
 *   -> process ods.results.v1.… (results-distribution, CONSUMER) -> fan-out cis, fan-out sse (INTERNAL)
 */
import { makeResultMessage } from '@podium/odf-message';
import { createTestNats, type ServiceProcess, startServiceProcess, type TestNats, waitFor } from '@podium/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

const API_KEY = 'venue-key-tracing-0123456789';
const RSC = 'ATHM100M--------------FNL-000100--';

/** A span as the OTLP/HTTP JSON exporter sends it (the fields this test reads). */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpBody {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: Record<string, unknown> }[] };
    scopeSpans?: { spans?: (Omit<ExportedSpan, 'service' | 'attributes'> & { attributes?: { key: string; value: Record<string, unknown> }[] })[] }[];
  }[];
}

/** An OTLP/HTTP traces endpoint that keeps what it is sent (POST /v1/traces, JSON). */
async function startReceiver(): Promise<{ url: string; spans: ExportedSpan[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.method === 'POST') {
        const parsed = JSON.parse(body) as OtlpBody;
        for (const resourceSpans of parsed.resourceSpans ?? []) {
          const service = String(valueOf(resourceSpans.resource?.attributes, 'service.name'));
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
              spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name, kind: span.kind, attributes });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

function valueOf(attributes: { key: string; value: Record<string, unknown> }[] | undefined, key: string): unknown {
  const found = attributes?.find((a) => a.key === key);
  return found ? Object.values(found.value)[0] : undefined;
}

describe('one trace from the venue to the CIS and SSE clients', () => {
  let nats: TestNats;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ingest: ServiceProcess | undefined;
  let distribution: ServiceProcess | undefined;
  let ws: WebSocket | undefined;
  const sse = new AbortController();

  beforeAll(async () => {
    nats = await createTestNats();
    receiver = await startReceiver();
    const tracing = {
      OTEL_TRACES_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
      // The SDK's batch processor: export every 100 ms (default 5 s), so the test does not wait.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    ingest = await startServiceProcess({
      service: 'results-ingest',
      nats,
      env: { ...tracing, INGEST_API_KEYS: JSON.stringify({ [API_KEY]: '*' }) },
    });
    distribution = await startServiceProcess({ service: 'results-distribution', nats, env: { ...tracing, INSTANCE_ID: 'tracing' } });
  }, 120_000);

  afterAll(async () => {
    ws?.close();
    sse.abort();
    await distribution?.stop();
    await ingest?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await nats?.cleanup();
  }, 60_000);

  it('carries the venue trace id through results-ingest, the outbox, JetStream and results-distribution to both channels', async () => {
    const ingestUrl = ingest!.url;
    const distributionUrl = distribution!.url;

    // A commentator (CIS) and a web client (SSE) follow athletics.
    const cisFrames: Record<string, unknown>[] = [];
    ws = new WebSocket(`${distribution!.wsUrl}/v1/cis`);
    ws.on('message', (data) => cisFrames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => {
      ws!.once('open', () => resolve());
      ws!.once('error', reject);
    });
    ws.send(JSON.stringify({ action: 'subscribe', id: 'ath', discipline: 'ATH' }));
    await waitFor(() => cisFrames.some((f) => f['type'] === 'subscribed'), { timeoutMs: 10_000, description: 'CIS subscribed' });
    let sseText = '';
    const stream = await fetch(`${distributionUrl}/v1/stream?discipline=ATH`, { headers: { accept: 'text/event-stream' }, signal: sse.signal });
    expect(stream.status).toBe(200);
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) sseText += decoder.decode(chunk, { stream: true });
      } catch {
        // aborted at the end of the test
      }
    })();

    // The venue's system sends the result within its own trace.
    const traceId = randomBytes(16).toString('hex');
    const venueSpanId = randomBytes(8).toString('hex');
    const posted = await fetch(`${ingestUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-api-key': API_KEY, traceparent: `00-${traceId}-${venueSpanId}-01` },
      body: makeResultMessage({ rsc: RSC, version: 1, resultStatus: 'LIVE', seed: 1 }).xml,
    });
    expect(posted.status).toBe(200);
    const { documentKey } = (await posted.json()) as { documentKey: string };

    await waitFor(() => cisFrames.some((f) => f['type'] === 'update' && JSON.stringify(f).includes(documentKey)), {
      timeoutMs: 15_000,
      description: 'the CIS update',
    });
    await waitFor(() => sseText.includes(documentKey), { timeoutMs: 15_000, description: 'the SSE event' });

    // Every span of the path, exported by both processes.
    const ofTrace = (): ExportedSpan[] => receiver.spans.filter((s) => s.traceId === traceId);
    const find = (service: string, kind: number, name: RegExp): ExportedSpan | undefined =>
      ofTrace().find((s) => s.service === service && s.kind === kind && name.test(s.name));
    await waitFor(() => find('results-distribution', 1, /^fan-out sse$/) && find('results-distribution', 1, /^fan-out cis$/), {
      timeoutMs: 15_000,
      description: `the fan-out spans of trace ${traceId} (received: ${receiver.spans.map((s) => `${s.service} ${s.name}`).join(', ')})`,
    });

    const server = find('results-ingest', 2, /^POST \/v1\/messages$/);
    const insert = find('results-ingest', 3, /^intake-write-/);
    const publish = find('results-ingest', 4, /^publish ods\.results\.v1\./);
    const consume = find('results-distribution', 5, /^process ods\.results\.v1\./);
    const fanOutCis = find('results-distribution', 1, /^fan-out cis$/);
    const fanOutSse = find('results-distribution', 1, /^fan-out sse$/);
    const path = { server, insert, publish, consume, fanOutCis, fanOutSse };
    const missing = Object.entries(path).filter(([, span]) => span === undefined).map(([step]) => step);
    const received = ofTrace().map((s) => `${s.service}: ${s.name}`);
    expect({ missing, received }).toEqual({ missing: [], received: expect.any(Array) });

    // The parents: the venue's span, the request, the request (the outbox row keeps the request's context), the
    // relay's publish (its traceparent in the message headers), the consumed message.
    expect(server?.parentSpanId).toBe(venueSpanId);
    expect(insert?.parentSpanId).toBe(server?.spanId);
    expect(publish?.parentSpanId).toBe(server?.spanId);
    expect(consume?.parentSpanId).toBe(publish?.spanId);
    expect(fanOutCis?.parentSpanId).toBe(consume?.spanId);
    expect(fanOutSse?.parentSpanId).toBe(consume?.spanId);

    expect(server?.attributes).toMatchObject({ 'http.route': '/v1/messages', 'http.response.status_code': 200 });
    expect(insert?.attributes).toMatchObject({ 'db.system.name': 'postgresql' });
    expect(publish?.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.nats.stream': `${nats.namePrefix}RESULTS` });
    expect(consume?.attributes['messaging.nats.stream_sequence']).toBe(publish?.attributes['messaging.nats.stream_sequence']);
    expect(fanOutCis?.attributes).toMatchObject({ 'podium.channel': 'cis', 'podium.fanout.recipients': 1, 'podium.document.key': documentKey });
    expect(fanOutSse?.attributes).toMatchObject({ 'podium.channel': 'sse', 'podium.fanout.recipients': 1 });
    // No span of the path was left out of the trace (the probes are not traced at all).
    expect(receiver.spans.filter((s) => s.name.includes('/health'))).toEqual([]);
  });
});
