import {
  isSerializationFailure,
  isUniqueViolation,
  prismaErrorCode,
  sqlState,
  withSerializableRetry,
} from './prisma.errors';

/** Shaped like Prisma's PrismaClientKnownRequestError (name, code, clientVersion, meta). */
function prismaError(code: string, originalCode?: string): Error {
  const err = new Error(`prisma ${code}`) as Error & Record<string, unknown>;
  err.name = 'PrismaClientKnownRequestError';
  err['code'] = code;
  err['clientVersion'] = '7.10.0';
  err['meta'] = originalCode ? { driverAdapterError: { cause: { kind: 'x', originalCode } } } : {};
  return err;
}

function pgError(code: string): Error {
  return Object.assign(new Error(`pg ${code}`), { code });
}

describe('Prisma error helpers', () => {
  it('reads Prisma codes only from Prisma errors', () => {
    expect(prismaErrorCode(prismaError('P2002'))).toBe('P2002');
    expect(prismaErrorCode(pgError('P0001'))).toBeUndefined();
    expect(prismaErrorCode('nope')).toBeUndefined();
  });

  it('finds the SQLSTATE in adapter metadata, pg errors and causes', () => {
    expect(sqlState(prismaError('P2010', '23505'))).toBe('23505');
    expect(sqlState(pgError('40001'))).toBe('40001');
    expect(sqlState(new Error('wrapped', { cause: pgError('40P01') }))).toBe('40P01');
    expect(sqlState(prismaError('P2002'))).toBeUndefined();
    expect(sqlState(Object.assign(new Error('not a state'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('recognises unique violations', () => {
    expect(isUniqueViolation(prismaError('P2002'))).toBe(true);
    expect(isUniqueViolation(prismaError('P2010', '23505'))).toBe(true);
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation(prismaError('P2025'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('recognises serialization failures and deadlocks', () => {
    expect(isSerializationFailure(prismaError('P2034'))).toBe(true);
    expect(isSerializationFailure(prismaError('P2010', '40001'))).toBe(true);
    expect(isSerializationFailure(pgError('40P01'))).toBe(true);
    expect(isSerializationFailure(pgError('23505'))).toBe(false);
  });
});

describe('withSerializableRetry', () => {
  it('retries serialization failures and returns the first success', async () => {
    const onRetry = jest.fn();
    const fn = jest
      .fn<Promise<string>, [number]>()
      .mockRejectedValueOnce(prismaError('P2034'))
      .mockRejectedValueOnce(pgError('40001'))
      .mockResolvedValueOnce('done');
    await expect(withSerializableRetry(fn, 3, { baseDelayMs: 1, onRetry })).resolves.toBe('done');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('gives up after the last attempt with the last error', async () => {
    const fn = jest.fn<Promise<never>, [number]>().mockRejectedValue(pgError('40001'));
    await expect(withSerializableRetry(fn, 2, { baseDelayMs: 1 })).rejects.toThrow('pg 40001');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not retry other errors', async () => {
    const fn = jest.fn<Promise<never>, [number]>().mockRejectedValue(prismaError('P2002'));
    await expect(withSerializableRetry(fn, 5, { baseDelayMs: 1 })).rejects.toThrow('prisma P2002');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects a non-positive attempt count', async () => {
    await expect(withSerializableRetry(() => Promise.resolve(1), 0)).rejects.toThrow(RangeError);
  });
});
