import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import { isTracingSuppressed } from '@opentelemetry/core';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { injectTraceContext } from './tracing.propagation';
import { recordError, tracer } from './tracing.runtime';

/** What undici (Node's fetch) publishes on its diagnostics channels (the fields read here). */
interface UndiciRequest {
  method: string;
  origin: string;
  path: string;
  addHeader(name: string, value: string): unknown;
}

const undiciSpans = new WeakMap<object, Span>();
const httpSpans = new WeakMap<object, Span>();

/** The URL of a request without its query string (it may carry tokens). */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

function startClientSpan(method: string, url: string, host: string): Span | undefined {
  const t = tracer();
  const parent = context.active();
  // Only within a span: a client call continues a trace, it does not start one (e.g. a JWKS refresh on a timer). Never
  // the exporter's own requests (the SDK exports with tracing suppressed): they would be traced, exported, traced...
  if (t === undefined || trace.getSpan(parent) === undefined || isTracingSuppressed(parent)) return undefined;
  return t.startSpan(
    method,
    { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_FULL]: withoutQuery(url), [ATTR_SERVER_ADDRESS]: host } },
    parent,
  );
}

function endClientSpan(span: Span, status: number | undefined, error?: unknown): void {
  if (status !== undefined) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  if (error !== undefined) recordError(span, error);
  span.end();
}

const onUndiciCreate = (message: unknown): void => {
  const { request } = message as { request: UndiciRequest };
  const span = startClientSpan(request.method, `${request.origin}${request.path}`, new URL(request.origin).hostname);
  if (span === undefined) return;
  undiciSpans.set(request, span);
  const headers: Record<string, string> = {};
  injectTraceContext(headers, trace.setSpan(context.active(), span));
  for (const [name, value] of Object.entries(headers)) request.addHeader(name, value);
};
const onUndiciHeaders = (message: unknown): void => {
  const { request, response } = message as { request: object; response: { statusCode: number } };
  const span = undiciSpans.get(request);
  if (span === undefined) return;
  undiciSpans.delete(request);
  endClientSpan(span, response.statusCode);
};
const onUndiciError = (message: unknown): void => {
  const { request, error } = message as { request: object; error: unknown };
  const span = undiciSpans.get(request);
  if (span === undefined) return;
  undiciSpans.delete(request);
  endClientSpan(span, undefined, error);
};
const onHttpStart = (message: unknown): void => {
  const { request } = message as { request: ClientRequest };
  // The Host header has the port (request.host has not).
  const authority = String(request.getHeader('host') ?? request.host);
  const span = startClientSpan(request.method, `${request.protocol}//${authority}${request.path}`, request.host);
  if (span === undefined) return;
  httpSpans.set(request, span);
  const headers: Record<string, string> = {};
  injectTraceContext(headers, trace.setSpan(context.active(), span));
  // Node 20 announces the request once its headers are final (after end()): then the span is made, the traceparent
  // cannot be sent. fetch (undici) announces it before: its requests carry it.
  if (!request.headersSent) for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
  request.once('error', (error) => {
    if (httpSpans.delete(request)) endClientSpan(span, undefined, error);
  });
};
const onHttpFinish = (message: unknown): void => {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const span = httpSpans.get(request);
  if (span === undefined) return;
  httpSpans.delete(request);
  endClientSpan(span, response.statusCode);
};

const CHANNELS: [string, (message: unknown) => void][] = [
  ['undici:request:create', onUndiciCreate],
  ['undici:request:headers', onUndiciHeaders],
  ['undici:request:error', onUndiciError],
  ['http.client.request.start', onHttpStart],
  ['http.client.response.finish', onHttpFinish],
];

/**
 * Outgoing HTTP as CLIENT spans: `fetch` (undici; the traceparent is sent along) and `http`/`https` requests, seen on
 * Node's diagnostics channels (no module patched, so it works the same in the bundled services and in tests). Only a
 * request made inside a span gets one. Subscribed while tracing runs (startTracing); returns the unsubscribe.
 */
export function traceHttpClients(): () => void {
  for (const [name, listener] of CHANNELS) diagnostics.subscribe(name, listener);
  return () => {
    for (const [name, listener] of CHANNELS) diagnostics.unsubscribe(name, listener);
  };
}
