import { canActAtVenue, principalFromClaims } from './principal';

describe('principalFromClaims', () => {
  it('maps roles, noc (uppercased), org and scopes from scope + scp', () => {
    const result = principalFromClaims({ sub: 'u1', roles: ['noc-official'], noc: 'fra', org: 'CNOSF', scope: 'a b  a', scp: ['c'], extra: 1 });
    expect(result).toEqual({ ok: true, principal: { sub: 'u1', roles: ['noc-official'], noc: 'FRA', org: 'CNOSF', scopes: ['a', 'b', 'c'] } });
  });

  it('defaults roles and scopes to empty lists and omits absent optional claims', () => {
    expect(principalFromClaims({ sub: 'u2' })).toEqual({ ok: true, principal: { sub: 'u2', roles: [], scopes: [] } });
  });

  it.each([
    [{ roles: [] }, /sub/],
    [{ sub: '' }, /sub/],
    [{ sub: 'u', roles: 'oc-admin' }, /roles/],
    [{ sub: 'u', roles: [''] }, /roles\.0/],
    [{ sub: 'u', noc: 'FR' }, /noc: must be a 3-letter IOC code/],
    [{ sub: 'u', noc: 'FR1' }, /noc/],
    [{ sub: 'u', scope: 42 }, /scope/],
    [{ sub: 'u', venues: 'STA' }, /venues/],
    [{ sub: 'u', venues: [''] }, /venues\.0/],
    [{ sub: 'u', venues: ['STA;DROP'] }, /venues\.0: must be a venue code/],
    [{ sub: 'u', venues: ['A'.repeat(17)] }, /venues\.0/],
  ])('rejects %j', (claims, error) => {
    const result = principalFromClaims(claims);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

describe('the venues claim', () => {
  it('is absent from the principal when the token has none (every venue)', () => {
    const result = principalFromClaims({ sub: 'u1', roles: ['workforce-supervisor'] });
    expect(result).toEqual({ ok: true, principal: { sub: 'u1', roles: ['workforce-supervisor'], scopes: [] } });
    if (result.ok) {
      expect('venues' in result.principal).toBe(false);
      expect(canActAtVenue(result.principal, 'STA')).toBe(true);
    }
  });

  it('uppercases, trims and deduplicates the venue codes', () => {
    const result = principalFromClaims({ sub: 'u1', venues: ['sta', ' AQC ', 'STA'] });
    expect(result).toEqual({ ok: true, principal: { sub: 'u1', roles: [], scopes: [], venues: ['STA', 'AQC'] } });
  });

  it('limits canActAtVenue to the listed venues (case-insensitive); an empty list allows none', () => {
    const limited = principalFromClaims({ sub: 'u1', venues: ['STA'] });
    const none = principalFromClaims({ sub: 'u1', venues: [] });
    if (!limited.ok || !none.ok) throw new Error('expected valid claims');
    expect(canActAtVenue(limited.principal, 'STA')).toBe(true);
    expect(canActAtVenue(limited.principal, 'sta')).toBe(true);
    expect(canActAtVenue(limited.principal, 'AQC')).toBe(false);
    expect(canActAtVenue(none.principal, 'STA')).toBe(false);
  });
});
