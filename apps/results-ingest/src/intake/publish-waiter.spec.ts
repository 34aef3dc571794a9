import type { PrismaService } from '../database/prisma.service';
import { PublishWaiter } from './publish-waiter';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** A Prisma stand-in that answers only the waiter's query, from a mutable table. */
function fakePrisma(table: Map<string, { published: boolean; seq: number | null }>) {
  const queries: unknown[][] = [];
  const prisma = {
    $queryRawUnsafe: jest.fn(async (sql: string, ids: string[]) => {
      expect(sql).toContain('FROM outbox_event WHERE event_id = ANY($1::uuid[])');
      queries.push(ids);
      return ids.filter((id) => table.has(id)).map((id) => ({ id, ...table.get(id) }));
    }),
  };
  return { prisma: prisma as unknown as PrismaService, queries };
}

describe('PublishWaiter', () => {
  it('resolves each waiter once its outbox row is published, one query per round for all of them', async () => {
    const table = new Map([
      [A, { published: false, seq: null }],
      [B, { published: true, seq: 8 }],
    ]);
    const { prisma, queries } = fakePrisma(table);
    const waiter = new PublishWaiter(prisma);
    waiter.pollMs = 1;
    const a = waiter.wait(A, 5_000);
    const b = waiter.wait(B, 5_000);
    await expect(b).resolves.toEqual({ published: true, streamSeq: 8 });
    expect(queries[0]).toEqual([A, B]);
    table.set(A, { published: true, seq: 9 });
    await expect(a).resolves.toEqual({ published: true, streamSeq: 9 });
  });

  it('times out unpublished events and treats a pruned row as published', async () => {
    const { prisma } = fakePrisma(new Map([[A, { published: false, seq: null }]]));
    const waiter = new PublishWaiter(prisma);
    waiter.pollMs = 1;
    await expect(waiter.wait(A, 20)).resolves.toEqual({ published: false });
    await expect(waiter.wait(B, 20)).resolves.toEqual({ published: true, streamSeq: null });
  });

  it('releases every waiter at shutdown', async () => {
    const { prisma } = fakePrisma(new Map([[A, { published: false, seq: null }]]));
    const waiter = new PublishWaiter(prisma);
    const pending = waiter.wait(A, 60_000);
    waiter.onApplicationShutdown();
    await expect(pending).resolves.toEqual({ published: false });
  });
});
