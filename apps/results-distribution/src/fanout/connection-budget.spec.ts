import { ConnectionBudget } from './connection-budget';

describe('ConnectionBudget', () => {
  it('refuses past MAX_CONNECTIONS, then past MAX_CONNECTIONS_PER_ADDRESS for one address', () => {
    const budget = new ConnectionBudget({ MAX_CONNECTIONS: 3, MAX_CONNECTIONS_PER_ADDRESS: 2 });
    expect(budget.acquire('a')).toBeNull();
    expect(budget.acquire('a')).toBeNull();
    expect(budget.acquire('a')).toBe('address');
    expect(budget.acquire('b')).toBeNull();
    expect(budget.acquire('c')).toBe('full');
    expect(budget.inUse).toBe(3);
    budget.release('a');
    expect(budget.inUseBy('a')).toBe(1);
    expect(budget.acquire('a')).toBeNull();
    budget.release('a');
    budget.release('a');
    expect(budget.inUseBy('a')).toBe(0);
    expect(budget.inUse).toBe(1);
  });

  it('has no per-address cap at 0', () => {
    const budget = new ConnectionBudget({ MAX_CONNECTIONS: 100, MAX_CONNECTIONS_PER_ADDRESS: 0 });
    for (let i = 0; i < 100; i++) expect(budget.acquire('127.0.0.1')).toBeNull();
    expect(budget.acquire('127.0.0.1')).toBe('full');
  });
});
