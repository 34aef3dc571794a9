import { ProblemException } from '../http/problem';
import {
  type InteractiveTransactionClient,
  SERIALIZABLE_TRANSACTION_DEFAULTS,
  serializableTransaction,
} from './serializable-transaction';

interface FakeTx {
  readonly run: number;
}

/** Shaped like Prisma's PrismaClientKnownRequestError P2034 (transaction failed: write conflict or deadlock). */
function writeConflict(): Error {
  return Object.assign(new Error('Transaction failed due to a write conflict or a deadlock'), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2034',
    clientVersion: '7.10.0',
  });
}

/** A client whose n-th transaction runs `work` with `{ run: n }` and then fails with `outcomes[n - 1]`, if any. */
function fakeClient(outcomes: (Error | undefined)[]) {
  const options: unknown[] = [];
  let runs = 0;
  const client: InteractiveTransactionClient<FakeTx> = {
    async $transaction(fn, opts) {
      options.push(opts);
      runs += 1;
      const result = await fn({ run: runs });
      const failure = outcomes[runs - 1];
      if (failure) throw failure;
      return result;
    },
  };
  return { client, options, runs: () => runs };
}

describe('serializableTransaction', () => {
  it('runs the work once in a SERIALIZABLE transaction with the default limits', async () => {
    const { client, options } = fakeClient([]);
    await expect(serializableTransaction(client, async (tx) => `run ${tx.run}`)).resolves.toBe('run 1');
    expect(options).toEqual([
      {
        isolationLevel: 'Serializable',
        maxWait: SERIALIZABLE_TRANSACTION_DEFAULTS.maxWaitMs,
        timeout: SERIALIZABLE_TRANSACTION_DEFAULTS.timeoutMs,
      },
    ]);
  });

  it('takes a longer timeout when a caller gives one', async () => {
    const { client, options } = fakeClient([]);
    await serializableTransaction(client, async () => 1, { timeoutMs: 120_000 });
    expect(options).toEqual([expect.objectContaining({ timeout: 120_000 })]);
  });

  it('retries serialization failures and returns the first success', async () => {
    const onRetry = jest.fn();
    const { client, runs } = fakeClient([writeConflict(), Object.assign(new Error('pg'), { code: '40001' })]);
    await expect(serializableTransaction(client, async (tx) => tx.run, { onRetry })).resolves.toBe(3);
    expect(runs()).toBe(3);
    expect(onRetry.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2]);
  });

  it('answers 409 serialization-conflict, saying to retry, when the last attempt still conflicts', async () => {
    const { client, runs } = fakeClient([writeConflict(), writeConflict()]);
    const error = await serializableTransaction(client, async () => 'never', { attempts: 2 }).catch(
      (e: unknown) => e,
    );
    expect(runs()).toBe(2);
    expect(error).toBeInstanceOf(ProblemException);
    const problem = error as ProblemException;
    expect(problem.getStatus()).toBe(409);
    expect(problem.type).toBe('https://podium.dev/problems/serialization-conflict');
    expect(problem.detail).toMatch(/retry the request/);
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
  });

  it('gives up after the default number of attempts', async () => {
    const { client, runs } = fakeClient(Array.from({ length: 20 }, writeConflict));
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const settled = serializableTransaction(client, async () => 'never').catch((e: unknown) => e);
      await jest.runAllTimersAsync();
      expect(await settled).toBeInstanceOf(ProblemException);
    } finally {
      jest.useRealTimers();
    }
    expect(runs()).toBe(SERIALIZABLE_TRANSACTION_DEFAULTS.attempts);
  });

  it('passes other errors through without retrying', async () => {
    const notFound = ProblemException.notFound('No unit');
    const { client, runs } = fakeClient([notFound]);
    await expect(serializableTransaction(client, async () => 1)).rejects.toBe(notFound);
    const unique = Object.assign(new Error('unique'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2002',
      clientVersion: '7',
    });
    const second = fakeClient([unique]);
    await expect(serializableTransaction(second.client, async () => 1)).rejects.toBe(unique);
    expect(runs()).toBe(1);
    expect(second.runs()).toBe(1);
  });
});
