/**
 * Medals: medallists per event from DT_MEDALLISTS or from a medal unit's OFFICIAL DT_RESULT, and the medal table.
 */
import { attr, child, children, type OdfElement } from './element';
import type { OdfMessage } from './message';

export const MEDAL_TYPES = ['GOLD', 'SILVER', 'BRONZE'] as const;
export type MedalType = (typeof MEDAL_TYPES)[number];

/** One medal won by one competitor (an athlete, a pair or a team: one medal in the table). */
export interface Medallist {
  readonly medal: MedalType;
  /** The NOC (ODF `Organisation`) credited with the medal. */
  readonly noc: string;
  readonly competitorCode: string;
  /** Team name, or athletes' "GivenName FamilyName" joined by " / "; null when the message gives none. */
  readonly name: string | null;
  /** The unit the medal was decided in, when known. */
  readonly unitCode: string | null;
}

/** The medals of one event as given by one document. */
export interface EventMedals {
  /** The event RSC (phase and unit '-'). */
  readonly eventCode: string;
  /** 'medallists' (DT_MEDALLISTS, authoritative for the event) or 'result' (a medal unit's OFFICIAL DT_RESULT). */
  readonly source: 'medallists' | 'result';
  /** For source 'result': the unit RSC. */
  readonly unitCode: string | null;
  /** True when the document was withdrawn: its medals no longer count. */
  readonly withdrawn: boolean;
  readonly medals: readonly Medallist[];
}

const MEDAL_CODES: Readonly<Record<string, MedalType>> = {
  ME_GOLD: 'GOLD',
  ME_SILVER: 'SILVER',
  ME_BRONZE: 'BRONZE',
  GOLD: 'GOLD',
  SILVER: 'SILVER',
  BRONZE: 'BRONZE',
};

/** Maps an ODF medal code (ME_GOLD, ME_SILVER, ME_BRONZE; also GOLD, SILVER, BRONZE) to a medal type. */
export function medalTypeOf(code: string | undefined): MedalType | null {
  return code !== undefined && Object.prototype.hasOwnProperty.call(MEDAL_CODES, code)
    ? (MEDAL_CODES[code] ?? null)
    : null;
}

/** The NOC of a competitor: its Organisation, else the one Organisation shared by all its athletes; else null. */
function nocOf(competitor: OdfElement): string | null {
  const own = attr(competitor, 'Organisation');
  if (own !== undefined && own !== '') return own;
  const orgs = new Set(
    children(child(competitor, 'Composition'), 'Athlete').map((a) =>
      attr(child(a, 'Description'), 'Organisation'),
    ),
  );
  const [only] = [...orgs];
  return orgs.size === 1 && only !== undefined && only !== '' ? only : null;
}

function nameOf(competitor: OdfElement): string | null {
  const team = attr(child(competitor, 'Description'), 'TeamName');
  if (team) return team;
  const names = children(child(competitor, 'Composition'), 'Athlete')
    .map((a) => {
      const d = child(a, 'Description');
      return [attr(d, 'GivenName'), attr(d, 'FamilyName')]
        .filter((s) => s !== undefined && s !== '')
        .join(' ');
    })
    .filter((n) => n !== '');
  return names.length > 0 ? names.join(' / ') : null;
}

function medallist(competitor: OdfElement, medal: MedalType, unitCode: string | null): Medallist | null {
  const competitorCode = attr(competitor, 'Code') ?? '';
  const noc = nocOf(competitor);
  if (noc === null || competitorCode === 'NOCOMP') return null; // no competitor: no medal awarded
  return { medal, noc, competitorCode, name: nameOf(competitor), unitCode };
}

function eventCodeOf(message: OdfMessage, expected: string): string {
  if (message.header.documentType !== expected) {
    throw new TypeError(`expected a ${expected} message, got ${message.header.documentType}`);
  }
  if (message.rsc === null) {
    throw new TypeError(`${expected} DocumentCode ${message.header.documentCode} is not an RSC`);
  }
  return message.rsc.eventCode;
}

/**
 * The medallists of the event of a DT_MEDALLISTS message: each `Medal` (Code ME_GOLD/ME_SILVER/ME_BRONZE,
 * optional `Unit`) with its `Competitor`(s), credited to the competitor's Organisation. Unknown medal codes and
 * competitors without an Organisation (NOCOMP) are skipped. A withdrawal gives `withdrawn: true` and no medals.
 * Throws a TypeError for another document type.
 */
export function medalsFromMedallists(message: OdfMessage): EventMedals {
  const eventCode = eventCodeOf(message, 'DT_MEDALLISTS');
  const medals: Medallist[] = [];
  for (const medal of children(message.competition ?? undefined, 'Medal')) {
    const type = medalTypeOf(attr(medal, 'Code'));
    if (type === null) continue;
    const unit = attr(medal, 'Unit') ?? null;
    for (const competitor of children(medal, 'Competitor')) {
      const m = medallist(competitor, type, unit);
      if (m) medals.push(m);
    }
  }
  return { eventCode, source: 'medallists', unitCode: null, withdrawn: message.withdrawal, medals };
}

export interface OfficialResultMedalOptions {
  /**
   * For head-to-head medal matches whose results carry WLT but no Rank (e.g. squash, tennis):
   * 'gold' → winner GOLD, loser SILVER; 'bronze' → winner BRONZE.
   */
  readonly medalMatch?: 'gold' | 'bronze';
}

/**
 * The medals decided by a medal unit's OFFICIAL DT_RESULT. Call it only for units the schedule flags as medal
 * units. Per `Result`, in order of preference: a `Medal` attribute on the Result or its Competitor (ME_GOLD…);
 * else Rank 1/2/3 (ties give several medals of a colour); else WLT with `options.medalMatch`.
 * Returns null when the message is not OFFICIAL (medals only change on OFFICIAL results); a withdrawal gives
 * `withdrawn: true` (the unit's medals no longer count). Throws a TypeError for another document type.
 */
export function medalsFromOfficialResult(
  message: OdfMessage,
  options: OfficialResultMedalOptions = {},
): EventMedals | null {
  const eventCode = eventCodeOf(message, 'DT_RESULT');
  const unitCode = message.header.documentCode;
  if (message.withdrawal) {
    return { eventCode, source: 'result', unitCode, withdrawn: true, medals: [] };
  }
  if (message.header.resultStatus !== 'OFFICIAL') {
    return null;
  }
  const results = children(message.competition ?? undefined, 'Result');
  const byAttribute = (r: OdfElement): MedalType | null =>
    medalTypeOf(attr(r, 'Medal') ?? attr(child(r, 'Competitor'), 'Medal'));
  const byRank = (r: OdfElement): MedalType | null => {
    const rank = attr(r, 'Rank');
    return rank === '1' ? 'GOLD' : rank === '2' ? 'SILVER' : rank === '3' ? 'BRONZE' : null;
  };
  const byWlt = (r: OdfElement): MedalType | null => {
    const wlt = attr(r, 'WLT');
    if (options.medalMatch === 'gold') return wlt === 'W' ? 'GOLD' : wlt === 'L' ? 'SILVER' : null;
    if (options.medalMatch === 'bronze') return wlt === 'W' ? 'BRONZE' : null;
    return null;
  };
  const rule = results.some((r) => byAttribute(r) !== null)
    ? byAttribute
    : results.some((r) => byRank(r) !== null)
      ? byRank
      : byWlt;
  const medals: Medallist[] = [];
  for (const result of results) {
    const type = rule(result);
    const competitor = child(result, 'Competitor');
    if (type === null || competitor === undefined) continue;
    const m = medallist(competitor, type, unitCode);
    if (m) medals.push(m);
  }
  return { eventCode, source: 'result', unitCode, withdrawn: false, medals };
}

/** What is known about one event's medals, per source. */
export interface EventMedalState {
  /** From DT_MEDALLISTS: authoritative for the event when present. */
  readonly fromMedallists: readonly Medallist[] | null;
  /** From OFFICIAL medal-unit results, per unit RSC (used while there is no DT_MEDALLISTS). */
  readonly byUnit: Readonly<Record<string, readonly Medallist[]>>;
}

/** Medal knowledge per event RSC. Immutable: {@link applyEventMedals} returns a new book. */
export type MedalBook = Readonly<Record<string, EventMedalState>>;

/**
 * Records `update` in `book`: a DT_MEDALLISTS replaces the event's medallists (a withdrawal removes them, and the
 * unit results count again); a result replaces that unit's medals (a withdrawal removes them). A correction thus
 * replaces the event's medals; recompute the table with {@link medalTable}.
 */
export function applyEventMedals(book: MedalBook, update: EventMedals): MedalBook {
  const current: EventMedalState = book[update.eventCode] ?? { fromMedallists: null, byUnit: {} };
  let next: EventMedalState;
  if (update.source === 'medallists') {
    next = { ...current, fromMedallists: update.withdrawn ? null : update.medals };
  } else {
    const unit = update.unitCode ?? update.eventCode;
    const byUnit: Record<string, readonly Medallist[]> = { ...current.byUnit };
    if (update.withdrawn) {
      delete byUnit[unit];
    } else {
      byUnit[unit] = update.medals;
    }
    next = { ...current, byUnit };
  }
  return { ...book, [update.eventCode]: next };
}

/** The medals that count per event: DT_MEDALLISTS when present, else the medal units' OFFICIAL results. */
export function medalsByEvent(book: MedalBook): Record<string, readonly Medallist[]> {
  const out: Record<string, readonly Medallist[]> = {};
  for (const [eventCode, state] of Object.entries(book)) {
    out[eventCode] = state.fromMedallists ?? Object.values(state.byUnit).flat();
  }
  return out;
}

export interface MedalTableRow {
  /** 1-based; NOCs with equal gold, silver and bronze share a rank (1, 2, 2, 4). */
  readonly rank: number;
  readonly noc: string;
  readonly gold: number;
  readonly silver: number;
  readonly bronze: number;
  readonly total: number;
}

/**
 * The medal table: gold, silver, bronze and total per NOC, ranked by golds, then silvers, then bronzes; equal
 * NOCs share a rank and are listed by NOC code. NOCs without a medal are not listed.
 */
export function medalTable(byEvent: Readonly<Record<string, readonly Medallist[]>>): MedalTableRow[] {
  const counts = new Map<string, { gold: number; silver: number; bronze: number }>();
  for (const medals of Object.values(byEvent)) {
    for (const m of medals) {
      const row = counts.get(m.noc) ?? { gold: 0, silver: 0, bronze: 0 };
      if (m.medal === 'GOLD') row.gold++;
      else if (m.medal === 'SILVER') row.silver++;
      else row.bronze++;
      counts.set(m.noc, row);
    }
  }
  const rows = [...counts].map(([noc, c]) => ({ noc, ...c, total: c.gold + c.silver + c.bronze }));
  const compare = (a: (typeof rows)[number], b: (typeof rows)[number]): number =>
    b.gold - a.gold || b.silver - a.silver || b.bronze - a.bronze;
  rows.sort((a, b) => compare(a, b) || (a.noc < b.noc ? -1 : a.noc > b.noc ? 1 : 0));
  const out: MedalTableRow[] = [];
  rows.forEach((row, i) => {
    const prev = out[i - 1];
    const previousRow = rows[i - 1];
    const rank =
      prev !== undefined && previousRow !== undefined && compare(previousRow, row) === 0 ? prev.rank : i + 1;
    out.push({ rank, ...row });
  });
  return out;
}
