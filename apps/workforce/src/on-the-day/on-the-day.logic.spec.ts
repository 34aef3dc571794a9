import { DEFAULT_RULES } from '../rules/rules.logic';
import { RULES } from '../rules/rules.types';
import { atProblem, cardRefusal, chooseCheckIn, inCheckInWindow, lateness, liveView, MINUTE_MS, replacementReasons, rulesInForce } from './on-the-day.logic';

const H = 60 * MINUTE_MS;
const T = Date.parse('2024-08-02T06:00:00Z');

describe('cardRefusal', () => {
  const card = { status: 'active', venues: ['STA', 'BER'], validFrom: T - 10 * H, validTo: T + 10 * H };

  it('lets an active card valid now and granting the venue in', () => {
    expect(cardRefusal(card, 'STA', T)).toBeNull();
    expect(cardRefusal({ ...card, venues: ['ALL'] }, 'LDA', T)).toBeNull();
  });

  it.each(['issued', 'suspended', 'revoked'])('refuses a %s card with its status', (status) => {
    expect(cardRefusal({ ...card, status }, 'STA', T)).toEqual({ reason: 'not-active', cardStatus: status });
  });

  it('refuses an expired or not yet valid card', () => {
    expect(cardRefusal(card, 'STA', T + 11 * H)).toEqual({ reason: 'not-active', cardStatus: 'expired' });
    expect(cardRefusal(card, 'STA', T - 11 * H)).toEqual({ reason: 'not-active', cardStatus: 'not-yet-valid' });
  });

  it('refuses a card that does not grant the venue', () => {
    expect(cardRefusal(card, 'LDA', T)).toEqual({ reason: 'venue-not-granted' });
  });
});

describe('chooseCheckIn', () => {
  const a = { id: 'a', status: 'assigned', start: T, end: T + 8 * H };
  const b = { id: 'b', status: 'assigned', start: T + 24 * H, end: T + 32 * H };

  it('opens 90 minutes before the start and closes at the end', () => {
    expect(inCheckInWindow(a, T - 90 * MINUTE_MS)).toBe(true);
    expect(inCheckInWindow(a, T - 91 * MINUTE_MS)).toBe(false);
    expect(inCheckInWindow(a, T + 8 * H - 1)).toBe(true);
    expect(inCheckInWindow(a, T + 8 * H)).toBe(false);
  });

  it('picks the assignment whose window holds the time', () => {
    expect(chooseCheckIn([b, a], T - H)).toEqual({ kind: 'check-in', assignment: a });
    expect(chooseCheckIn([b, a], T + 23 * H)).toEqual({ kind: 'check-in', assignment: b });
  });

  it('takes a no-show who arrives after all', () => {
    const noShow = { ...a, status: 'no-show' };
    expect(chooseCheckIn([noShow], T + H)).toEqual({ kind: 'check-in', assignment: noShow });
  });

  it('says already checked in, or checked out', () => {
    expect(chooseCheckIn([{ ...a, status: 'checked-in' }, b], T + H).kind).toBe('already-checked-in');
    expect(chooseCheckIn([{ ...a, status: 'checked-out' }, b], T + H).kind).toBe('already-checked-out');
  });

  it('answers no shift now with the next one to come', () => {
    expect(chooseCheckIn([a, b], T + 9 * H)).toEqual({ kind: 'no-shift-now', next: b });
    expect(chooseCheckIn([a], T + 9 * H)).toEqual({ kind: 'no-shift-now', next: null });
    expect(chooseCheckIn([], T)).toEqual({ kind: 'no-shift-now', next: null });
  });
});

describe('lateness', () => {
  it('is late only after the grace, counted from the start', () => {
    expect(lateness(T, T + 10 * MINUTE_MS, 10 * MINUTE_MS)).toEqual({ late: false, minutesLate: 0 });
    expect(lateness(T, T + 10 * MINUTE_MS + 1, 10 * MINUTE_MS)).toEqual({ late: true, minutesLate: 10 });
    expect(lateness(T, T + 25 * MINUTE_MS, 10 * MINUTE_MS)).toEqual({ late: true, minutesLate: 25 });
    expect(lateness(T, T - H, 10 * MINUTE_MS)).toEqual({ late: false, minutesLate: 0 });
  });
});

describe('atProblem', () => {
  it('refuses a time in the future or older than a day', () => {
    expect(atProblem(T, T)).toBeNull();
    expect(atProblem(T + 6 * MINUTE_MS, T)).toMatch(/future/);
    expect(atProblem(T - 25 * H, T)).toMatch(/24 hours/);
  });
});

describe('liveView', () => {
  const shift = { id: 's', functionalArea: 'SPS', role: 'Usher', start: T, end: T + 8 * H, headcount: 6 };
  const person = (id: string, status: string, extra: Partial<{ checkedInAt: number; checkedOutAt: number }> = {}) => ({
    id,
    shiftId: 's',
    memberId: `m-${id}`,
    familyName: id.toUpperCase(),
    givenName: 'X',
    status,
    cardNumber: status.startsWith('checked') ? `C-${id}` : null,
    checkedInAt: extra.checkedInAt ?? null,
    checkedOutAt: extra.checkedOutAt ?? null,
  });

  it('counts checked in, late, awaited, gone, no-shows and missing places', () => {
    const [view] = liveView(
      [shift],
      [
        person('a', 'checked-in', { checkedInAt: T - 5 * MINUTE_MS }),
        person('b', 'checked-in', { checkedInAt: T + 20 * MINUTE_MS }),
        person('c', 'assigned'),
        person('d', 'no-show'),
        person('e', 'checked-out', { checkedInAt: T - H, checkedOutAt: T + H }),
      ],
      T + 2 * H,
      10 * MINUTE_MS,
    );
    expect(view?.counts).toEqual({ expected: 6, checkedIn: 2, late: 1, awaited: 0, checkedOut: 1, noShows: 1, missing: 3 });
    expect(view?.checkedIn.map((p) => [p.assignmentId, p.late, p.minutesLate, p.cardNumber])).toEqual([
      ['a', false, 0, 'C-a'],
      ['b', true, 20, 'C-b'],
    ]);
    expect(view?.late).toEqual([{ assignmentId: 'c', memberId: 'm-c', familyName: 'C', givenName: 'X', minutesLate: 120 }]);
  });

  it('awaits an assigned member within the grace and never counts missing places below zero', () => {
    const [view] = liveView([{ ...shift, headcount: 1 }], [person('a', 'assigned'), person('b', 'assigned')], T + 5 * MINUTE_MS, 10 * MINUTE_MS);
    expect(view?.counts).toMatchObject({ awaited: 2, late: 0, missing: 0 });
  });
});

describe('rulesInForce', () => {
  it('names every rule a rule set checks, and only those', () => {
    expect(rulesInForce(DEFAULT_RULES.volunteer)).toEqual([...RULES]);
    expect(rulesInForce(DEFAULT_RULES.staff)).not.toContain('max-consecutive-days');
    const none = { ...DEFAULT_RULES.staff, noOverlap: false, minRestHours: null, maxShiftHours: null, maxHoursPerWeek: null, requireSkills: false, requireLanguages: false, requireAvailability: false, requireAccreditation: false };
    expect(rulesInForce(none)).toEqual(['member-released']);
  });
});

describe('replacementReasons', () => {
  it("says the score's terms", () => {
    expect(replacementReasons({ homeVenue: 'STA', functionalArea: 'SPS' }, { venue: 'STA', functionalArea: 'SPS' }, 12)).toEqual([
      'home venue STA (+100)',
      'functional area SPS (+50)',
      '12 h of shifts already that week (-12)',
    ]);
    expect(replacementReasons({ homeVenue: 'BER', functionalArea: 'MED' }, { venue: 'STA', functionalArea: 'SPS' }, 0)).toEqual(['0 h of shifts already that week (0)']);
  });
});
