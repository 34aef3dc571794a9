import type { ApplicationView } from '../applications/applications.view';
import { ERASED, EXPORT_FORMAT, exportDocument, exportFileName, handoversOf, historyEntryOf, type HistoryRow, offersOf, slotIdsOf } from './personal-data.logic';

const at = (minute: number) => new Date(Date.UTC(2024, 4, 2, 9, minute));
const entry = (minute: number, by: string, action: string, from: string | null, to: string | null, details: unknown = null, reason: string | null = null): HistoryRow => ({
  at: at(minute),
  by,
  action,
  fromStage: from,
  toStage: to,
  reason,
  details,
});

const SLOT_A = '0b9a3f3e-4d1c-4e39-9f55-1a2b3c4d5e6f';
const SLOT_B = '1c8b4e2d-5e2d-4f4a-8a66-2b3c4d5e6f70';
const history: HistoryRow[] = [
  entry(0, 'applicant', 'apply', null, 'applied', { via: 'portal' }),
  entry(1, 'rec-1', 'screen', 'applied', 'screened'),
  entry(2, 'rec-1', 'book-interview', 'screened', 'interview-booked', { slotId: SLOT_A }),
  entry(3, 'rec-2', 'rebook-interview', 'interview-booked', 'interview-booked', { slotId: SLOT_B }),
  entry(4, 'rec-2', 'interview', 'interview-booked', 'interviewed'),
  entry(5, 'rec-2', 'train', 'interviewed', 'trained'),
  entry(6, 'rec-3', 'offer', 'trained', 'offered', { bulk: true, role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: '2024-06-01T00:00:00.000Z' }, 'wave 1'),
  entry(7, 'applicant', 'accept', 'offered', 'accepted'),
  entry(8, 'rec-3', 'confirm', 'accepted', 'confirmed'),
  entry(9, 'contact-1', 'read-contact', 'confirmed', 'confirmed'),
  entry(10, 'rec-3', 'release', 'confirmed', 'withdrawn', null, 'no longer needed'),
  entry(11, 'dpo-1', 'erase', 'withdrawn', 'withdrawn', { via: 'api', withdrawal: null }, 'DP-42'),
];

describe('the export of one applicant', () => {
  it('finds the offers, the slots booked and the events published in the history', () => {
    expect(offersOf(history)).toEqual([{ at: at(6).toISOString(), role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: '2024-06-01T00:00:00.000Z' }]);
    expect(slotIdsOf(history, null)).toEqual([SLOT_A, SLOT_B]);
    expect(slotIdsOf([], SLOT_B)).toEqual([SLOT_B]);
    expect(handoversOf(history).map((h) => [h.subject, h.action])).toEqual([
      ['oms.volunteers.v1.volunteer.{edition}.confirmed', 'confirm'],
      ['oms.volunteers.v1.volunteer.{edition}.withdrawn', 'release'],
      ['oms.volunteers.v1.volunteer.{edition}.erased', 'erase'],
    ]);
  });

  it("shows staff everything, and the applicant 'staff' where a staff member's id stands", () => {
    expect(historyEntryOf(history[1] as HistoryRow, 'staff').by).toBe('rec-1');
    expect(history.map((h) => historyEntryOf(h, 'applicant').by)).toEqual([
      'applicant',
      'staff',
      'staff',
      'staff',
      'staff',
      'staff',
      'staff',
      'applicant',
      'staff',
      'staff',
      'staff',
      'staff',
    ]);
  });

  it('holds the opened personal data, the consent and the erasure, and says what the applicant does not get', () => {
    const application = { id: '3e5b9a1c-7d2f-4c8e-9b6a-1f0e2d3c4b5a', familyName: ERASED } as ApplicationView;
    const base = {
      exportedBy: 'dpo-1',
      now: at(30),
      application,
      consentAt: at(0),
      consentNotice: '2024-01',
      history,
      slots: [],
      messages: [],
    };
    const open = exportDocument({ ...base, audience: 'staff', personal: { email: 'lea@example.org', phone: null, dateOfBirth: '1996-05-14', nationality: 'FRA' }, erasedAt: null });
    expect(open).toMatchObject({
      format: EXPORT_FORMAT,
      exportedAt: at(30).toISOString(),
      exportedBy: 'dpo-1',
      application: { email: 'lea@example.org', phone: null, dateOfBirth: '1996-05-14', nationality: 'FRA', consentAt: at(0).toISOString(), consentNotice: '2024-01' },
      withheld: [],
    });
    const erased = exportDocument({ ...base, audience: 'applicant', personal: undefined, erasedAt: at(11) });
    expect(erased.application).toMatchObject({ email: null, dateOfBirth: null, nationality: null, erasedAt: at(11).toISOString(), erasedBy: 'staff' });
    expect(erased.withheld).toHaveLength(1);
    expect(exportFileName(application.id)).toBe(`volunteer-application-${application.id}.json`);
  });
});
