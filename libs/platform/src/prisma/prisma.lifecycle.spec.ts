import { connectWithRetry, type PrismaClientLike, registerDatabaseHealth } from './prisma.lifecycle';

function fakeClient(queryResults: (() => Promise<unknown>)[]): PrismaClientLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    $connect: async () => {
      calls.push('connect');
    },
    $disconnect: async () => {
      calls.push('disconnect');
    },
    $queryRawUnsafe: async (query: string) => {
      calls.push(query);
      const next = queryResults.shift();
      if (!next) throw new Error(`unexpected query ${query}`);
      return next();
    },
  };
}

describe('connectWithRetry', () => {
  it('connects and proves the connection with SELECT 1', async () => {
    const client = fakeClient([async () => [{ '?column?': 1 }]]);
    await connectWithRetry(client, { attempts: 3, delayMs: 1 });
    expect(client.calls).toEqual(['connect', 'SELECT 1']);
  });

  it('retries a bounded number of times', async () => {
    const refused = async () => {
      throw new Error('ECONNREFUSED');
    };
    const client = fakeClient([refused, async () => 1]);
    const onRetry = jest.fn();
    await connectWithRetry(client, { attempts: 3, delayMs: 1, onRetry });
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(client.calls.filter((c) => c === 'SELECT 1')).toHaveLength(2);
  });

  it('fails with an error naming the database after the last attempt', async () => {
    const refused = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5999');
    };
    const client = fakeClient([refused, refused]);
    await expect(
      connectWithRetry(client, { attempts: 2, delayMs: 1, target: 'postgres://app:***@db:5999/app' }),
    ).rejects.toThrow(
      'Database unreachable at postgres://app:***@db:5999/app after 2 attempts: connect ECONNREFUSED',
    );
  });
});

describe('registerDatabaseHealth', () => {
  it("registers a 'db' check that runs SELECT 1", async () => {
    const register = jest.fn();
    const client = fakeClient([async () => 1]);
    registerDatabaseHealth({ register }, client);
    expect(register).toHaveBeenCalledWith('db', expect.any(Function));
    const check = register.mock.calls[0][1] as () => Promise<void>;
    await expect(check()).resolves.toBeUndefined();
    expect(client.calls).toEqual(['SELECT 1']);
  });

  it('fails when the database does not answer in time', async () => {
    const register = jest.fn();
    registerDatabaseHealth({ register }, fakeClient([() => new Promise(() => undefined)]), {
      name: 'database',
      timeoutMs: 10,
    });
    const check = register.mock.calls[0][1] as () => Promise<void>;
    expect(register.mock.calls[0][0]).toBe('database');
    await expect(check()).rejects.toThrow('database did not answer within 10 ms');
  });
});
