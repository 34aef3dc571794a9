import { context, type Context, ROOT_CONTEXT, type TextMapGetter, type TextMapSetter, trace, TraceFlags } from '@opentelemetry/api';
import type { MsgHdrs } from 'nats';
import { TRACE_CONTEXT_PROPAGATOR, tracer } from './tracing.runtime';

/** The W3C trace context headers, in HTTP requests, NATS messages and outbox rows. */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

const recordGetter: TextMapGetter<HeaderRecord> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] ?? carrier[lowerKeyOf(carrier, key) ?? key],
};

const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const msgHeadersGetter: TextMapGetter<MsgHdrs> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => (carrier.has(key) ? carrier.get(key) : undefined),
};

/** A header named like `key` in another case (NATS header names keep their case). */
function lowerKeyOf(carrier: HeaderRecord, key: string): string | undefined {
  for (const name of Object.keys(carrier)) if (name.toLowerCase() === key) return name;
  return undefined;
}

/**
 * Writes the W3C trace context of `ctx` (default: the active one) into `carrier` (traceparent, and tracestate when
 * there is one). Writes nothing while tracing is off or when `ctx` holds no span: when off, nothing is propagated.
 */
export function injectTraceContext(carrier: Record<string, string>, ctx: Context = context.active()): void {
  if (tracer() === undefined || trace.getSpanContext(ctx) === undefined) return;
  TRACE_CONTEXT_PROPAGATOR.inject(ctx, carrier, recordSetter);
}

/** The context whose remote parent is the trace context of headers (HTTP, a NATS message, an outbox row); ROOT when none. */
export function extractTraceContext(carrier: HeaderRecord): Context {
  return TRACE_CONTEXT_PROPAGATOR.extract(ROOT_CONTEXT, carrier, recordGetter);
}

/** {@link extractTraceContext} of a NATS message's headers, read in place. */
export function extractFromMsgHeaders(headers: MsgHdrs | undefined): Context {
  return headers === undefined ? ROOT_CONTEXT : TRACE_CONTEXT_PROPAGATOR.extract(ROOT_CONTEXT, headers, msgHeadersGetter);
}

/** True when headers carry a traceparent (whatever its case). */
export function hasTraceParent(carrier: HeaderRecord): boolean {
  return carrier[TRACEPARENT_HEADER] !== undefined || lowerKeyOf(carrier, TRACEPARENT_HEADER) !== undefined;
}

/**
 * The active context when tracing is on and it holds a sampled span (what later work of the same request or message,
 * e.g. a fan-out round, is attached to); undefined otherwise, at the cost of one compare when off.
 */
export function sampledContext(): Context | undefined {
  if (tracer() === undefined) return undefined;
  const ctx = context.active();
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 ? ctx : undefined;
}

/** The ids of the active sampled span, for the log lines (undefined while tracing is off or outside a sampled span). */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (tracer() === undefined) return undefined;
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
