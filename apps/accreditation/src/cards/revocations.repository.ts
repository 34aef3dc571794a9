import { Injectable } from '@nestjs/common';
import { type RevocationEntry, type RevocationPage } from '@podium/accreditation-credential';
import { OutboxWriter } from '@podium/platform';

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

/** The revocation list: numbered from 1 without gaps, each entry also published (oms.accreditation.v1.revocations). */
@Injectable()
export class RevocationsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxWriter,
  ) {}

  async append(tx: Tx, entry: NewRevocation, at: Date): Promise<RevocationEntry> {
    const seq = await nextCounter(tx, 'revocation');
    const row = await tx.revocation.create({
      data: { seq: BigInt(seq), at, kind: entry.kind, jti: 'jti' in entry ? entry.jti : null, card: entry.card ?? '' },
    });
    const published = revocationEntryOf(row);
    await this.outbox.enqueue(tx, 'oms.accreditation.v1.revocations', { items: [published], lastSeq: published.seq });
    return published;
  }

  /** The entries after `after`, in seq order; lastSeq: the last item's seq, or the list's end when there is none. */
  async page(after: number, limit: number): Promise<RevocationPage> {
    const rows = await this.prisma.revocation.findMany({ where: { seq: { gt: BigInt(after) } }, orderBy: { seq: 'asc' }, take: limit });
    const items = rows.map(revocationEntryOf);
    const last = items.at(-1);
    if (last) return { items, lastSeq: last.seq };
    const end = await this.prisma.revocation.aggregate({ _max: { seq: true } });
    return { items, lastSeq: Math.min(after, Number(end._max.seq ?? 0n)) };
  }
}
