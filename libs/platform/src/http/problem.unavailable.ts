import { ProblemException } from './problem';

/**
 * A request that failed because a dependency went away for a moment (PostgreSQL restarting or failing over, NATS
 * restarting) is answered 503 `dependency-unavailable` with Retry-After, never a 500: the client may send it again,
 * and a venue system or a browser does. The error's text (hosts, SQL states, the driver's words) stays in the log.
 */

/** Seconds a client is told to wait before sending a request refused because a dependency is unavailable. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

export type UnavailableDependency = 'database' | 'messaging';

/**
 * SQLSTATEs of a database that is going away or not there yet: class 08 (connection exception), 57P01 admin_shutdown
 * (a fast shutdown or a switchover ends the session), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up,
 * recovering), 53300 too_many_connections, 40P01/40001 excluded (they are conflicts, retried by the platform).
 */
const DATABASE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma's codes for a database out of reach: can't reach, timed out, server closed the connection, no pooled connection in time. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Prisma's P2028 messages of a transaction that could not start, or ran out of time, because the database is slow to answer. */
const PRISMA_TX_TIMEOUTS = /Unable to start a transaction in the given time|Transaction already closed|expired transaction/;
/** @prisma/adapter-pg's DriverAdapterError kinds of the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** Socket errors of a server that is down or restarting. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres's own words for a connection that ended or could not be had in time. */
const PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;
/** nats.js ErrorCode values of a connection that is closed, draining, refused, reconnecting or not answering. */
const NATS_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DRAINING', 'CONNECTION_REFUSED', 'CONNECTION_TIMEOUT', 'DISCONNECT', 'TIMEOUT', '503']);
/** The platform's own words when NATS is not connected (NatsConnectionService, OutboxRelay, NatsPublisher). */
const NATS_MESSAGES = /^NATS (is not connected|not connected yet|connection closed|disconnected)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: unknown;
  errors?: unknown;
  clientVersion?: unknown;
}

/** Which dependency's absence `error` (or its cause chain) shows; undefined for any other error. */
export function unavailableDependency(error: unknown, depth = 0): UnavailableDependency | undefined {
  if (typeof error !== 'object' || error === null || depth > 6) return undefined;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const isPrisma = typeof e.clientVersion === 'string' || name.startsWith('PrismaClient');
  if (isPrisma && code && PRISMA_CODES.has(code)) return 'database';
  if (isPrisma && name === 'PrismaClientInitializationError') return 'database';
  // P2028 (Transaction API error) when the database did not give a connection or answer in time: a frozen or failing
  // over server (the transaction, if it began, was rolled back).
  if (isPrisma && code === 'P2028' && PRISMA_TX_TIMEOUTS.test(message)) return 'database';
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return 'database';
  const sqlState = typeof e.originalCode === 'string' ? e.originalCode : !isPrisma && code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState && (sqlState.startsWith('08') || DATABASE_SQLSTATES.has(sqlState))) return 'database';
  if (PG_MESSAGES.test(message)) return 'database';
  if (name === 'NatsError' && code && NATS_CODES.has(code)) return 'messaging';
  if (NATS_MESSAGES.test(message)) return 'messaging';
  if (code && SOCKET_CODES.has(code) && !isPrisma) return 'database';
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  const nested = [meta?.driverAdapterError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const inner of nested) {
    const found = unavailableDependency(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The 503 answer to a request refused because `dependency` is unavailable. */
export function dependencyUnavailableProblem(dependency: UnavailableDependency): ProblemException {
  const what = dependency === 'database' ? 'The database' : 'The messaging system (NATS)';
  return new ProblemException({
    status: 503,
    slug: 'dependency-unavailable',
    title: 'Service Unavailable',
    detail: `${what} is unavailable for a moment; send the request again after Retry-After seconds.`,
    headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    extensions: { dependency },
  });
}
