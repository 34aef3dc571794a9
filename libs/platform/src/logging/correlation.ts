import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** HTTP header carrying the correlation id (the NATS header has the same name). */
export const HTTP_CORRELATION_ID_HEADER = 'x-correlation-id';

interface CorrelationContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** Runs `fn` (and everything it awaits or schedules) with `correlationId` as the current correlation id. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** The correlation id of the current HTTP request or NATS message, if any. */
export function getCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
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
