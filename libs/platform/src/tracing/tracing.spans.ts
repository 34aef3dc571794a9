import { type Attributes, context, type Context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MsgHdrs, PubAck } from 'nats';
import {
  extractFromMsgHeaders,
  extractTraceContext,
  hasTraceParent,
  injectTraceContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from './tracing.propagation';
import { recordError, tracer } from './tracing.runtime';

/** Attribute names of the messaging semantic conventions (incubating: copied, as their docs advise). */
export const MESSAGING_ATTRIBUTES = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
} as const;

/** Stream and sequence of a JetStream message (no semantic convention yet). */
export const JETSTREAM_ATTRIBUTES = { stream: 'messaging.nats.stream', sequence: 'messaging.nats.stream_sequence' } as const;

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * A JetStream publish as a PRODUCER span (`publish <subject>`), child of the trace context the headers already carry
 * (an outbox row's, captured when it was enqueued) or else of the active span; `send` gets the headers with the
 * span's own traceparent, so the consumer's span is its child. No parent, no span: a publish continues a trace (one
 * that began at an HTTP request), it does not start one. Off: `send(headers)` and nothing else.
 */
export async function publishWithSpan(
  subject: string,
  msgId: string | undefined,
  headers: Headers | undefined,
  send: (headers: Headers | undefined) => Promise<PubAck>,
): Promise<PubAck> {
  const t = tracer();
  if (t === undefined) return send(headers);
  const parent = headers !== undefined && hasTraceParent(headers) ? extractTraceContext(headers) : context.active();
  if (trace.getSpanContext(parent) === undefined) return send(headers);
  const span = t.startSpan(
    `publish ${subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MESSAGING_ATTRIBUTES.system]: 'nats',
        [MESSAGING_ATTRIBUTES.destination]: subject,
        [MESSAGING_ATTRIBUTES.operationType]: 'send',
        ...(msgId === undefined ? {} : { [MESSAGING_ATTRIBUTES.messageId]: msgId }),
      },
    },
    parent,
  );
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (value !== undefined && lower !== TRACEPARENT_HEADER && lower !== TRACESTATE_HEADER) sent[name] = value;
  }
  injectTraceContext(sent, trace.setSpan(parent, span));
  try {
    const ack = await send(sent);
    span.setAttributes({ [JETSTREAM_ATTRIBUTES.stream]: ack.stream, [JETSTREAM_ATTRIBUTES.sequence]: ack.seq });
    return ack;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Handles a consumed message inside a CONSUMER span (`process <subject>`), child of the message's traceparent, so that
 * what the handler does (queries, publishes, a fan-out) joins the trace of the publication. A message without a
 * traceparent, or tracing off: `handle()` alone. `handle` may be synchronous (the span ends when it returns) or not.
 */
export function consumeWithSpan<T>(
  subject: string,
  headers: MsgHdrs | Headers | undefined,
  attributes: Attributes,
  handle: () => T,
): T {
  const t = tracer();
  if (t === undefined || headers === undefined) return handle();
  const parent = isMsgHdrs(headers) ? extractFromMsgHeaders(headers) : extractTraceContext(headers);
  if (trace.getSpanContext(parent) === undefined) return handle();
  const span = t.startSpan(
    `process ${subject}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MESSAGING_ATTRIBUTES.system]: 'nats',
        [MESSAGING_ATTRIBUTES.destination]: subject,
        [MESSAGING_ATTRIBUTES.operationType]: 'process',
        ...attributes,
      },
    },
    parent,
  );
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), handle);
  } catch (error) {
    recordError(span, error);
    span.end();
    throw error;
  }
  if (isPromiseLike(result)) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/**
 * Starts an INTERNAL span under `parent` (a context kept from the message or request it belongs to, see
 * sampledContext): work done later for it, e.g. the fan-out round of a consumed result. The caller ends it.
 */
export function startSpanIn(parent: Context, name: string, attributes: Attributes): Span | undefined {
  return tracer()?.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
}

/** Ends spans started with {@link startSpanIn}, marking them failed with `error` when given. */
export function endSpans(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    span.end();
  }
}

function isMsgHdrs(headers: MsgHdrs | Headers): headers is MsgHdrs {
  return typeof (headers as MsgHdrs).keys === 'function' && typeof (headers as MsgHdrs).get === 'function';
}

function isPromiseLike<T>(value: T): value is T & PromiseLike<Awaited<T>> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
