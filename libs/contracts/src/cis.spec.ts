import { cisCommandSchema, cisDocumentFilterSchema, cisServerMessageSchema } from './cis';
import { resultsDocumentPublished } from './subjects/results';
import { scheduleUnitUpdated } from './subjects/schedules';

describe('the CIS protocol', () => {
  describe('commands (client -> server)', () => {
    it('takes a documents subscription, a medals or schedule one, unsubscribe, snapshot and ping', () => {
      expect(cisCommandSchema.parse({ action: 'subscribe', id: 'ath', discipline: 'ATH', after: 12 })).toEqual({ action: 'subscribe', id: 'ath', discipline: 'ATH', after: 12 });
      expect(cisCommandSchema.safeParse({ action: 'subscribe', medals: true, schedule: true }).success).toBe(true);
      expect(cisCommandSchema.safeParse({ action: 'unsubscribe', id: 's1' }).success).toBe(true);
      expect(cisCommandSchema.safeParse({ action: 'snapshot' }).success).toBe(true);
      expect(cisCommandSchema.safeParse({ action: 'ping' }).success).toBe(true);
    });

    it.each([
      ['an unknown action', { action: 'dance' }],
      ['an unknown field', { action: 'subscribe', sport: 'ATH' }],
      ['a bad subscription id', { action: 'subscribe', id: 'a b' }],
      ['a negative after', { action: 'subscribe', after: -1 }],
      ['medals: false', { action: 'subscribe', medals: false }],
      ['unsubscribe without id', { action: 'unsubscribe' }],
      ['ping with a field', { action: 'ping', seq: 1 }],
    ])('refuses %s', (_label, command) => {
      expect(cisCommandSchema.safeParse(command).success).toBe(false);
    });

    it("validate the filter's fields and refuse unknown ones", () => {
      expect(cisDocumentFilterSchema.safeParse({ discipline: 'ath' }).success).toBe(false);
      expect(cisDocumentFilterSchema.safeParse({ documentType: 'DT_NOPE' }).success).toBe(false);
      expect(cisDocumentFilterSchema.safeParse({ sport: 'ATH' }).success).toBe(false);
      expect(cisDocumentFilterSchema.parse({ rsc: 'ATHM100M--------------------------', documentType: 'DT_RESULT' })).toEqual({
        rsc: 'ATHM100M--------------------------',
        documentType: 'DT_RESULT',
      });
    });
  });

  describe('messages (server -> client)', () => {
    it('validates an update with the contract schema of its document', () => {
      const document = { stream: 'RESULTS', seq: 9, ...resultsDocumentPublished.example };
      const ok = cisServerMessageSchema.safeParse({ type: 'update', seq: 9, document });
      expect(ok.success && ok.data.type === 'update' && ok.data.document.seq).toBe(9);
      const bad = cisServerMessageSchema.safeParse({ type: 'update', seq: 9, document: { ...document, version: 'x' } });
      expect(bad.success).toBe(false);
    });

    it('validates the medal table and a schedule unit with its live status', () => {
      const table = { seq: 1, rows: [{ rank: 1, noc: 'USA', gold: 1, silver: 0, bronze: 0, total: 1 }], totals: { gold: 1, silver: 0, bronze: 0, total: 1 }, events: 1 };
      expect(cisServerMessageSchema.safeParse({ type: 'medals', table }).success).toBe(true);
      expect(cisServerMessageSchema.safeParse({ type: 'medals', table: { ...table, rows: [{ ...table.rows[0], rank: 0 }] } }).success).toBe(false);
      const unit = { ...scheduleUnitUpdated.example, scheduleSeq: 4, results: { resultStatus: 'LIVE', version: 2, seq: 7 }, live: true };
      expect(cisServerMessageSchema.safeParse({ type: 'schedule', unit }).success).toBe(true);
      expect(cisServerMessageSchema.safeParse({ type: 'schedule', unit: { ...unit, live: 'yes' } }).success).toBe(false);
    });

    it('validates the control messages and refuses an unknown type', () => {
      expect(cisServerMessageSchema.safeParse({ type: 'welcome', protocol: 1, seq: 0, replayFrom: 0 }).success).toBe(true);
      expect(cisServerMessageSchema.safeParse({ type: 'subscribed', topic: 'medals' }).success).toBe(true);
      expect(cisServerMessageSchema.safeParse({ type: 'error', code: 'bad-request', message: 'invalid command', errors: [{ field: 'action', message: 'x' }] }).success).toBe(true);
      expect(cisServerMessageSchema.safeParse({ type: 'pong', seq: -1 }).success).toBe(false);
      expect(cisServerMessageSchema.safeParse({ type: 'hello' }).success).toBe(false);
    });
  });
});
