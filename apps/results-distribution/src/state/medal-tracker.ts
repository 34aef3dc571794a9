import {
  applyEventMedals,
  attr,
  child,
  children,
  type EventMedals,
  type MedalBook,
  medalsByEvent,
  medalsFromMedallists,
  medalsFromOfficialResult,
  medalTable,
  medalTypeOf,
  type OdfElement,
} from '@podium/odf-message';
import type { MedalTable } from '@podium/contracts';
import { parseRsc } from '@podium/odf';
import { type DocumentEntry, messageOf } from './document';

/**
 * The medal table as served (CIS `medals`, SSE `medals`): @podium/contracts' MedalTable, rows ranked by gold, silver,
 * bronze; `seq` of the RESULTS message that last changed it.
 */
export type MedalTableView = Readonly<MedalTable>;

/** Whether a unit awards medals: true/false from the schedule, undefined when the schedule does not know the unit. */
export type MedalUnitLookup = (unitRsc: string) => boolean | undefined;

/**
 * Keeps the medal table up to date from DT_MEDALLISTS (authoritative per event) and, while an event has none, from
 * the OFFICIAL DT_RESULT of its medal units. A correction (a new OFFICIAL version, a withdrawal, a new
 * DT_MEDALLISTS) replaces what the earlier version gave, and the table is recomputed.
 * A unit counts as a medal unit when the schedule says so; when the schedule does not know it, only results that
 * name medals explicitly (Medal="ME_GOLD"…) count, so a heat's rank 1-3 never becomes a medal.
 */
export class MedalTracker {
  private book: MedalBook = {};
  private view: MedalTableView = { seq: 0, rows: [], totals: { gold: 0, silver: 0, bronze: 0, total: 0 }, events: 0 };
  private tableJson = '[]';

  constructor(private readonly isMedalUnit: MedalUnitLookup) {}

  get table(): MedalTableView {
    return this.view;
  }

  /** Takes a document into account; true when the medal table changed. Only production documents count. */
  apply(entry: DocumentEntry): boolean {
    const update = this.medalsOf(entry);
    if (update === null) return false;
    this.book = applyEventMedals(this.book, update);
    return this.recompute(entry.seq);
  }

  /** Forgets everything (before a rebuild). */
  reset(): void {
    this.book = {};
    this.view = { seq: 0, rows: [], totals: { gold: 0, silver: 0, bronze: 0, total: 0 }, events: 0 };
    this.tableJson = '[]';
  }

  /** Rebuilds from a set of documents (after a restore, or when a unit's medal flag changed). */
  rebuild(entries: Iterable<DocumentEntry>, seq: number): boolean {
    this.book = {};
    for (const entry of entries) {
      const update = this.medalsOf(entry);
      if (update !== null) this.book = applyEventMedals(this.book, update);
    }
    return this.recompute(seq);
  }

  /**
   * The schedule's medal flag of a unit changed (or became known): re-evaluates that unit's results, whose medals
   * now count or no longer do. `results` are the unit's current DT_RESULT documents.
   */
  unitChanged(unitRsc: string, results: readonly DocumentEntry[], seq: number): boolean {
    const parsed = parseRsc(unitRsc);
    if (!parsed.ok) return false;
    this.book = applyEventMedals(this.book, {
      eventCode: parsed.value.eventCode,
      source: 'result',
      unitCode: unitRsc,
      withdrawn: true,
      medals: [],
    });
    for (const entry of results) {
      const update = this.medalsOf(entry);
      if (update !== null) this.book = applyEventMedals(this.book, update);
    }
    return this.recompute(seq);
  }

  private medalsOf(entry: DocumentEntry): EventMedals | null {
    const data = entry.data;
    if (data.feedFlag !== 'P') return null;
    try {
      if (data.documentType === 'DT_MEDALLISTS') return medalsFromMedallists(messageOf(data));
      if (data.documentType !== 'DT_RESULT') return null;
      const medalUnit = this.isMedalUnit(data.documentCode);
      if (medalUnit === false) return null;
      if (medalUnit === undefined && !data.withdrawn && !namesMedals(data.competition)) return null;
      return medalsFromOfficialResult(messageOf(data));
    } catch {
      // Not an RSC (the helpers need the event code): such a document cannot carry medals.
      return null;
    }
  }

  private recompute(seq: number): boolean {
    const rows = medalTable(medalsByEvent(this.book));
    const json = JSON.stringify(rows);
    if (json === this.tableJson) return false;
    this.tableJson = json;
    const totals = rows.reduce(
      (t, r) => ({ gold: t.gold + r.gold, silver: t.silver + r.silver, bronze: t.bronze + r.bronze, total: t.total + r.total }),
      { gold: 0, silver: 0, bronze: 0, total: 0 },
    );
    this.view = { seq, rows, totals, events: Object.keys(this.book).length };
    return true;
  }
}

/** True when a result names medals explicitly (a Medal attribute on a Result or its Competitor). */
function namesMedals(competition: OdfElement | null): boolean {
  return children(competition ?? undefined, 'Result').some(
    (r) => medalTypeOf(attr(r, 'Medal') ?? attr(child(r, 'Competitor'), 'Medal')) !== null,
  );
}
