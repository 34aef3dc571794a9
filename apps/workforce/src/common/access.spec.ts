import type { Principal } from '@podium/auth';

import { seesPersonalData, seesVenue, staleVersion } from './access';

const principal = (roles: string[], venues?: string[]): Principal => ({ sub: 'u', roles, scopes: [], ...(venues ? { venues } : {}) });

describe('workforce access', () => {
  it('lets a token without a venues claim see every venue, a limited one only its own', () => {
    expect(seesVenue(principal(['workforce-supervisor']), 'AQC')).toBe(true);
    expect(seesVenue(principal(['workforce-supervisor'], ['STA']), 'STA')).toBe(true);
    expect(seesVenue(principal(['workforce-supervisor'], ['STA']), 'AQC')).toBe(false);
    expect(seesVenue(principal(['workforce-checkin'], []), 'STA')).toBe(false);
  });

  it('shows the personal data to managers and oc-admin only', () => {
    expect(seesPersonalData(principal(['workforce-manager']))).toBe(true);
    expect(seesPersonalData(principal(['oc-admin']))).toBe(true);
    expect(seesPersonalData(principal(['workforce-supervisor']))).toBe(false);
    expect(seesPersonalData(principal(['workforce-checkin']))).toBe(false);
  });

  it('says the current version in a stale-version problem', () => {
    const problem = staleVersion('member', 'm1', 1, 3);
    expect(problem.getStatus()).toBe(409);
    expect(problem.getResponse()).toMatchObject({ type: 'https://podium.dev/problems/stale-version', currentVersion: 3 });
  });
});
