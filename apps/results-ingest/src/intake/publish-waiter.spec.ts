import type { OutboxRelay, OutboxRelayStats, PgPool } from '@podium/platform';
import { strictMock } from '@podium/testing';

import { PublishWaiter } from './publish-waiter';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** A pg pool stand-in that answers only the waiter's query, from a mutable table. */
function fakePool(table: Map<string, { published: boolean; seq: number | null }>) {
  const queries: unknown[][] = [];
  const query = jest.fn(async (config: { text: string; values: [string[]] }) => {
    expect(config.text).toContain('FROM outbox_event WHERE event_id = ANY($1::uuid[])');
    const [ids] = config.values;
    queries.push(ids);
    return { rows: ids.filter((id) => table.has(id)).map((id) => ({ id, ...table.get(id) })) };
  });
  const pool = strictMock<PgPool['pool']>('pg.pool', { query: query as unknown as PgPool['pool']['query'] });
  return { pg: strictMock<PgPool>('pg', { pool }), queries };
}

/** An OutboxRelay stand-in: `leader` as given; `publish` plays the relay marking an event published. */
function fakeRelay(leader: boolean) {
  const listeners = new Set<(eventId: string, seq: number) => void>();
  const stats: OutboxRelayStats = { leader, published: 0, failures: 0, pending: 0, handedOver: 0 };
  const relay = strictMock<OutboxRelay>('relay', {
    stats: () => stats,
    onPublished: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  return {
    relay,
    publish: (eventId: string, seq: number) => listeners.forEach((l) => l(eventId, seq)),
    listeners,
  };
}

describe('PublishWaiter', () => {
  it('resolves each waiter once its outbox row is published, one query per round for all of them', async () => {
    const table = new Map([
      [A, { published: false, seq: null }],
      [B, { published: true, seq: 8 }],
    ]);
    const { pg, queries } = fakePool(table);
    const waiter = new PublishWaiter(pg, fakeRelay(false).relay);
    waiter.pollMs = 1;
    const a = waiter.wait(A, 5_000);
    const b = waiter.wait(B, 5_000);
    await expect(b).resolves.toEqual({ published: true, streamSeq: 8 });
    expect(queries[0]).toEqual([A, B]);
    table.set(A, { published: true, seq: 9 });
    await expect(a).resolves.toEqual({ published: true, streamSeq: 9 });
  });

  it('is told by the active relay of this replica, without waiting for a polling round', async () => {
    const { pg, queries } = fakePool(new Map([[A, { published: false, seq: null }]]));
    const { relay, publish } = fakeRelay(true);
    const waiter = new PublishWaiter(pg, relay);
    waiter.leaderPollMs = 60_000;
    const a = waiter.wait(A, 30_000);
    await new Promise((r) => setTimeout(r, 20));
    publish(A, 12);
    await expect(a).resolves.toEqual({ published: true, streamSeq: 12 });
    // The first round only: no polling while the relay reports publications.
    expect(queries).toEqual([[A]]);
    waiter.onApplicationShutdown();
  });

  it('times out unpublished events and treats a pruned row as published', async () => {
    const { pg } = fakePool(new Map([[A, { published: false, seq: null }]]));
    const waiter = new PublishWaiter(pg, fakeRelay(false).relay);
    waiter.pollMs = 1;
    await expect(waiter.wait(A, 20)).resolves.toEqual({ published: false });
    await expect(waiter.wait(B, 20)).resolves.toEqual({ published: true, streamSeq: null });
  });

  it('times out on time while the relay is active too', async () => {
    const { pg } = fakePool(new Map([[A, { published: false, seq: null }]]));
    const waiter = new PublishWaiter(pg, fakeRelay(true).relay);
    waiter.leaderPollMs = 60_000;
    const started = Date.now();
    await expect(waiter.wait(A, 50)).resolves.toEqual({ published: false });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('releases every waiter at shutdown and stops listening to the relay', async () => {
    const { pg } = fakePool(new Map([[A, { published: false, seq: null }]]));
    const { relay, listeners } = fakeRelay(false);
    const waiter = new PublishWaiter(pg, relay);
    const pending = waiter.wait(A, 60_000);
    waiter.onApplicationShutdown();
    await expect(pending).resolves.toEqual({ published: false });
    expect(listeners.size).toBe(0);
  });
});
