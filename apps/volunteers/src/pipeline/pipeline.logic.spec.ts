import { STAGES } from '../applications/application.logic';
import {
  allowedMoves,
  csvCell,
  csvLine,
  effectiveStage,
  FINAL_STAGES,
  funnelOf,
  handoverEventOf,
  isWithdrawalReason,
  step,
  WITHDRAWAL_REASONS,
  WITHDRAWAL_TEXT_MAX,
  withdrawalEntry,
  workingLanguages,
} from './pipeline.logic';

describe('pipeline rules', () => {
  const now = new Date('2024-05-01T12:00:00Z');

  it('lets a recruiter move along the main line, reject before acceptance, and release an accepted or confirmed volunteer', () => {
    expect(allowedMoves('applied', 'recruiter')).toEqual(['screened', 'rejected']);
    expect(allowedMoves('interview-booked', 'recruiter')).toEqual(['screened', 'interview-booked', 'interviewed', 'rejected']);
    expect(allowedMoves('offered', 'recruiter')).toEqual(['rejected']);
    expect(allowedMoves('accepted', 'recruiter')).toEqual(['confirmed', 'withdrawn']);
    expect(allowedMoves('confirmed', 'recruiter')).toEqual(['withdrawn']);
  });

  it('lets only the applicant answer an offer, and withdraw from any stage that is not final', () => {
    expect(allowedMoves('offered', 'applicant')).toEqual(['accepted', 'declined', 'withdrawn']);
    for (const stage of STAGES) {
      expect(allowedMoves(stage, 'applicant').includes('withdrawn')).toBe(!FINAL_STAGES.includes(stage));
      if (FINAL_STAGES.includes(stage)) expect([...allowedMoves(stage, 'recruiter'), ...allowedMoves(stage, 'system')]).toEqual([]);
    }
    expect(allowedMoves('offered', 'system')).toEqual(['lapsed']);
  });

  it('refuses an illegal move naming the allowed ones, and any answer to an offer past its deadline', () => {
    expect(step('applied', 'interviewed', 'recruiter', null, now)).toMatchObject({ ok: false, slug: 'illegal-transition', allowed: ['screened', 'rejected'] });
    expect(step('offered', 'accepted', 'applicant', new Date('2024-05-01T12:00:01Z'), now)).toEqual({ ok: true });
    expect(step('offered', 'accepted', 'applicant', new Date('2024-05-01T12:00:00Z'), now)).toMatchObject({ ok: false, slug: 'offer-lapsed' });
    expect(step('offered', 'rejected', 'recruiter', new Date('2024-04-30T00:00:00Z'), now)).toMatchObject({ ok: false, slug: 'offer-lapsed' });
    expect(effectiveStage('offered', new Date('2024-04-30T00:00:00Z'), now)).toBe('lapsed');
    expect(effectiveStage('accepted', new Date('2024-04-30T00:00:00Z'), now)).toBe('accepted');
  });

  it('hands over on confirmation, and withdraws only a confirmed volunteer', () => {
    expect(handoverEventOf('accepted', 'confirmed')).toBe('confirmed');
    expect(handoverEventOf('confirmed', 'withdrawn')).toBe('withdrawn');
    expect(handoverEventOf('accepted', 'withdrawn')).toBeNull();
    expect(workingLanguages([{ code: 'fr', level: 'native' }, { code: 'en', level: 'A2' }, { code: 'de', level: 'B1' }])).toEqual(['fr', 'de']);
  });
});

describe('funnel', () => {
  it('counts every stage and converts between consecutive main-line stages (declined and lapsed reached offered)', () => {
    const funnel = funnelOf([
      { stage: 'applied', count: 50 },
      { stage: 'screened', count: 20 },
      { stage: 'offered', count: 5 },
      { stage: 'declined', count: 3 },
      { stage: 'lapsed', count: 2 },
      { stage: 'confirmed', count: 10 },
      { stage: 'rejected', count: 10 },
    ]);
    expect(funnel.total).toBe(100);
    expect(funnel.counts.withdrawn).toBe(0);
    expect(funnel.conversion.map((c) => [c.from, c.reachedFrom, c.reachedTo])).toEqual([
      ['applied', 100, 40],
      ['screened', 40, 20],
      ['interview-booked', 20, 20],
      ['interviewed', 20, 20],
      ['trained', 20, 20],
      ['offered', 20, 10],
      ['accepted', 10, 10],
    ]);
    expect(funnelOf([]).conversion[0]?.rate).toBeNull();
  });
});

describe('CSV cells', () => {
  it('quotes what RFC 4180 needs and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(formula)).toBe(`'${formula}`);
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, true, undefined])).toBe('a,1,true,\r\n');
  });
});

describe('withdrawalEntry', () => {
  it("keeps the applicant's words in the history (trimmed, capped) and sends only the reason's code in the event", () => {
    expect(withdrawalEntry()).toEqual({ reason: null, details: {}, eventReason: 'Withdrew' });
    expect(withdrawalEntry({ code: 'health', text: '  my knee, Dr Martin says  ' })).toEqual({
      reason: 'my knee, Dr Martin says',
      details: { reasonCode: 'health' },
      eventReason: 'Withdrew (health)',
    });
    expect(withdrawalEntry({ text: 'x'.repeat(WITHDRAWAL_TEXT_MAX + 50) }).reason).toHaveLength(WITHDRAWAL_TEXT_MAX);
    expect(withdrawalEntry({ text: '   ' }).reason).toBeNull();
    expect(withdrawalEntry({ code: 'bored' as never })).toEqual({ reason: null, details: {}, eventReason: 'Withdrew' });
    expect(WITHDRAWAL_REASONS.every(isWithdrawalReason)).toBe(true);
    expect(isWithdrawalReason('withdrawn')).toBe(false);
  });
});
