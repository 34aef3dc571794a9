import type { CisDocumentFilter } from '@podium/contracts';
import type { DocumentEntry } from './document';

/**
 * What a client follows (the CIS subscription's and the SSE stream's filter, @podium/contracts'
 * cisDocumentFilterSchema): every given field must match (AND); an empty filter matches every document.
 * `rsc` is a unit, phase or event RSC: a phase or event code matches every document below it.
 */
export type DocumentFilter = CisDocumentFilter;

export function matchesFilter(filter: DocumentFilter, entry: DocumentEntry): boolean {
  if (filter.discipline !== undefined && entry.data.discipline !== filter.discipline) return false;
  if (filter.documentType !== undefined && entry.data.documentType !== filter.documentType) return false;
  if (filter.rsc !== undefined && !entry.codes.includes(filter.rsc)) return false;
  return true;
}

/** The one index bucket a filter lives in (its most selective field). */
export function indexKeyOf(filter: DocumentFilter): string {
  if (filter.rsc !== undefined) return `r:${filter.rsc}`;
  if (filter.discipline !== undefined) return `d:${filter.discipline}`;
  if (filter.documentType !== undefined) return `t:${filter.documentType}`;
  return '*';
}

/** Every index bucket whose filters may match the entry. */
export function candidateIndexKeys(entry: DocumentEntry): string[] {
  const keys = entry.codes.map((code) => `r:${code}`);
  if (entry.data.discipline !== null) keys.push(`d:${entry.data.discipline}`);
  keys.push(`t:${entry.data.documentType}`, '*');
  return keys;
}

/** A short label for logs and acknowledgements, e.g. `discipline=ATH documentType=DT_RESULT`. */
export function describeFilter(filter: DocumentFilter): string {
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? 'all documents' : parts.join(' ');
}
