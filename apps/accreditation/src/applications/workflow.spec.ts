import { step } from './workflow';

describe('accreditation workflow', () => {
  it('goes submitted -> vetting -> approved -> card-issued -> activated -> suspended -> activated -> revoked', () => {
    expect(step('start-vetting', 'submitted', null)).toEqual({ ok: true, to: 'vetting' });
    expect(step('approve', 'vetting', 'cleared')).toEqual({ ok: true, to: 'approved' });
    expect(step('issue-card', 'approved', 'cleared')).toEqual({ ok: true, to: 'card-issued' });
    expect(step('activate', 'card-issued', 'cleared')).toEqual({ ok: true, to: 'activated' });
    expect(step('suspend', 'activated', 'cleared')).toEqual({ ok: true, to: 'suspended' });
    expect(step('reinstate', 'suspended', 'cleared')).toEqual({ ok: true, to: 'activated' });
    expect(step('revoke', 'activated', 'cleared')).toEqual({ ok: true, to: 'revoked' });
  });

  it('activation at pick-up: once, from card-issued only; a card not picked up may change or be revoked, not suspended', () => {
    for (const from of ['approved', 'activated', 'suspended', 'revoked'] as const) {
      expect(step('activate', from, 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    }
    expect(step('suspend', 'card-issued', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    expect(step('revoke', 'card-issued', 'cleared')).toEqual({ ok: true, to: 'revoked' });
    for (const from of ['card-issued', 'activated', 'suspended'] as const) {
      expect(step('upgrade', from, 'cleared')).toEqual({ ok: true, to: from });
      expect(step('reissue', from, 'cleared')).toEqual({ ok: true, to: from });
      expect(step('withdraw-upgrade', from, 'cleared')).toEqual({ ok: true, to: from });
    }
    for (const from of ['approved', 'revoked', 'rejected'] as const) {
      expect(step('upgrade', from, 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
      expect(step('withdraw-upgrade', from, 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    }
  });

  it('refuses a card before the vetting cleared, whatever the state, with its reason code', () => {
    for (const state of ['submitted', 'vetting', 'approved'] as const) {
      for (const vetting of [null, 'not-cleared'] as const) {
        expect(step('issue-card', state, vetting)).toMatchObject({ ok: false, slug: 'vetting-not-cleared' });
      }
    }
    expect(step('approve', 'vetting', 'not-cleared')).toMatchObject({ ok: false, slug: 'vetting-not-cleared' });
    expect(step('approve', 'vetting', null)).toMatchObject({ ok: false, slug: 'vetting-not-cleared' });
    expect(step('issue-card', 'vetting', 'cleared')).toMatchObject({ ok: false, slug: 'not-approved' });
  });

  it('refuses moves out of order', () => {
    expect(step('approve', 'submitted', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    expect(step('revoke', 'revoked', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    expect(step('reinstate', 'activated', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    expect(step('reject', 'card-issued', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
    expect(step('record-vetting', 'approved', 'cleared')).toMatchObject({ ok: false, slug: 'invalid-transition' });
  });
});
