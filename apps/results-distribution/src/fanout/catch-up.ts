import type { DocumentEntry } from '../state/document';
import { type DocumentFilter, matchesFilter } from '../state/filter';
import type { ResultsState } from '../state/results-state';

/** How a client joining (or coming back) is brought up to date for one filter. */
export type CatchUp =
  | { readonly kind: 'resume'; readonly seq: number; readonly updates: readonly DocumentEntry[] }
  | { readonly kind: 'snapshot'; readonly seq: number; readonly documents: readonly DocumentEntry[]; readonly reset: string | null };

/**
 * A client that gives the last sequence it saw (`after`) gets the updates it missed from the replay buffer; when the
 * buffer no longer reaches back that far (or `after` is unknown to this server), it is told why (`reset`) and gets a
 * snapshot instead, as does a client that gives no sequence. Synchronous: nothing can slip in between this and the
 * client's subscription being registered.
 */
export function catchUp(state: ResultsState, filter: DocumentFilter, after: number | undefined): CatchUp {
  const seq = state.resultsSeq;
  if (after !== undefined) {
    const replay = state.replay.since(after);
    if (replay.ok) {
      return { kind: 'resume', seq, updates: replay.entries.filter((e) => matchesFilter(filter, e)) };
    }
    return { kind: 'snapshot', seq, documents: state.documents.matching(filter), reset: replay.reason };
  }
  return { kind: 'snapshot', seq, documents: state.documents.matching(filter), reset: null };
}

/** The running clocks (DT_CURRENT) a filter covers. */
export function currentsFor(state: ResultsState, filter: DocumentFilter): DocumentEntry[] {
  const out: DocumentEntry[] = [];
  for (const entry of state.currents.values()) if (matchesFilter(filter, entry)) out.push(entry);
  return out;
}

/** Splits a list into parts of at most `size` (at least one part, possibly empty). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
