/**
 * The GDPR export of one applicant's data and what their erasure leaves (pure): the export document built from the
 * rows, the history as the applicant or staff read it, the offers and interview slots and hand-over events found in
 * the history. docs/volunteers-core.md#personal-data.
 */
import type { ApplicationView } from '../applications/applications.view';
import type { PersonalData } from '../applications/personal.logic';

/** What erased personal fields read afterwards (the names; accreditation's marker). */
export const ERASED = '[erased]';

/** The export's format name. */
export const EXPORT_FORMAT = 'podium.volunteers-personal-data/v1';

/** Who reads the export: staff (`oc-admin`, `data-protection-officer`) or the applicant on their status page. */
export type Audience = 'staff' | 'applicant';

/** The history's `by` for the applicant and the service; anything else is a staff member's sub. */
const NOT_STAFF = new Set(['applicant', 'system', 'fixture']);

export interface HistoryRow {
  at: Date;
  by: string;
  action: string;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
  details: unknown;
}

export interface HistoryEntry {
  at: string;
  by: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  details: unknown;
}

/**
 * A history entry as the audience reads it: staff read everything; the applicant reads `staff` where a staff member's
 * id stands (the staff member's identity is their personal data, not the applicant's: withheld, and said so).
 */
export function historyEntryOf(row: HistoryRow, audience: Audience): HistoryEntry {
  return {
    at: row.at.toISOString(),
    by: audience === 'applicant' && !NOT_STAFF.has(row.by) ? 'staff' : row.by,
    action: row.action,
    from: row.fromStage,
    to: row.toStage,
    reason: row.reason,
    details: row.details ?? null,
  };
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export interface OfferEntry {
  at: string;
  role: string | null;
  area: string | null;
  venue: string | null;
  deadline: string | null;
}

/** Every offer made (one per `offer` entry of the history, single or bulk), oldest first. */
export function offersOf(history: readonly HistoryRow[]): OfferEntry[] {
  return history
    .filter((h) => h.action === 'offer')
    .map((h) => {
      const d = record(h.details);
      return { at: h.at.toISOString(), role: text(d['role']), area: text(d['area']), venue: text(d['venue']), deadline: text(d['deadline']) };
    });
}

/** The ids of every interview slot the application was booked in (the history's bookings, and the current one). */
export function slotIdsOf(history: readonly HistoryRow[], current: string | null): string[] {
  const ids = new Set<string>();
  for (const h of history) {
    const slotId = text(record(h.details)['slotId']);
    if (slotId) ids.add(slotId);
  }
  if (current) ids.add(current);
  return [...ids];
}

export interface HandoverEntry {
  at: string;
  subject: 'oms.volunteers.v1.volunteer.{edition}.confirmed' | 'oms.volunteers.v1.volunteer.{edition}.withdrawn' | 'oms.volunteers.v1.volunteer.{edition}.erased';
  action: string;
}

/**
 * The events published about the person, from the history: a confirmation (the hand-over: names, date of birth,
 * nationality, role... to workforce and accreditation), a confirmed volunteer leaving (withdrawn), the erasure.
 */
export function handoversOf(history: readonly HistoryRow[]): HandoverEntry[] {
  const out: HandoverEntry[] = [];
  for (const h of history) {
    const at = h.at.toISOString();
    if (h.toStage === 'confirmed' && h.fromStage !== 'confirmed') out.push({ at, subject: 'oms.volunteers.v1.volunteer.{edition}.confirmed', action: h.action });
    else if (h.fromStage === 'confirmed' && h.toStage === 'withdrawn') out.push({ at, subject: 'oms.volunteers.v1.volunteer.{edition}.withdrawn', action: h.action });
    else if (h.action === 'erase') out.push({ at, subject: 'oms.volunteers.v1.volunteer.{edition}.erased', action: h.action });
  }
  return out;
}

export interface SlotEntry {
  id: string;
  startsAt: string;
  location: string;
  /** The slot the application is booked in now (stage interview-booked and after), else a past booking. */
  current: boolean;
}

/** A hand-over message still held in the outbox (published rows are pruned after the outbox's retention, 7 days). */
export interface HeldMessage {
  eventId: string;
  subject: string;
  createdAt: string;
  publishedAt: string | null;
  /** The envelope's data as sent (names, date of birth, nationality... for a confirmation); erased after an erasure. */
  data: unknown;
}

export interface ExportInput {
  audience: Audience;
  exportedBy: string;
  now: Date;
  application: ApplicationView;
  personal: PersonalData | undefined;
  consentAt: Date;
  consentNotice: string;
  erasedAt: Date | null;
  history: readonly HistoryRow[];
  slots: readonly SlotEntry[];
  messages: readonly HeldMessage[];
}

/** The export document: everything held about the person (docs/volunteers-core.md#gdpr-export-and-erasure). */
export function exportDocument(input: ExportInput) {
  const erase = input.history.filter((h) => h.action === 'erase').at(-1);
  return {
    format: EXPORT_FORMAT,
    exportedAt: input.now.toISOString(),
    exportedBy: input.exportedBy,
    application: {
      ...input.application,
      email: input.personal?.email ?? null,
      phone: input.personal?.phone ?? null,
      dateOfBirth: input.personal?.dateOfBirth ?? null,
      nationality: input.personal?.nationality ?? null,
      consentAt: input.consentAt.toISOString(),
      consentNotice: input.consentNotice,
      erasedAt: input.erasedAt?.toISOString() ?? null,
      erasedBy: erase ? historyEntryOf(erase, input.audience).by : null,
    },
    history: input.history.map((h) => historyEntryOf(h, input.audience)),
    interviewSlots: input.slots,
    offers: offersOf(input.history),
    handovers: handoversOf(input.history),
    handoverMessages: input.messages,
    withheld:
      input.audience === 'applicant'
        ? ["the identities of the staff members who acted on the application (their personal data): 'staff' stands for them"]
        : [],
  };
}

export type ExportDocument = ReturnType<typeof exportDocument>;

/** The file name of an export (no personal data in it: the application's id). */
export function exportFileName(applicationId: string): string {
  return `volunteer-application-${applicationId}.json`;
}
