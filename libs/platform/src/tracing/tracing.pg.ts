import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Client, Pool, PoolClient } from 'pg';
import { recordError, tracer } from './tracing.runtime';

/** Attribute names of the database semantic conventions. */
export const DB_ATTRIBUTES = { system: 'db.system.name', namespace: 'db.namespace', summary: 'db.query.summary' } as const;

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Traces the queries of a `pg` pool (PgPool's, and the pool under the Prisma adapter): a CLIENT span per query made
 * inside an active span (a request's, a message's), named after the prepared statement (`intake-write-rsc`) or the SQL
 * command (`SELECT`, `BEGIN`); the query text and values are not recorded. Both ways a pool is queried are covered:
 * `pool.query` (its span starts in the caller's context, not in the one of whoever frees a connection for it) and the
 * connections checked out for transactions (`client.query`). A query outside any span gets none (the pool's own), and
 * while tracing is off each query pays one compare.
 */
export function tracePgPool(pool: Pool): void {
  wrapQuery(pool as unknown as { query: QueryFn }, () => undefined);
  // pool.query runs its statement on a connection with a callback: only the promise calls of a checked-out connection
  // are traced there, so no query is traced twice.
  pool.on('connect', (client: PoolClient) => traceClientQueries(client));
}

/** Wraps `client.query` of a connection (see tracePgPool). */
export function traceClientQueries(client: Client | PoolClient): void {
  wrapQuery(client as unknown as { query: QueryFn }, () => client.database, true);
}

function wrapQuery(target: { query: QueryFn }, database: () => string | undefined, promisesOnly = false): void {
  const original = target.query;
  target.query = function tracedQuery(this: unknown, ...args: unknown[]): unknown {
    const t = tracer();
    if (t === undefined) return original.apply(this, args);
    const parent = context.active();
    const callback = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as (...results: unknown[]) => unknown) : undefined;
    if (trace.getSpan(parent) === undefined || isSubmittable(args[0]) || (promisesOnly && callback !== undefined)) {
      return original.apply(this, args);
    }
    const name = statementName(args[0]);
    const namespace = database();
    const span = t.startSpan(
      name,
      {
        kind: SpanKind.CLIENT,
        attributes: { [DB_ATTRIBUTES.system]: 'postgresql', [DB_ATTRIBUTES.summary]: name, ...(namespace ? { [DB_ATTRIBUTES.namespace]: namespace } : {}) },
      },
      parent,
    );
    const end = (error: unknown): void => {
      if (error) recordError(span, error);
      span.end();
    };
    if (callback !== undefined) {
      const tracedArgs = [...args];
      tracedArgs[args.length - 1] = function tracedCallback(this: unknown, error: unknown, ...results: unknown[]): unknown {
        end(error);
        return callback.call(this, error, ...results);
      };
      return original.apply(this, tracedArgs);
    }
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      end(error);
      throw error;
    }
    return (result as Promise<unknown>).then(
      (value) => {
        end(undefined);
        return value;
      },
      (error: unknown) => {
        end(error);
        throw error;
      },
    );
  };
}

/** A Submittable (cursor, stream) is not traced: it has no single end. */
function isSubmittable(first: unknown): boolean {
  return typeof first === 'object' && first !== null && typeof (first as { submit?: unknown }).submit === 'function';
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
