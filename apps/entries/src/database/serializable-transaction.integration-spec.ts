/**
 * The platform's serializableTransaction with this service's real Prisma client against real PostgreSQL: two
 * transactions that each read the same rows and then write (a write skew) cannot both commit under SERIALIZABLE.
 */
import { createPrismaAdapter, ProblemException, serializableTransaction } from '@podium/platform';
import { createTestDatabase, type TestDatabase } from '@podium/testing';
import { PrismaService, type Tx } from './prisma.service';

let db: TestDatabase;
let prisma: PrismaService;

beforeAll(async () => {
  db = await createTestDatabase({ service: 'entries' });
  prisma = new PrismaService({ adapter: createPrismaAdapter(db.url) });
  await prisma.$connect();
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** Resolves once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    await all;
  };
}

/**
 * Two Entry by Number writes of one NOC, each checking the NOC's current total before adding its event: their first
 * runs both read before either writes, so one of them must lose.
 */
function conflictingWrites(edition: string, options: { attempts?: number } = {}) {
  const bothRead = barrier(2);
  let runs = 0;
  const write = (event: string) => {
    let first = true;
    return serializableTransaction(
      prisma,
      async (tx: Tx) => {
        runs += 1;
        const total = await tx.entryNumber.aggregate({ where: { edition, noc: 'FRA' }, _sum: { count: true } });
        if (first) {
          first = false;
          await bothRead();
        }
        await tx.entryNumber.create({ data: { edition, noc: 'FRA', event, count: (total._sum.count ?? 0) + 1 } });
        return event;
      },
      options,
    );
  };
  return { settled: Promise.allSettled([write('ATHM100M'), write('ATHW100M')]), runs: () => runs };
}

describe('serializableTransaction against PostgreSQL', () => {
  it('retries the loser of a serialization conflict: both writes succeed, one after a retry', async () => {
    const { settled, runs } = conflictingWrites('OG2024');
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(runs()).toBe(3);
    const rows = await prisma.entryNumber.findMany({ where: { edition: 'OG2024' }, orderBy: { count: 'asc' } });
    expect(rows.map((r) => r.count)).toEqual([1, 2]);
  });

  it('answers 409 serialization-conflict once the attempts are used up: one success, one problem, one row', async () => {
    const { settled, runs } = conflictingWrites('PG2024', { attempts: 1 });
    const results = await settled;
    expect(runs()).toBe(2);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const problem = rejected[0].reason as unknown;
    expect(problem).toBeInstanceOf(ProblemException);
    expect((problem as ProblemException).getStatus()).toBe(409);
    expect((problem as ProblemException).getResponse()).toMatchObject({
      type: 'https://podium.dev/problems/serialization-conflict',
      status: 409,
      detail: expect.stringMatching(/retry the request/),
    });
    expect(await prisma.entryNumber.count({ where: { edition: 'PG2024' } })).toBe(1);
  });
});
