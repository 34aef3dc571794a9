/**
 * The recruiting pipeline as data (pure): which stage may follow which, and who may move an application there (a
 * recruiter, the applicant with their status token, or the service itself when an offer lapses). Plus the pure
 * pieces around it: the offer and its deadline, the funnel, the CSV cells, the hand-over payload.
 * docs/volunteers-pipeline.md.
 */
import type { VolunteerHandover } from '@podium/contracts';

import { STAGES, type Stage } from '../applications/application.logic';
import { datesToRanges } from '../applications/applications.view';

/** Who moves an application: a recruiter (RECRUITER_ROLES), the applicant (status token), or the service (a lapse). */
export type Actor = 'recruiter' | 'applicant' | 'system';

/** Stages an application never leaves. */
export const FINAL_STAGES: readonly Stage[] = ['declined', 'lapsed', 'rejected', 'withdrawn'];

/** The main line, in order: what the funnel converts between. */
export const MAIN_LINE: readonly Stage[] = ['applied', 'screened', 'interview-booked', 'interviewed', 'trained', 'offered', 'accepted', 'confirmed'];

/** Stages from which a recruiter may still reject (any non-final stage before accepted). */
const BEFORE_ACCEPTED: readonly Stage[] = ['applied', 'screened', 'interview-booked', 'interviewed', 'trained', 'offered'];

/**
 * Every legal move: from -> to, by whom. `interview-booked -> screened` cancels a booking (its place is freed);
 * a recruiter's `withdrawn` of an accepted or confirmed volunteer is a release.
 */
const EDGES: readonly { from: Stage; to: Stage; by: Actor }[] = [
  { from: 'applied', to: 'screened', by: 'recruiter' },
  { from: 'screened', to: 'interview-booked', by: 'recruiter' },
  { from: 'interview-booked', to: 'interview-booked', by: 'recruiter' },
  { from: 'interview-booked', to: 'screened', by: 'recruiter' },
  { from: 'interview-booked', to: 'interviewed', by: 'recruiter' },
  { from: 'interviewed', to: 'trained', by: 'recruiter' },
  { from: 'trained', to: 'offered', by: 'recruiter' },
  { from: 'offered', to: 'accepted', by: 'applicant' },
  { from: 'offered', to: 'declined', by: 'applicant' },
  { from: 'offered', to: 'lapsed', by: 'system' },
  { from: 'accepted', to: 'confirmed', by: 'recruiter' },
  ...BEFORE_ACCEPTED.map((from) => ({ from, to: 'rejected' as const, by: 'recruiter' as const })),
  ...STAGES.filter((s) => !FINAL_STAGES.includes(s)).map((from) => ({ from, to: 'withdrawn' as const, by: 'applicant' as const })),
  { from: 'accepted', to: 'withdrawn', by: 'recruiter' },
  { from: 'confirmed', to: 'withdrawn', by: 'recruiter' },
];

/** The stages `actor` may move an application in `from` to (in STAGES order). */
export function allowedMoves(from: Stage, actor: Actor): Stage[] {
  const targets = new Set(EDGES.filter((e) => e.from === from && e.by === actor).map((e) => e.to));
  return STAGES.filter((s) => targets.has(s));
}

export type Step = { ok: true } | { ok: false; slug: 'illegal-transition' | 'offer-lapsed'; detail: string; allowed: Stage[] };

/**
 * May `actor` move an application from `from` to `to`, at `now`? An offer whose deadline has passed is lapsed
 * whatever its stored stage says (the sweep writes it down later): an answer after the deadline is refused.
 */
export function step(from: Stage, to: Stage, actor: Actor, offerDeadline: Date | null, now: Date): Step {
  if (from === 'offered' && isOfferExpired(from, offerDeadline, now) && to !== 'lapsed') {
    return {
      ok: false,
      slug: 'offer-lapsed',
      detail: `The offer had to be answered by ${offerDeadline?.toISOString()}: it lapsed and can no longer be answered or changed`,
      allowed: [],
    };
  }
  const allowed = allowedMoves(from, actor);
  if (allowed.includes(to)) return { ok: true };
  const who = actor === 'recruiter' ? 'a recruiter' : actor === 'applicant' ? 'the applicant' : 'the service';
  const options = allowed.length ? `allowed: ${allowed.join(', ')}` : 'nothing is allowed from there';
  return { ok: false, slug: 'illegal-transition', detail: `${who} may not move an application from ${from} to ${to} (${options})`, allowed };
}

/** An offer whose deadline has passed (not answered in time). */
export function isOfferExpired(stage: string, offerDeadline: Date | null, now: Date): boolean {
  return stage === 'offered' && offerDeadline !== null && offerDeadline.getTime() <= now.getTime();
}

/** The stage as it reads at `now`: an offer past its deadline reads `lapsed` before the sweep writes it. */
export function effectiveStage(stage: Stage, offerDeadline: Date | null, now: Date): Stage {
  return isOfferExpired(stage, offerDeadline, now) ? 'lapsed' : stage;
}

/** The reasons the status page's withdrawal form offers (optional; free text besides, WITHDRAWAL_TEXT_MAX characters). */
export const WITHDRAWAL_REASONS = ['not-available', 'personal', 'other-commitment', 'health', 'other'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
export const WITHDRAWAL_TEXT_MAX = 300;

export function isWithdrawalReason(value: string): value is WithdrawalReason {
  return (WITHDRAWAL_REASONS as readonly string[]).includes(value);
}

/** An applicant's withdrawal: a reason of the list and/or their own words (both optional). */
export interface Withdrawal {
  code?: WithdrawalReason;
  text?: string;
}

/**
 * The history entry of an applicant's withdrawal: their words as its reason (trimmed, at most WITHDRAWAL_TEXT_MAX
 * characters, null when empty), the reason's code in its details, and what the withdrawn event (a confirmed
 * volunteer's) says: the code only, never the applicant's words (which may hold personal data and would leave the
 * service).
 */
export function withdrawalEntry(withdrawal: Withdrawal = {}): { reason: string | null; details: Record<string, string>; eventReason: string } {
  const text = withdrawal.text?.trim().slice(0, WITHDRAWAL_TEXT_MAX) || null;
  const code = withdrawal.code && isWithdrawalReason(withdrawal.code) ? withdrawal.code : undefined;
  return { reason: text, details: code ? { reasonCode: code } : {}, eventReason: code ? `Withdrew (${code})` : 'Withdrew' };
}

/** What a move to `to` hands over on NATS: confirmed publishes the hand-over, a confirmed volunteer leaving publishes withdrawn. */
export function handoverEventOf(from: Stage, to: Stage): 'confirmed' | 'withdrawn' | null {
  if (to === 'confirmed') return 'confirmed';
  if (from === 'confirmed' && to === 'withdrawn') return 'withdrawn';
  return null;
}

/** Language levels at which a volunteer works in a language (handed over): B1 and above. */
const WORKING_LEVELS = new Set(['B1', 'B2', 'C1', 'C2', 'native']);

/** The language codes spoken at a working level, from the application's `languages` ([{code, level}]). */
export function workingLanguages(languages: unknown): string[] {
  if (!Array.isArray(languages)) return [];
  return languages
    .filter((l): l is { code: string; level: string } => typeof l === 'object' && l !== null && typeof l.code === 'string' && typeof l.level === 'string')
    .filter((l) => WORKING_LEVELS.has(l.level))
    .map((l) => l.code);
}

/** The row's columns the hand-over is made of (the rest of Application is not needed). */
export interface HandoverRow {
  id: string;
  edition: string;
  familyName: string;
  givenName: string;
  languages: unknown;
  skills: string[];
  drivingLicence: boolean;
  availableDates: string[];
  offerRole: string | null;
  offerArea: string | null;
  offerVenue: string | null;
  version: number;
  updatedAt: Date;
}

/**
 * The hand-over of a confirmed volunteer (oms.volunteers.v1.volunteer.{edition}.confirmed): names, date of birth and
 * nationality, the accepted role, area and venue, working languages, skills, licence and availability; never contact
 * details. The payload is parsed against the contract by the OutboxWriter.
 */
export function handoverPayload(row: HandoverRow, personal: { dateOfBirth: string; nationality: string }): VolunteerHandover {
  return {
    id: row.id,
    edition: row.edition,
    familyName: row.familyName,
    givenName: row.givenName,
    dateOfBirth: personal.dateOfBirth,
    nationality: personal.nationality,
    role: row.offerRole ?? '',
    functionalArea: row.offerArea ?? '',
    venue: row.offerVenue ?? '',
    languages: workingLanguages(row.languages),
    skills: row.skills,
    drivingLicence: row.drivingLicence,
    availability: datesToRanges(row.availableDates),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface FunnelStep {
  from: Stage;
  to: Stage;
  /** Applications that reached `from` / `to` (at that stage now, or further along the main line). */
  reachedFrom: number;
  reachedTo: number;
  /** reachedTo / reachedFrom, rounded to 4 decimals; null when none reached `from`. */
  rate: number | null;
}

export interface Funnel {
  total: number;
  /** Applications at each stage now (every stage, 0 when none). */
  counts: Record<Stage, number>;
  /** Conversion between consecutive stages of the main line. */
  conversion: FunnelStep[];
}

/**
 * The funnel from the counts per current stage (one GROUP BY). An application "reached" a main-line stage when it is at
 * that stage or further now; declined and lapsed reached `offered`. Rejected and withdrawn applications left the
 * pipeline: they count in `total` and in `applied`'s reach, not in a later stage's (the history says where they left).
 */
export function funnelOf(rows: readonly { stage: string; count: number }[]): Funnel {
  const counts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  let total = 0;
  for (const { stage, count } of rows) {
    total += count;
    if (stage in counts) counts[stage as Stage] += count;
  }
  const position = (stage: Stage): number => {
    if (stage === 'declined' || stage === 'lapsed') return MAIN_LINE.indexOf('offered');
    return MAIN_LINE.indexOf(stage);
  };
  const reached = MAIN_LINE.map((_, i) => (i === 0 ? total : STAGES.reduce((sum, s) => (position(s) >= i ? sum + counts[s] : sum), 0)));
  const conversion = MAIN_LINE.slice(1).map((to, i) => {
    const reachedFrom = reached[i] ?? 0;
    const reachedTo = reached[i + 1] ?? 0;
    return { from: MAIN_LINE[i] as Stage, to, reachedFrom, reachedTo, rate: reachedFrom === 0 ? null : Math.round((reachedTo / reachedFrom) * 10_000) / 10_000 };
  });
  return { total, counts, conversion };
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF (quotes doubled). A cell a spreadsheet would
 * read as a formula (starting with = + - @, or a tab or CR) is prefixed with a single quote first (CSV injection).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, RFC 4180). */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
