import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay, PgPool } from '@podium/platform';
import { z } from 'zod';

/** Where an outbox event stands. */
export type PublishState = { published: true; streamSeq: number | null } | { published: false };

interface Waiter {
  readonly resolve: (state: PublishState) => void;
  readonly deadline: number;
}

const rowsSchema = z.array(
  z.object({ id: z.string(), published: z.boolean(), seq: z.union([z.string(), z.number(), z.bigint()]).nullable() }),
);

/**
 * Waits until the OutboxRelay (this replica's or another's) has published outbox events, so that an ingest request is
 * answered only once its message is on JetStream.
 *
 * While this replica's relay is the active one, it tells the waiter about each publication as it marks the row, and
 * the table is polled only every `leaderPollMs` as a safety net. Otherwise (another replica relays) one polling loop
 * serves every waiting request with one query per round, every `pollMs`. Polling runs only while someone waits. An
 * event whose outbox row is gone (pruned after publication) counts as published.
 */
@Injectable()
export class PublishWaiter implements OnApplicationShutdown {
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly unsubscribe: () => void;
  private loop?: Promise<void>;
  private stopped = false;
  pollMs = 5;
  leaderPollMs = 100;

  constructor(
    private readonly pg: PgPool,
    private readonly relay: OutboxRelay,
  ) {
    this.unsubscribe = relay.onPublished((eventId, streamSeq) => this.settle(eventId, { published: true, streamSeq }));
  }

  /** Resolves with the event's stream sequence once published, or `{ published: false }` after `timeoutMs`. */
  wait(eventId: string, timeoutMs: number): Promise<PublishState> {
    return new Promise<PublishState>((resolve) => {
      const list = this.waiters.get(eventId) ?? [];
      list.push({ resolve, deadline: Date.now() + timeoutMs });
      this.waiters.set(eventId, list);
      this.ensureLoop();
    });
  }

  private ensureLoop(): void {
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      if (this.waiters.size > 0 && !this.stopped) this.ensureLoop();
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe();
    this.settleAll({ published: false });
  }

  private async run(): Promise<void> {
    // Let the requests of the same tick join the first round.
    await Promise.resolve();
    while (this.waiters.size > 0 && !this.stopped) {
      const ids = [...this.waiters.keys()];
      try {
        const { rows: raw } = await this.pg.pool.query({
          name: 'publish-waiter-poll',
          text:
            'SELECT event_id::text AS id, (published_at IS NOT NULL) AS published, stream_seq::text AS seq ' +
            'FROM outbox_event WHERE event_id = ANY($1::uuid[])',
          values: [ids],
        });
        const rows = rowsSchema.parse(raw);
        const found = new Map(rows.map((r) => [r.id, r]));
        for (const id of ids) {
          const row = found.get(id);
          if (row === undefined) this.settle(id, { published: true, streamSeq: null });
          else if (row.published) this.settle(id, { published: true, streamSeq: row.seq === null ? null : Number(row.seq) });
        }
      } catch {
        // The database is failing: the waiters time out below and the requests answer 503.
      }
      const now = Date.now();
      for (const [id, list] of this.waiters) {
        const expired = list.filter((w) => w.deadline <= now);
        if (expired.length === 0) continue;
        for (const w of expired) w.resolve({ published: false });
        const left = list.filter((w) => w.deadline > now);
        if (left.length === 0) this.waiters.delete(id);
        else this.waiters.set(id, left);
      }
      if (this.waiters.size > 0) await this.sleepUntilNextRound();
    }
  }

  /**
   * Sleeps until the next polling round. While this replica's relay is active, publications arrive through its
   * callback, so the round comes only after `leaderPollMs`, or earlier when a deadline is due.
   */
  private async sleepUntilNextRound(): Promise<void> {
    if (!this.relay.stats().leader) return sleep(this.pollMs);
    const deadline = Date.now() + this.leaderPollMs;
    while (this.waiters.size > 0 && !this.stopped && Date.now() < deadline) {
      let nextExpiry = deadline;
      for (const list of this.waiters.values()) for (const w of list) nextExpiry = Math.min(nextExpiry, w.deadline);
      if (nextExpiry <= Date.now() || !this.relay.stats().leader) return;
      await sleep(Math.min(this.pollMs * 4, nextExpiry - Date.now()));
    }
  }

  private settle(id: string, state: PublishState): void {
    const list = this.waiters.get(id);
    this.waiters.delete(id);
    for (const w of list ?? []) w.resolve(state);
  }

  private settleAll(state: PublishState): void {
    for (const id of [...this.waiters.keys()]) this.settle(id, state);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
