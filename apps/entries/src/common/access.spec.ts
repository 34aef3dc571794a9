import type { Principal } from '@podium/auth';
import { listScope } from './access';

const principal = (roles: string[], noc?: string): Principal => ({ sub: 'someone', roles, scopes: [], ...(noc ? { noc } : {}) });

describe('listScope', () => {
  it('lets the organising committee, IF officials and IOC observers list every NOC, or the one asked for', () => {
    for (const role of ['oc-admin', 'if-official', 'ioc-observer']) {
      expect(listScope(principal([role]))).toEqual({});
      expect(listScope(principal([role]), 'JPN')).toEqual({ noc: 'JPN' });
    }
  });

  it("restricts an NOC official to their NOC, and to nothing when they ask for another's", () => {
    expect(listScope(principal(['noc-official'], 'JPN'))).toEqual({ noc: 'JPN' });
    expect(listScope(principal(['noc-official'], 'JPN'), 'JPN')).toEqual({ noc: 'JPN' });
    expect(listScope(principal(['noc-official'], 'JPN'), 'USA')).toBeNull();
  });

  it('gives nothing to an NOC official without an NOC', () => {
    expect(listScope(principal(['noc-official']))).toBeNull();
    expect(listScope(principal(['noc-official']), 'JPN')).toBeNull();
  });
});
