import { DatabaseError } from 'pg';
import { resolveProblem } from './problem.filter';
import { unavailableDependency } from './problem.unavailable';

/** A pg error as the server sends it (ErrorResponse with a SQLSTATE). */
function pgError(code: string, message = 'terminating connection due to administrator command'): DatabaseError {
  return Object.assign(new DatabaseError(message, 0, 'error'), { code });
}

/** What Prisma 7 throws for a raw or model query whose driver adapter failed. */
function prismaKnown(code: string, driverAdapterError?: unknown): Error {
  return Object.assign(new Error('Invalid prisma call'), { name: 'PrismaClientKnownRequestError', code, clientVersion: '7.10.1', meta: { driverAdapterError } });
}

function driverAdapterError(cause: Record<string, unknown>): Error {
  return Object.assign(new Error('driver adapter error'), { name: 'DriverAdapterError', cause });
}

function natsError(code: string): Error {
  return Object.assign(new Error(code), { name: 'NatsError', code });
}

describe('unavailableDependency', () => {
  it.each([
    ['a session ended by a fast shutdown (57P01)', pgError('57P01')],
    ['a crash shutdown (57P02)', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting up or recovering (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a connection exception (class 08)', pgError('08006', 'connection failure')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['Prisma: cannot reach the database (P1001)', prismaKnown('P1001')],
    ['Prisma: no pooled connection in time (P2024)', prismaKnown('P2024')],
    [
      'Prisma: a transaction not started in time (P2028, a frozen database)',
      Object.assign(prismaKnown('P2028'), { message: 'Transaction API error: Unable to start a transaction in the given time.' }),
    ],
    ['Prisma: the adapter lost its connection', prismaKnown('P2010', { name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } })],
    ['Prisma: the adapter saw 57P01', prismaKnown('P2010', { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P01', severity: 'FATAL' } })],
    ['the adapter not reaching the database', driverAdapterError({ kind: 'DatabaseNotReachable' })],
    [
      'Prisma: a transaction expired while the database was frozen (P2028)',
      Object.assign(prismaKnown('P2028'), { message: 'Transaction API error: A batch query cannot be executed on an expired transaction. The timeout for this transaction was 5000 ms' }),
    ],
    ['an error caused by one of these', new Error('intake failed', { cause: pgError('57P01') })],
  ])('%s: the database', (_what, error) => {
    expect(unavailableDependency(error)).toBe('database');
  });

  it.each([
    ['a closed connection', natsError('CONNECTION_CLOSED')],
    ['a connection reconnecting', natsError('DISCONNECT')],
    ['a request timed out', natsError('TIMEOUT')],
    ['no JetStream / no responders', natsError('503')],
    ['the platform not connected', new Error('NATS is not connected')],
  ])('%s: messaging', (_what, error) => {
    expect(unavailableDependency(error)).toBe('messaging');
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a serialization failure (retried elsewhere)', pgError('40001', 'could not serialize access')],
    ['Prisma P2002', prismaKnown('P2002')],
    ['Prisma P2028 of a misuse', Object.assign(prismaKnown('P2028'), { message: 'Transaction API error: Transaction not found.' })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'Connection terminated'],
    ['a NATS permission error', natsError('PERMISSIONS_VIOLATION')],
  ])('%s: none', (_what, error) => {
    expect(unavailableDependency(error)).toBeUndefined();
  });
});

describe('resolveProblem of a dependency going away', () => {
  it('answers 503 dependency-unavailable with Retry-After, the dependency named and the error text kept out', () => {
    const problem = resolveProblem(prismaKnown('P2010', { name: 'DriverAdapterError', cause: { kind: 'postgres', originalCode: '57P01' } }));
    expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': '2' }, log: 'warn' });
    expect(problem.body).toMatchObject({ type: 'https://podium.dev/problems/dependency-unavailable', status: 503, dependency: 'database' });
    expect(JSON.stringify(problem.body)).not.toMatch(/prisma|57P01|administrator/i);
    expect(resolveProblem(natsError('CONNECTION_CLOSED'))).toMatchObject({ status: 503, body: { dependency: 'messaging' } });
  });

  it('still answers 500 for anything else', () => {
    expect(resolveProblem(new Error('boom')).status).toBe(500);
  });
});
