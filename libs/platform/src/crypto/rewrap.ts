import { type EnvelopeCipher, EnvelopeError } from './envelope';
import { type PersonalColumns, sealedOfColumns } from './personal-columns';

/** What a re-wrap round answers (the services' `POST /v1/personal-data/rewrap`). */
export interface RewrapResult {
  /** The key-encryption key that now wraps the re-wrapped data keys. */
  current: string;
  rewrapped: number;
  /** Rows still wrapped by another key of the ring, the failed ones included (call again while rewrapped > 0). */
  remaining: number;
  /** Rows wrapped by keys the ring does not hold (they cannot be read: put the key back, then re-wrap). */
  unreadable: Record<string, number>;
  /** Ids of rows whose wrapped key failed its authentication (tampered): left as they are. */
  failed: string[];
}

/** The table of a service's sealed rows, as {@link rewrapPersonalColumns} reads and writes it (a few Prisma calls). */
export interface RewrapTable {
  /** Up to `limit` rows whose data key is wrapped by one of `kids`, in id order. */
  wrappedBy(kids: readonly string[], limit: number): Promise<({ id: string } & PersonalColumns)[]>;
  /** Compare-and-set: the row's kid and wrapped key become `next` if they still are `old`; answers the rows changed (0 or 1). */
  swap(id: string, old: { kid: string; key: Uint8Array<ArrayBuffer> }, next: { kid: string; key: Uint8Array<ArrayBuffer> }): Promise<number>;
  /** Rows wrapped by one of `kids`. */
  countWrappedBy(kids: readonly string[]): Promise<number>;
  /** Rows wrapped by a key not in `kids`, by key id (rows without personal data left out). */
  countByOtherKid(kids: readonly string[]): Promise<Record<string, number>>;
}

/**
 * The key rotation's re-wrap: up to `limit` data keys wrapped by an older key of the ring re-wrapped under the current
 * one (the ciphertexts stay as they are). Each row is a compare-and-set on its old wrapped key, so a row changed
 * meanwhile (erased, re-wrapped by another replica) is left alone. Rows of keys the ring does not hold are counted, not
 * touched; a row whose wrapped key fails its authentication is named in `failed`. `context` is what each row's value is
 * bound to (the service's seal context of its id).
 */
export async function rewrapPersonalColumns(cipher: EnvelopeCipher, table: RewrapTable, context: (id: string) => string, limit: number): Promise<RewrapResult> {
  const current = cipher.currentKid;
  const older = cipher.readableKids.filter((kid) => kid !== current);
  const rows = await table.wrappedBy(older, limit);
  let rewrapped = 0;
  const failed: string[] = [];
  for (const row of rows) {
    const sealed = sealedOfColumns(row);
    if (!sealed || row.personalKey === null) continue;
    let next;
    try {
      next = cipher.rewrap(sealed, context(row.id));
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      failed.push(row.id);
      continue;
    }
    rewrapped += await table.swap(row.id, { kid: sealed.kid, key: row.personalKey }, { kid: next.kid, key: Uint8Array.from(next.wrappedKey) });
  }
  const [remaining, unreadable] = await Promise.all([table.countWrappedBy(older), table.countByOtherKid(cipher.readableKids)]);
  return { current, rewrapped, remaining, unreadable, failed };
}

/**
 * The Prisma model (delegate) of a table with an `id` and the sealed columns (`personalKid`, `personalKey`,
 * `personalData`), as {@link prismaRewrapTable} calls it: e.g. a service's `prisma.application`.
 */
export interface SealedRowsModel {
  findMany(args: {
    where: { personalKid: { in: string[] } };
    select: { id: true; personalKid: true; personalKey: true; personalData: true };
    orderBy: { id: 'asc' };
    take: number;
  }): PromiseLike<({ id: string } & PersonalColumns)[]>;
  updateMany(args: {
    where: { id: string; personalKid: string; personalKey: { equals: Uint8Array<ArrayBuffer> } };
    data: { personalKid: string; personalKey: Uint8Array<ArrayBuffer> };
  }): PromiseLike<{ count: number }>;
  count(args: { where: { personalKid: { in: string[] } } }): PromiseLike<number>;
  groupBy(args: {
    by: ['personalKid'];
    where: { personalKid: { notIn: string[]; not: null } };
    _count: { _all: true };
  }): PromiseLike<{ personalKid: string | null; _count: { _all: number } }[]>;
}

/** The {@link RewrapTable} of a Prisma model with the sealed columns (compare-and-set on the old wrapped key). */
export function prismaRewrapTable(model: SealedRowsModel): RewrapTable {
  return {
    wrappedBy: (kids, take) =>
      Promise.resolve(model.findMany({ where: { personalKid: { in: [...kids] } }, select: { id: true, personalKid: true, personalKey: true, personalData: true }, orderBy: { id: 'asc' }, take })),
    swap: async (id, old, next) =>
      (await model.updateMany({ where: { id, personalKid: old.kid, personalKey: { equals: old.key } }, data: { personalKid: next.kid, personalKey: next.key } })).count,
    countWrappedBy: (kids) => Promise.resolve(model.count({ where: { personalKid: { in: [...kids] } } })),
    countByOtherKid: async (kids) => {
      const groups = await model.groupBy({ by: ['personalKid'], where: { personalKid: { notIn: [...kids], not: null } }, _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.personalKid ?? '', g._count._all]));
    },
  };
}
