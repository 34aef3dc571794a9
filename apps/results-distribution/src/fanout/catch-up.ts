import type { DocumentEntry } from '../state/document';
import { type DocumentFilter, matchesFilter } from '../state/filter';
import type { ResultsState } from '../state/results-state';
import type { FrameSource } from './outlet';

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
    const replay = state.replay.resume(after);
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

/**
 * A snapshot's parts (at most `partSize` documents each), each built only when the client's socket has room for it
 * (see Outlet.stream): a large snapshot never sits in memory whole, and a client that does not read costs one part.
 */
export function snapshotParts(
  documents: readonly DocumentEntry[],
  partSize: number,
  build: (documents: readonly DocumentEntry[], part: number, parts: number) => Buffer,
): FrameSource {
  const parts = Math.max(1, Math.ceil(documents.length / partSize));
  let part = 0;
  return {
    next: () => {
      if (part >= parts) return null;
      const slice = documents.slice(part * partSize, (part + 1) * partSize);
      part++;
      return build(slice, part, parts);
    },
  };
}

/** The frames of `items`, one at a time. */
export function framesOf<T>(items: readonly T[], frame: (item: T) => Buffer): FrameSource {
  let i = 0;
  return { next: () => (i < items.length ? frame(items[i++] as T) : null) };
}

/** One source after another. */
export function concatSources(sources: readonly FrameSource[]): FrameSource {
  let i = 0;
  return {
    next: () => {
      while (i < sources.length) {
        const frame = sources[i]?.next() ?? null;
        if (frame !== null) return frame;
        i++;
      }
      return null;
    },
  };
}
