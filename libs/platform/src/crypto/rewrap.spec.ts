import { randomBytes } from 'node:crypto';

import { EnvelopeCipher } from './envelope';
import { type PersonalColumns, sealPersonalColumns } from './personal-columns';
import { prismaRewrapTable, rewrapPersonalColumns, type RewrapTable, type SealedRowsModel } from './rewrap';

type Row = { id: string } & PersonalColumns;
const ctx = (id: string) => `test.row:${id}`;
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const old = new EnvelopeCipher({ current: 'k1', keys: new Map([['k1', k1]]) });
const rotated = new EnvelopeCipher({ current: 'k2', keys: new Map([['k1', k1], ['k2', k2]]) });

/** An in-memory table doing what the services' Prisma adapters do; `beforeSwap` lets a test change a row in between. */
function tableOf(rows: Row[], beforeSwap: (id: string) => void = () => undefined): RewrapTable {
  return {
    wrappedBy: async (kids, limit) => rows.filter((r) => r.personalKid !== null && kids.includes(r.personalKid)).sort((a, b) => a.id.localeCompare(b.id)).slice(0, limit).map((r) => ({ ...r })),
    swap: async (id, was, next) => {
      beforeSwap(id);
      const row = rows.find((r) => r.id === id);
      if (!row || row.personalKid !== was.kid || !row.personalKey || !Buffer.from(row.personalKey).equals(Buffer.from(was.key))) return 0;
      row.personalKid = next.kid;
      row.personalKey = next.key;
      return 1;
    },
    countWrappedBy: async (kids) => rows.filter((r) => r.personalKid !== null && kids.includes(r.personalKid)).length,
    countByOtherKid: async (kids) => {
      const out: Record<string, number> = {};
      for (const r of rows) if (r.personalKid !== null && !kids.includes(r.personalKid)) out[r.personalKid] = (out[r.personalKid] ?? 0) + 1;
      return out;
    },
  };
}

const sealedRow = (id: string, cipher = old): Row => ({ id, ...sealPersonalColumns(cipher, { email: `${id}@example.org` }, ctx(id)) });

describe('rewrapPersonalColumns (the key rotation shared by the services)', () => {
  it('re-wraps by rounds of `limit` under the current key, the ciphertexts untouched, every row still opening', async () => {
    const rows = ['a', 'b', 'c'].map((id) => sealedRow(id));
    const ciphertexts = rows.map((r) => Buffer.from(r.personalData ?? []));
    const table = tableOf(rows);
    expect(await rewrapPersonalColumns(rotated, table, ctx, 2)).toEqual({ current: 'k2', rewrapped: 2, remaining: 1, unreadable: {}, failed: [] });
    expect(await rewrapPersonalColumns(rotated, table, ctx, 2)).toEqual({ current: 'k2', rewrapped: 1, remaining: 0, unreadable: {}, failed: [] });
    const k2Only = new EnvelopeCipher({ current: 'k2', keys: new Map([['k2', k2]]) });
    rows.forEach((r, i) => {
      expect(r.personalKid).toBe('k2');
      expect(Buffer.from(r.personalData ?? []).equals(ciphertexts[i] as Buffer)).toBe(true);
      expect(k2Only.openJson({ kid: 'k2', wrappedKey: r.personalKey as Uint8Array, ciphertext: r.personalData as Uint8Array }, ctx(r.id))).toEqual({ email: `${r.id}@example.org` });
    });
  });

  it('leaves a row changed meanwhile (erased, re-wrapped by another replica) alone, and counts it as not re-wrapped', async () => {
    const rows = [sealedRow('a')];
    const table = tableOf(rows, () => Object.assign(rows[0] as Row, { personalKid: null, personalKey: null, personalData: null }));
    expect(await rewrapPersonalColumns(rotated, table, ctx, 10)).toEqual({ current: 'k2', rewrapped: 0, remaining: 0, unreadable: {}, failed: [] });
    expect(rows[0]?.personalKid).toBeNull();
  });

  it('names a tampered row in failed (left as it is) and counts the rows of keys the ring does not hold', async () => {
    const tampered = sealedRow('a');
    const key = Uint8Array.from(tampered.personalKey ?? []);
    key[0] = (key[0] ?? 0) ^ 1;
    tampered.personalKey = key;
    const retired = { ...sealedRow('b'), personalKid: 'k0' };
    const rows = [tampered, retired, sealedRow('c', rotated)];
    expect(await rewrapPersonalColumns(rotated, tableOf(rows), ctx, 10)).toEqual({ current: 'k2', rewrapped: 0, remaining: 1, unreadable: { k0: 1 }, failed: ['a'] });
    expect(rows[0]?.personalKid).toBe('k1');
  });
});

describe('prismaRewrapTable (the RewrapTable of a Prisma model with the sealed columns)', () => {
  it('asks the model for the rows of the older keys in id order, swaps on the old wrapped key, counts and groups by kid', async () => {
    const row = sealedRow('a');
    const calls: unknown[] = [];
    const model: SealedRowsModel = {
      findMany: async (args) => (calls.push(['findMany', args]), [row]),
      updateMany: async (args) => (calls.push(['updateMany', args]), { count: 1 }),
      count: async (args) => (calls.push(['count', args]), 7),
      groupBy: async (args) => (calls.push(['groupBy', args]), [{ personalKid: 'k9', _count: { _all: 3 } }]),
    };
    const table = prismaRewrapTable(model);
    const key = new Uint8Array([1, 2, 3]);
    const next = new Uint8Array([4, 5]);
    expect(await table.wrappedBy(['k1'], 5)).toEqual([row]);
    expect(await table.swap('a', { kid: 'k1', key }, { kid: 'k2', key: next })).toBe(1);
    expect(await table.countWrappedBy(['k1'])).toBe(7);
    expect(await table.countByOtherKid(['k1', 'k2'])).toEqual({ k9: 3 });
    expect(calls).toEqual([
      ['findMany', { where: { personalKid: { in: ['k1'] } }, select: { id: true, personalKid: true, personalKey: true, personalData: true }, orderBy: { id: 'asc' }, take: 5 }],
      ['updateMany', { where: { id: 'a', personalKid: 'k1', personalKey: { equals: key } }, data: { personalKid: 'k2', personalKey: next } }],
      ['count', { where: { personalKid: { in: ['k1'] } } }],
      ['groupBy', { by: ['personalKid'], where: { personalKid: { notIn: ['k1', 'k2'], not: null } }, _count: { _all: true } }],
    ]);
  });
});
