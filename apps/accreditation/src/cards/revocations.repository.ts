import { Injectable } from '@nestjs/common';
import { type RevocationEntry, type RevocationPage } from '@podium/accreditation-credential';
import { OutboxWriter, PgPool } from '@podium/platform';

import { PrismaService, type Tx } from '../database/prisma.service';

/** A revocation entry before it is numbered. */
export type NewRevocation = RevocationEntry extends infer E ? (E extends RevocationEntry ? Omit<E, 'seq' | 'at'> : never) : never;

/** Largest page of GET /v1/revocations. */
export const REVOCATION_PAGE_MAX = 1000;

/**
 * Gapless counter `name`, one more per call, taken in the caller's transaction: the row stays locked until it
 * commits, so numbers are committed in order (a reader that sees n sees every number below it).
 */
export async function nextCounter(tx: Tx, name: string): Promise<number> {
  const rows = await tx.$queryRaw<{ value: bigint }[]>`
    INSERT INTO counter (name, value) VALUES (${name}, 1)
    ON CONFLICT (name) DO UPDATE SET value = counter.value + 1
    RETURNING value`;
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`counter ${name}: no value returned`);
  return Number(value);
}

type RevocationRow = { seq: bigint; at: Date; kind: string; jti: string | null; card: string };

export function revocationEntryOf(row: RevocationRow): RevocationEntry {
  const base = { seq: Number(row.seq), at: row.at.toISOString() };
  switch (row.kind) {
    case 'credential-revoked':
      return { ...base, kind: 'credential-revoked', jti: row.jti ?? '', card: row.card };
    case 'card-suspended':
    case 'card-reinstated':
    case 'card-revoked':
      return { ...base, kind: row.kind, card: row.card };
    default:
      throw new Error(`revocation ${row.seq}: unknown kind ${row.kind}`);
  }
}

/** What the online gate check needs of the list besides its page: the pruning horizon (epoch ms; null: never pruned). */
export interface RevocationRead {
  page: RevocationPage;
  /** Entries whose credentials all expired before this instant may be missing from the list. */
  prunedBefore: number | null;
}

/** Counter rows of the pruning: the highest seq left out, and the horizon (epoch ms) it pruned up to. */
const PRUNED_THROUGH = 'revocation-pruned-through';
const PRUNED_BEFORE = 'revocation-pruned-before';

/** The read's row as `pg` gives it (int8 as text). */
interface PageRow {
  items: { seq: number; at: string; kind: string; jti: string | null; card: string }[];
  end_seq: string | null;
  pruned_through: string | null;
  pruned_before: string | null;
}

/**
 * The revocation list: numbered from 1 without gaps, each entry also published (oms.accreditation.v1.revocations);
 * pruned of the entries whose credentials have all expired, long enough ago (docs/accreditation-credential.md).
 */
@Injectable()
export class RevocationsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
    private readonly pg: PgPool,
  ) {}

  /**
   * Appends an entry in the caller's transaction. `expiresAt`: when every credential it can affect has expired (the
   * card's validTo; credentials never outlive their card), after which it may be pruned; null: kept for ever.
   */
  async append(tx: Tx, entry: NewRevocation, at: Date, expiresAt: Date | null): Promise<RevocationEntry> {
    const seq = await nextCounter(tx, 'revocation');
    const row = await tx.revocation.create({
      data: { seq: BigInt(seq), at, kind: entry.kind, jti: 'jti' in entry ? entry.jti : null, card: entry.card ?? '', expiresAt },
    });
    const published = revocationEntryOf(row);
    await this.outbox.enqueue(tx, 'oms.accreditation.v1.revocations', { items: [published], lastSeq: published.seq });
    return published;
  }

  /**
   * The entries after `after`, in seq order, and what was pruned, read by ONE statement (one snapshot: a prune or an
   * append committing meanwhile cannot make the page claim a gap that is not pruned). lastSeq: the last item's seq,
   * else the list's end (the committed counter: entries after `after` that are all pruned move a reader on);
   * prunedThrough: the highest seq ever left out.
   * A named statement of the plain pool, not Prisma: the online gate check reads it before its checks (hundreds of
   * times a second), and Prisma's ~0.4 ms of CPU per query was a third of a check's (docs/performance.md#accreditation).
   */
  async read(after: number, limit: number): Promise<RevocationRead> {
    const { rows } = await this.pg.pool.query<PageRow>({
      name: 'accreditation-revocation-read',
      text: `SELECT
        COALESCE((SELECT json_agg(json_build_object('seq', r.seq, 'at', r.at, 'kind', r.kind, 'jti', r.jti, 'card', r.card) ORDER BY r.seq)
                  FROM (SELECT seq, at, kind, jti, card FROM revocation WHERE seq > $1 ORDER BY seq LIMIT $2) r), '[]'::json) AS items,
        (SELECT value FROM counter WHERE name = 'revocation') AS end_seq,
        (SELECT value FROM counter WHERE name = $3) AS pruned_through,
        (SELECT value FROM counter WHERE name = $4) AS pruned_before`,
      values: [after, limit, PRUNED_THROUGH, PRUNED_BEFORE],
    });
    const row = rows[0];
    if (!row) throw new Error('revocation page: no row');
    const items = row.items.map((item) => revocationEntryOf({ ...item, seq: BigInt(item.seq), at: new Date(item.at) }));
    const prunedThrough = Number(row.pruned_through ?? 0);
    const lastSeq = items.at(-1)?.seq ?? Math.min(after, Number(row.end_seq ?? 0));
    const page: RevocationPage = prunedThrough > 0 ? { items, lastSeq, prunedThrough } : { items, lastSeq };
    return { page, prunedBefore: row.pruned_before === null ? null : Number(row.pruned_before) };
  }

  /** The page of GET /v1/revocations (see {@link read}). */
  async page(after: number, limit: number): Promise<RevocationPage> {
    return (await this.read(after, limit)).page;
  }

  /**
   * Leaves out of the list the entries whose credentials all expired before `now - retentionSeconds`, and moves the
   * horizon (prunedThrough: the highest seq left out; prunedBefore: that cutoff) in the same transaction, when it
   * left anything out. Idempotent; concurrent runs are harmless (GREATEST).
   */
  async prune(now: Date, retentionSeconds: number): Promise<{ pruned: number; prunedThrough: number; prunedBefore: string | null }> {
    const before = Math.floor(now.getTime() / 1000 - retentionSeconds) * 1000;
    return this.prisma.$transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ n: number; top: bigint | null }[]>`
        WITH gone AS (DELETE FROM revocation WHERE expires_at < ${new Date(before)} RETURNING seq)
        SELECT count(*)::int AS n, max(seq) AS top FROM gone`;
      const pruned = gone[0]?.n ?? 0;
      // the horizon moves only when something was left out: until then the list is whole, whatever the `at`
      const counters =
        pruned > 0
          ? await tx.$queryRaw<{ name: string; value: bigint }[]>`
              INSERT INTO counter (name, value) VALUES (${PRUNED_THROUGH}, ${gone[0]?.top ?? 0n}), (${PRUNED_BEFORE}, ${BigInt(before)})
              ON CONFLICT (name) DO UPDATE SET value = GREATEST(counter.value, EXCLUDED.value)
              RETURNING name, value`
          : await tx.$queryRaw<{ name: string; value: bigint }[]>`SELECT name, value FROM counter WHERE name IN (${PRUNED_THROUGH}, ${PRUNED_BEFORE})`;
      const value = (name: string) => counters.find((c) => c.name === name)?.value;
      const prunedBefore = value(PRUNED_BEFORE);
      return { pruned, prunedThrough: Number(value(PRUNED_THROUGH) ?? 0n), prunedBefore: prunedBefore === undefined ? null : new Date(Number(prunedBefore)).toISOString() };
    });
  }
}
