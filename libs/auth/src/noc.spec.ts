import { AuthProblemException } from './auth.problems';
import { assertCanActForNoc, canActForNoc, nocScope } from './noc';
import type { Principal } from './principal';

const official: Principal = { sub: 'n1', roles: ['noc-official'], noc: 'JPN', scopes: [] };
const ocAdmin: Principal = { sub: 'o1', roles: ['oc-admin'], scopes: [] };
const stranger: Principal = { sub: 's1', roles: ['if-official'], scopes: [] };

describe('NOC scoping', () => {
  it('lets a NOC official act for its own NOC only (case-insensitive)', () => {
    expect(canActForNoc(official, 'JPN')).toBe(true);
    expect(canActForNoc(official, 'jpn')).toBe(true);
    expect(canActForNoc(official, 'FRA')).toBe(false);
  });

  it('lets organising-committee roles act for every NOC, with a configurable role list', () => {
    expect(canActForNoc(ocAdmin, 'FRA')).toBe(true);
    expect(canActForNoc(stranger, 'FRA')).toBe(false);
    expect(canActForNoc(stranger, 'FRA', ['if-official'])).toBe(true);
  });

  it('gives the list scope for queries', () => {
    expect(nocScope(ocAdmin)).toEqual({ kind: 'all' });
    expect(nocScope(official)).toEqual({ kind: 'noc', noc: 'JPN' });
    expect(nocScope(stranger)).toEqual({ kind: 'none' });
  });

  it('throws a 403 problem when acting for another NOC', () => {
    expect(() => assertCanActForNoc(official, 'JPN')).not.toThrow();
    let thrown: unknown;
    try {
      assertCanActForNoc(official, 'fra');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthProblemException);
    expect((thrown as AuthProblemException).getStatus()).toBe(403);
    expect((thrown as AuthProblemException).problem).toEqual({
      type: 'https://podium.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: "Not allowed to act for NOC 'FRA'",
    });
  });
});
