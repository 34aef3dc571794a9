import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** HTTP header carrying the correlation id (the NATS header has the same name). */
export const HTTP_CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * What the platform keeps per request or message: its correlation id and, with tracing on, its OpenTelemetry context
 * (tracing.context.ts). One AsyncLocalStorage holds both: each one enabled costs every promise and callback of the
 * process a little (~50 ns per promise for a second one, measured in isolation).
 */
interface RequestContext {
  readonly correlationId?: string;
  readonly trace?: unknown;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits or schedules) with `correlationId` as the current correlation id. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  const current = storage.getStore();
  return storage.run(current?.trace === undefined ? { correlationId } : { correlationId, trace: current.trace }, fn);
}

/** The correlation id of the current HTTP request or NATS message, if any. */
export function getCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` with `trace` as the current trace context (the OpenTelemetry context manager of the platform). */
export function runWithTraceContext<T>(trace: unknown, fn: () => T): T {
  const current = storage.getStore();
  return storage.run(current?.correlationId === undefined ? { trace } : { correlationId: current.correlationId, trace }, fn);
}

/** The current trace context, if any (see runWithTraceContext). */
export function getTraceContext(): unknown {
  return storage.getStore()?.trace;
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** Ids accepted from clients: 1-128 visible characters, no spaces/quotes (they end up in logs and headers). */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function isAcceptableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && ACCEPTED_ID.test(value);
}

const REQUEST_CORRELATION_ID = Symbol.for('podium.platform.correlation-id');

type CorrelatedRequest = IncomingMessage & { [REQUEST_CORRELATION_ID]?: string; id?: unknown };

/**
 * The correlation id of a request: the `x-correlation-id` header when it is acceptable, a new uuid
 * otherwise. Idempotent: the id is kept on the request, set as `req.id`
 * and echoed in the response header.
 */
export function resolveCorrelationId(req: IncomingMessage, res?: ServerResponse): string {
  const request = req as CorrelatedRequest;
  let id = request[REQUEST_CORRELATION_ID];
  if (id === undefined) {
    const header = req.headers[HTTP_CORRELATION_ID_HEADER];
    id = isAcceptableCorrelationId(header) ? header : newCorrelationId();
    request[REQUEST_CORRELATION_ID] = id;
    request.id = id;
  }
  if (res && !res.headersSent && res.getHeader(HTTP_CORRELATION_ID_HEADER) === undefined) {
    res.setHeader(HTTP_CORRELATION_ID_HEADER, id);
  }
  return id;
}
