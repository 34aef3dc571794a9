import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Client, Pool, PoolClient } from 'pg';
import { recordError, tracer } from './tracing.runtime';

/** Attribute names of the database semantic conventions. */
export const DB_ATTRIBUTES = { system: 'db.system.name', namespace: 'db.namespace', summary: 'db.query.summary' } as const;

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Traces the queries of a `pg` pool's connections (PgPool's, and the pool under the Prisma adapter): a CLIENT span per
 * query made inside an active span (a request's, a message's), named after the prepared statement (`intake-write-rsc`)
 * or the SQL command (`SELECT`, `BEGIN`); the query text and values are not recorded. A query outside any span gets
 * none (the outbox relay's polling, the pool's own), and while tracing is off each query pays one compare.
 */
export function tracePgPool(pool: Pool): void {
  pool.on('connect', (client: PoolClient) => traceClientQueries(client));
}

/** Wraps `client.query` (see tracePgPool). */
export function traceClientQueries(client: Client | PoolClient): void {
  const original = client.query as unknown as QueryFn;
  const database = client.database;
  const traced: QueryFn = function tracedQuery(this: unknown, ...args: unknown[]): unknown {
    const t = tracer();
    if (t === undefined) return original.apply(this, args);
    const parent = context.active();
    if (trace.getSpan(parent) === undefined || !isPromiseQuery(args)) return original.apply(this, args);
    const name = statementName(args[0]);
    const span = t.startSpan(
      name,
      {
        kind: SpanKind.CLIENT,
        attributes: { [DB_ATTRIBUTES.system]: 'postgresql', [DB_ATTRIBUTES.summary]: name, ...(database ? { [DB_ATTRIBUTES.namespace]: database } : {}) },
      },
      parent,
    );
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      recordError(span, error);
      span.end();
      throw error;
    }
    return (result as Promise<unknown>).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    );
  };
  (client as unknown as { query: QueryFn }).query = traced;
}

/** Promise-returning calls only: not a callback (last argument a function) nor a Submittable (cursor, stream). */
function isPromiseQuery(args: readonly unknown[]): boolean {
  const first = args[0];
  if (typeof args[args.length - 1] === 'function') return false;
  return !(typeof first === 'object' && first !== null && typeof (first as { submit?: unknown }).submit === 'function');
}

/** The prepared statement's name, else the SQL command (first word), e.g. `SELECT`. */
export function statementName(query: unknown): string {
  if (typeof query === 'object' && query !== null) {
    const { name, text } = query as { name?: unknown; text?: unknown };
    if (typeof name === 'string' && name !== '') return name;
    return commandOf(typeof text === 'string' ? text : '');
  }
  return commandOf(typeof query === 'string' ? query : '');
}

function commandOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(sql);
  return match?.[1] ? match[1].toUpperCase() : 'query';
}
