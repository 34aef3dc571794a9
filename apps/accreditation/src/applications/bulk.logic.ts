/**
 * The bulk path's pure part: which rows of a batch get a quota place. Rows are taken in their order within each
 * (organisation, category): the first `quota - used` are accepted, every later one is refused saying by how much it
 * is over, as if they had been submitted one by one in that order.
 */

export interface QuotaRow {
  organisation: string;
  category: string;
  quota: number;
  used: number;
}

export interface WantedPlace {
  /** The row's index in the request. */
  index: number;
  organisation: string;
  category: string;
}

export type Allocation =
  | { index: number; granted: true }
  | { index: number; granted: false; quota: number; used: number; over: number; organisation: string; category: string };

export const quotaKey = (organisation: string, category: string): string => `${organisation}\u0000${category}`;

/**
 * One allocation per wanted place, in the order given, and the places taken per quota key (to add to `used`). A key
 * without a quota row has a quota of 0 (the single submission answers the same).
 */
export function allocatePlaces(wanted: readonly WantedPlace[], quotas: readonly QuotaRow[]): { allocations: Allocation[]; taken: Map<string, number> } {
  // `refused`: the rows of this batch already refused for the key (the n-th refused row is n over the quota).
  const left = new Map(quotas.map((q) => [quotaKey(q.organisation, q.category), { quota: q.quota, used: q.used, refused: 0 }]));
  const taken = new Map<string, number>();
  const allocations = wanted.map((w): Allocation => {
    const key = quotaKey(w.organisation, w.category);
    const row = left.get(key) ?? { quota: 0, used: 0, refused: 0 };
    left.set(key, row);
    if (row.used < row.quota) {
      row.used++;
      taken.set(key, (taken.get(key) ?? 0) + 1);
      return { index: w.index, granted: true };
    }
    row.refused++;
    return { index: w.index, granted: false, quota: row.quota, used: row.used, over: row.used + row.refused - row.quota, organisation: w.organisation, category: w.category };
  });
  return { allocations, taken };
}
