import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { scheduleUnitUpdated } from '@podium/contracts';
import { headers as natsHeaders, type PubAck } from 'nats';
import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../logging/logger.options';
import { getCorrelationId, runWithCorrelationId } from '../logging/correlation';
import { OutboxWriter } from '../outbox/outbox.writer';
import { platformConfigSchema } from '../config/platform.config';
import { extractTraceContext, injectTraceContext, sampledContext, TRACEPARENT_HEADER } from './tracing.propagation';
import { startTracing, type TracingHandle, tracer } from './tracing.runtime';
import { consumeWithSpan, publishWithSpan } from './tracing.spans';
import { statementName, tracePgPool } from './tracing.pg';
import type { Pool } from 'pg';
import { tracingSettings } from './tracing.settings';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const writer = new OutboxWriter({ table: 'outbox_event', channel: 'podium_outbox' });
const ack = (seq: number): PubAck => ({ stream: 'RESULTS', seq, duplicate: false, domain: '' }) as PubAck;

/** The outbox headers of an event prepared in the current context. */
function preparedHeaders(): Record<string, string> {
  const event = writer.prepare('oms.schedules.v1.unit.{discipline}.updated', scheduleUnitUpdated.example, { tokens: { discipline: 'ATH' } });
  return JSON.parse(event.headers) as Record<string, string>;
}

describe('tracing off (the default)', () => {
  it('starts nothing: no tracer, nothing injected, headers published as given, handlers run bare', async () => {
    expect(tracer()).toBeUndefined();
    const carrier: Record<string, string> = {};
    injectTraceContext(carrier);
    expect(carrier).toEqual({});
    expect(runWithCorrelationId('c-1', preparedHeaders)).toEqual({ 'x-correlation-id': 'c-1' });
    const given = { 'x-correlation-id': 'c-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    let sent: unknown;
    await publishWithSpan('ods.results.v1.ATH', 'm-1', given, async (headers) => ((sent = headers), ack(1)));
    expect(sent).toBe(given);
    expect(consumeWithSpan('s', given, {}, () => sampledContext())).toBeUndefined();
  });

  it('is off unless OTEL_TRACES_ENABLED=true, and the standard switches turn it off', () => {
    const base = { SERVICE_NAME: 'results-ingest', PORT: '3005', DATABASE_URL: 'postgres://u@127.0.0.1:5432/d' };
    const parse = (env: Record<string, string>) => tracingSettings(platformConfigSchema.parse({ ...base, ...env }));
    expect(parse({})).toBeUndefined();
    expect(parse({ OTEL_TRACES_ENABLED: 'true' })).toEqual({
      serviceName: 'results-ingest',
      sampler: 'parentbased_traceidratio',
      samplerArg: 1,
      tracesUrl: 'http://localhost:4318/v1/traces',
    });
    expect(parse({ OTEL_TRACES_ENABLED: 'true', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(parse({ OTEL_TRACES_ENABLED: 'true', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(
      parse({
        OTEL_TRACES_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.observability:4318/',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_SERVICE_NAME: 'ingest-eu',
      }),
    ).toMatchObject({ serviceName: 'ingest-eu', samplerArg: 0.1, tracesUrl: 'http://collector.observability:4318/v1/traces' });
    expect(parse({ OTEL_TRACES_ENABLED: 'true', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://c:4318/t' })?.tracesUrl).toBe('https://c:4318/t');
    expect(() => parse({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/ratio between 0 and 1/);
    expect(() => parse({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow();
    expect(() => parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://c:4317' })).toThrow();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let handle: TracingHandle;
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  beforeAll(() => {
    handle = startTracing({
      serviceName: 'tracing-test',
      sampler: 'parentbased_traceidratio',
      samplerArg: 1,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  });
  afterAll(() => handle.shutdown());
  beforeEach(() => exporter.reset());

  function inRequestSpan<T>(fn: () => T): { result: T; traceId: string; spanId: string } {
    const span = tracer()!.startSpan('POST /v1/messages', { kind: SpanKind.SERVER });
    const result = context.with(trace.setSpan(ROOT_CONTEXT, span), fn);
    span.end();
    return { result, ...span.spanContext() };
  }

  it('stores the active span as traceparent in the outbox row, next to the correlation id', () => {
    const { result, traceId, spanId } = inRequestSpan(() => runWithCorrelationId('c-2', preparedHeaders));
    expect(result['x-correlation-id']).toBe('c-2');
    expect(result[TRACEPARENT_HEADER]).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('stores no trace context for an event written outside any span', () => {
    expect(preparedHeaders()).toEqual({});
  });

  it("publishes an outbox row as a PRODUCER span child of the row's context, the message carrying that span", async () => {
    const { result: row, traceId, spanId: requestSpanId } = inRequestSpan(preparedHeaders);
    let sent: Readonly<Record<string, string | undefined>> | undefined;
    // The relay publishes outside any request: the parent comes from the row alone.
    await publishWithSpan('ods.results.v1.ATH', 'evt-1', { ...row, 'x-correlation-id': 'c-3' }, async (headers) => ((sent = headers), ack(7)));
    const producer = spans().find((s) => s.kind === SpanKind.PRODUCER);
    expect(producer).toMatchObject({ name: 'publish ods.results.v1.ATH' });
    expect(producer?.spanContext().traceId).toBe(traceId);
    expect(parentOf(producer!)).toBe(requestSpanId);
    expect(producer?.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'ods.results.v1.ATH',
      'messaging.message.id': 'evt-1',
      'messaging.nats.stream': 'RESULTS',
      'messaging.nats.stream_sequence': 7,
    });
    expect(sent?.['x-correlation-id']).toBe('c-3');
    expect(sent?.[TRACEPARENT_HEADER]).toBe(`00-${traceId}-${producer?.spanContext().spanId}-01`);
  });

  it('marks a failed publish and rethrows', async () => {
    const { result: row } = inRequestSpan(preparedHeaders);
    await expect(publishWithSpan('s.x', undefined, row, () => Promise.reject(new Error('no responders')))).rejects.toThrow('no responders');
    expect(spans().find((s) => s.kind === SpanKind.PRODUCER)?.status).toMatchObject({ code: 2, message: 'no responders' });
  });

  it('starts no trace for a publish without a parent (a trace starts at a request)', async () => {
    let sent: unknown;
    await publishWithSpan('s.x', 'e', { a: 'b' }, async (headers) => ((sent = headers), ack(1)));
    expect(sent).toEqual({ a: 'b' });
    expect(spans()).toEqual([]);
  });

  it('consumes a NATS message in a CONSUMER span child of its traceparent, active in the handler (sync and async)', async () => {
    const { traceId, spanId: publisherSpanId } = inRequestSpan(() => undefined);
    const h = natsHeaders();
    h.set(TRACEPARENT_HEADER, `00-${traceId}-${publisherSpanId}-01`);
    const seenSync = consumeWithSpan('ods.results.v1.ATH', h, { 'messaging.nats.stream_sequence': 3 }, () => trace.getSpanContext(context.active()));
    const seenAsync = await consumeWithSpan('ods.results.v1.ATH', { traceparent: `00-${traceId}-${publisherSpanId}-01` }, {}, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return trace.getSpanContext(context.active());
    });
    const consumers = spans().filter((s) => s.kind === SpanKind.CONSUMER);
    expect(consumers.map((s) => s.name)).toEqual(['process ods.results.v1.ATH', 'process ods.results.v1.ATH']);
    for (const span of consumers) {
      expect(span.spanContext().traceId).toBe(traceId);
      expect(parentOf(span)).toBe(publisherSpanId);
    }
    expect(seenSync?.spanId).toBe(consumers[0]?.spanContext().spanId);
    expect(seenAsync?.spanId).toBe(consumers[1]?.spanContext().spanId);
  });

  it('handles a message without traceparent without a span', () => {
    expect(consumeWithSpan('s', natsHeaders(), {}, () => 42)).toBe(42);
    expect(spans()).toEqual([]);
  });

  it('ends a consumer span failed when the handler throws', async () => {
    const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    await expect(consumeWithSpan('s', headers, {}, async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(() => consumeWithSpan('s', headers, {}, () => { throw new Error('bad'); })).toThrow('bad');
    expect(spans().map((s) => s.status.code)).toEqual([2, 2]);
  });

  it('follows a sampled=0 traceparent without recording (parent-based sampling)', () => {
    const unsampled = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
    expect(consumeWithSpan('s', unsampled, {}, () => sampledContext())).toBeUndefined();
    expect(spans()).toEqual([]);
  });

  it('extracts and injects the W3C format both ways (tracestate kept)', () => {
    const incoming = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' };
    const out: Record<string, string> = {};
    injectTraceContext(out, extractTraceContext(incoming));
    expect(out).toEqual(incoming);
    expect(extractTraceContext({ Traceparent: incoming.traceparent })).not.toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('writes the trace and span ids into the log lines next to the correlation id', () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'tracing-test', level: 'info', destination: { write: (line) => void lines.push(line) } });
    const { traceId, spanId } = inRequestSpan(() => runWithCorrelationId('c-9', () => logger.info('inside')));
    logger.info('outside');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ correlationId: 'c-9', traceId, spanId, msg: 'inside' });
    expect(JSON.parse(lines[1] ?? '{}')).not.toHaveProperty('traceId');
    expect(TRACEPARENT.test(`00-${traceId}-${spanId}-01`)).toBe(true);
  });

  it('traces pool queries (promise and callback) and checked-out connections under a span, never outside one', async () => {
    const connectListeners: ((client: unknown) => void)[] = [];
    const connection = { database: 'podium', query: async (_q: unknown) => ({ rows: [] }) };
    const pool = {
      query: (q: unknown, values?: unknown, cb?: (error: unknown, result?: unknown) => void): unknown => {
        if (typeof cb === 'function') return void setImmediate(() => cb(new Error('refused')));
        return Promise.resolve({ rows: [q, values] });
      },
      on: (event: string, listener: (client: unknown) => void) => void (event === 'connect' && connectListeners.push(listener)),
    };
    tracePgPool(pool as unknown as Pool);
    for (const listener of connectListeners) listener(connection);
    await pool.query({ name: 'outside', text: 'SELECT 1' });
    expect(spans()).toEqual([]);
    const span = tracer()!.startSpan('request');
    await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await pool.query({ name: 'intake-known-rsc', text: 'SELECT EXISTS (...)' }, ['x']);
      await new Promise<void>((resolve) => pool.query('UPDATE t SET a = 1', [], () => resolve()));
      await connection.query('BEGIN');
    });
    span.end();
    const db = spans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(db.map((s) => [s.name, s.status.code])).toEqual([
      ['intake-known-rsc', 0],
      ['UPDATE', 2],
      ['BEGIN', 0],
    ]);
    for (const s of db) expect(parentOf(s)).toBe(span.spanContext().spanId);
    expect(db[2]?.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.namespace': 'podium', 'db.query.summary': 'BEGIN' });
  });

  it('keeps the trace context and the correlation id in one store: each survives the other being set, across awaits', async () => {
    const span = tracer()!.startSpan('request');
    const seen = await runWithCorrelationId('c-5', () =>
      context.with(trace.setSpan(context.active(), span), async () => {
        await new Promise((resolve) => setImmediate(resolve));
        const inner = runWithCorrelationId('c-6', () => [getCorrelationId(), trace.getSpan(context.active())]);
        return [getCorrelationId(), trace.getSpan(context.active()), ...inner];
      }),
    );
    span.end();
    expect(seen).toEqual(['c-5', span, 'c-6', span]);
    expect(trace.getSpan(context.active())).toBeUndefined();
    const bound = context.bind(trace.setSpan(ROOT_CONTEXT, span), () => trace.getSpan(context.active()));
    expect(bound()).toBe(span);
  });

  it('a second start (another app of the process) joins the running SDK; the last shutdown stops it', async () => {
    const second = startTracing({ serviceName: 'other', sampler: 'always_on', samplerArg: 1 });
    expect(second.serviceName).toBe('tracing-test');
    await second.shutdown();
    expect(tracer()).toBeDefined();
  });
});

describe('statementName', () => {
  it('names a query span after the prepared statement, else the SQL command', () => {
    expect(statementName({ name: 'intake-write-rsc', text: 'WITH locked AS (...)' })).toBe('intake-write-rsc');
    expect(statementName({ text: '  select 1' })).toBe('SELECT');
    expect(statementName('BEGIN')).toBe('BEGIN');
    expect(statementName('-- comment\nINSERT INTO x VALUES (1)')).toBe('INSERT');
    expect(statementName(42)).toBe('query');
  });
});

describe('outgoing HTTP (fetch and http) while tracing is on', () => {
  const exporter = new InMemorySpanExporter();
  let handle: TracingHandle;
  let server: Server;
  let base: string;
  const received: (string | undefined)[] = [];

  beforeAll(async () => {
    handle = startTracing({ serviceName: 'client-test', sampler: 'always_on', samplerArg: 1, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    server = createServer((req, res) => {
      received.push(req.headers[TRACEPARENT_HEADER] as string | undefined);
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await handle.shutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (url: string): Promise<number> =>
    new Promise((resolve, reject) => {
      httpGet(url, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });

  it('makes a CLIENT span per request made within a span (fetch: with its traceparent sent); none outside a span', async () => {
    await fetch(`${base}/outside`);
    const parent = tracer()!.startSpan('request');
    await context.with(trace.setSpan(ROOT_CONTEXT, parent), async () => {
      expect((await fetch(`${base}/jwks?token=secret`)).status).toBe(200);
      expect(await get(`${base}/missing`)).toBe(404);
    });
    parent.end();
    const clients = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients.map((s) => [s.name, s.attributes['url.full'], s.attributes['http.response.status_code'], s.status.code])).toEqual([
      ['GET', `${base}/jwks`, 200, 0],
      ['GET', `${base}/missing`, 404, 2],
    ]);
    for (const span of clients) expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    // fetch sends the client span's traceparent; an http.get's headers are final when Node announces it: span only.
    const [jwks] = clients;
    expect(received).toEqual([undefined, `00-${jwks?.spanContext().traceId}-${jwks?.spanContext().spanId}-01`, undefined]);
  });
});
