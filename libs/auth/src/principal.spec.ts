import { principalFromClaims } from './principal';

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
  ])('rejects %j', (claims, error) => {
    const result = principalFromClaims(claims);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});
