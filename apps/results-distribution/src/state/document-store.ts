import type { DocumentEntry } from './document';
import { type DocumentFilter, matchesFilter } from './filter';

/** Which variant of a document to read when several share DocumentCode + DocumentType. */
export interface DocumentSelector {
  readonly competitionCode?: string;
  readonly documentSubcode?: string;
  readonly documentSubtype?: string;
  readonly language?: string;
}

/**
 * The latest entry of every document, by document key, indexed by DocumentCode; plus the last START_LIST of every
 * unit's DT_RESULT (kept after the results start, for the start-list route).
 */
export class DocumentStore {
  private readonly documents = new Map<string, DocumentEntry>();
  private readonly byCode = new Map<string, Set<string>>();
  private readonly startLists = new Map<string, DocumentEntry>();

  get size(): number {
    return this.documents.size;
  }

  get(key: string): DocumentEntry | undefined {
    return this.documents.get(key);
  }

  values(): IterableIterator<DocumentEntry> {
    return this.documents.values();
  }

  /** A start list by its key (document key + START_LIST suffix). */
  getStartList(key: string): DocumentEntry | undefined {
    return this.startLists.get(key);
  }

  startListValues(): IterableIterator<DocumentEntry> {
    return this.startLists.values();
  }

  set(entry: DocumentEntry): void {
    this.documents.set(entry.key, entry);
    let keys = this.byCode.get(entry.data.documentCode);
    if (!keys) {
      keys = new Set();
      this.byCode.set(entry.data.documentCode, keys);
    }
    keys.add(entry.key);
  }

  setStartList(entry: DocumentEntry): void {
    this.startLists.set(entry.key, entry);
  }

  clear(): void {
    this.documents.clear();
    this.byCode.clear();
    this.startLists.clear();
  }

  /** Entries with this DocumentCode (every type and variant). */
  byDocumentCode(documentCode: string): DocumentEntry[] {
    const keys = this.byCode.get(documentCode);
    if (!keys) return [];
    const out: DocumentEntry[] = [];
    for (const key of keys) {
      const entry = this.documents.get(key);
      if (entry) out.push(entry);
    }
    return out;
  }

  /**
   * The document of a code and type: with a selector field given, only variants with that value; without, the
   * variant without subcode/subtype is preferred, then the most recently updated.
   */
  find(documentCode: string, documentType: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    return pick(
      this.byDocumentCode(documentCode).filter((e) => e.data.documentType === documentType),
      selector,
    );
  }

  /** The last START_LIST of a unit's DT_RESULT. */
  findStartList(documentCode: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    const candidates: DocumentEntry[] = [];
    for (const entry of this.startLists.values()) {
      if (entry.data.documentCode === documentCode) candidates.push(entry);
    }
    return pick(candidates, selector);
  }

  /** Every entry matching a filter (for snapshots), in stream order. */
  matching(filter: DocumentFilter): DocumentEntry[] {
    const out: DocumentEntry[] = [];
    for (const entry of this.documents.values()) {
      if (matchesFilter(filter, entry)) out.push(entry);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }
}

function pick(candidates: DocumentEntry[], selector: DocumentSelector): DocumentEntry | undefined {
  const matching = candidates.filter(
    (e) =>
      (selector.competitionCode === undefined || e.data.competitionCode === selector.competitionCode) &&
      (selector.documentSubcode === undefined || e.data.documentSubcode === selector.documentSubcode) &&
      (selector.documentSubtype === undefined || e.data.documentSubtype === selector.documentSubtype) &&
      (selector.language === undefined || e.data.language === selector.language),
  );
  matching.sort(
    (a, b) =>
      Number(a.data.documentSubcode !== undefined) - Number(b.data.documentSubcode !== undefined) ||
      Number(a.data.documentSubtype !== undefined) - Number(b.data.documentSubtype !== undefined) ||
      b.seq - a.seq,
  );
  return matching[0];
}
