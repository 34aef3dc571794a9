import { resultsDocumentPublished } from '@podium/contracts';
import { backoffDelay } from './backoff';
import { normalizeSubjectPrefix, partnerNameOf } from './connect';
import { PartnerSdkError } from './errors';
import { cisServerMessageSchema } from './index';
import { parseResult, resultsFilterSubject } from './results';

describe('resultsFilterSubject', () => {
  it('fills the given tokens and leaves the others as wildcards', () => {
    expect(resultsFilterSubject()).toBe('ods.results.v1.*.*.*');
    expect(resultsFilterSubject({ discipline: 'ATH', documentType: 'DT_RESULT' })).toBe('ods.results.v1.ATH.*.DT_RESULT');
  });
  it('refuses a token that would change the filter', () => {
    expect(() => resultsFilterSubject({ rsc: 'ATH.>' })).toThrow(PartnerSdkError);
    expect(() => resultsFilterSubject({ discipline: '*' })).toThrow(/filter.discipline/);
  });
});

describe('parseResult', () => {
  const envelope = {
    id: '6f1b1c2e-1f7b-5d57-9a53-7a3a2b1c0d9e',
    type: resultsDocumentPublished.type,
    source: resultsDocumentPublished.source,
    time: '2024-08-04T19:58:12.401Z',
    dataschema: resultsDocumentPublished.dataschema,
    datacontenttype: 'application/json',
    data: resultsDocumentPublished.example,
  };
  const bytes = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
  const subject = 'ods.results.v1.ATH.ATHM100M--------------FNL-000100--.DT_RESULT';

  it('accepts the contract example', () => {
    const parsed = parseResult(subject, bytes(envelope));
    expect(parsed.ok && parsed.envelope.data.version).toBe(7);
  });
  it('names the field the contract refuses, and reports bad JSON and foreign subjects', () => {
    const wrong = parseResult(subject, bytes({ ...envelope, data: { ...envelope.data, resultStatus: 42 } }));
    expect(wrong.ok ? [] : wrong.errors.map((e) => e.field)).toEqual(['data.resultStatus']);
    expect(parseResult(subject, bytes('{')).ok).toBe(false);
    expect(parseResult('ods.results-current.v1.ATH.X', bytes(envelope))).toMatchObject({ ok: false, reason: expect.stringMatching(/not a results subject/) });
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, jittered between half and all of it', () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(125);
    expect(backoffDelay(0, {}, () => 1)).toBe(250);
    expect(backoffDelay(3, {}, () => 1)).toBe(2_000);
    expect(backoffDelay(30, { maxDelayMs: 10_000 }, () => 1)).toBe(10_000);
  });
});

describe('connect helpers', () => {
  it('derives the partner from its user and normalises the prefix', () => {
    expect(partnerNameOf('partner-acme')).toBe('acme');
    expect(partnerNameOf('schedules')).toBeNull();
    expect(normalizeSubjectPrefix('og2024')).toBe('og2024.');
    expect(() => normalizeSubjectPrefix('a.*')).toThrow(PartnerSdkError);
  });
});

describe('cisServerMessageSchema', () => {
  it("is the contracts' (bundled), and validates an update with the contract schema of its document", () => {
    const document = { stream: 'RESULTS', seq: 9, ...resultsDocumentPublished.example };
    const ok = cisServerMessageSchema.safeParse({ type: 'update', seq: 9, document });
    expect(ok.success && ok.data.type === 'update' && ok.data.document.seq).toBe(9);
    const bad = cisServerMessageSchema.safeParse({ type: 'update', seq: 9, document: { ...document, version: 'x' } });
    expect(bad.success).toBe(false);
    expect(cisServerMessageSchema.safeParse({ type: 'medals', table: { seq: 1, rows: [{ rank: 1, noc: 'USA', gold: 1, silver: 0, bronze: 0, total: 1 }], totals: { gold: 1, silver: 0, bronze: 0, total: 1 }, events: 1 } }).success).toBe(true);
  });
});
