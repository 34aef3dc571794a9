import { type BudgetMember, QueuedBytesBudget } from './queued-bytes-budget';

class Member implements BudgetMember {
  closed = false;
  closedWith: { reason: string; immediate: boolean } | null = null;
  constructor(
    readonly name: string,
    public queuedBytes: number,
    public socket: number,
    private readonly budget: QueuedBytesBudget,
  ) {
    budget.add(this);
    budget.queuedChanged(queuedBytes);
  }
  socketBytes(): number {
    return this.socket;
  }
  close(reason: string, immediate: boolean): void {
    this.closed = true;
    this.closedWith = { reason, immediate };
    this.budget.queuedChanged(-this.queuedBytes);
    this.queuedBytes = 0;
  }
}

describe('QueuedBytesBudget', () => {
  it('measures queues and sockets over the connections', () => {
    const budget = new QueuedBytesBudget(10_000);
    new Member('a', 100, 50, budget);
    const b = new Member('b', 200, 0, budget);
    expect(budget.measure()).toBe(350);
    budget.remove(b);
    budget.queuedChanged(-200);
    expect(budget.measure()).toBe(150);
  });

  it('over the limit, disconnects the largest clients, at once, until under 90 % of it', () => {
    const budget = new QueuedBytesBudget(1_000);
    const small = new Member('small', 100, 0, budget);
    const large = new Member('large', 300, 100, budget);
    const medium = new Member('medium', 200, 50, budget);
    expect(budget.enforce()).toBe(750);
    expect(budget.shed).toBe(0);
    // 750 + 310 = 1,060 > 1,000: the largest (400) goes, 660 <= 900 remains.
    const growing = new Member('growing', 260, 50, budget);
    expect(large.closedWith).toEqual({
      reason: "slow consumer: 400 bytes queued, over this instance's budget for all clients (1000)",
      immediate: true,
    });
    expect([small.closed, medium.closed, growing.closed]).toEqual([false, false, false]);
    expect(budget.shed).toBe(1);
    expect(budget.queued).toBe(100 + 200 + 260);
  });

  it('counts the sockets it last measured when a queue grows, and every measure when enforcing', () => {
    const budget = new QueuedBytesBudget(1_000);
    const a = new Member('a', 0, 600, budget);
    const b = new Member('b', 0, 300, budget);
    // Nothing measured yet: a queue growth of 200 alone is under the limit.
    budget.queuedChanged(200);
    expect(a.closed || b.closed).toBe(false);
    budget.queuedChanged(-200);
    // A sweep sees the sockets (900): still under.
    expect(budget.enforce()).toBe(900);
    // Now 200 more queued makes 1,100: the largest (a, 600) goes.
    b.queuedBytes = 200;
    budget.queuedChanged(200);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
  });

  it('counts the connections being closed as freed, and never disconnects them again', () => {
    const budget = new QueuedBytesBudget(1_000);
    const closing = new Member('closing', 0, 700, budget);
    closing.closed = true;
    const open = new Member('open', 0, 200, budget);
    expect(budget.enforce()).toBe(900);
    closing.socket = 950;
    // 1,150 measured, but 950 of it is a connection already going away: 200 <= 900, nobody else is cut.
    expect(budget.enforce()).toBe(1_150);
    expect(open.closed).toBe(false);
    expect(budget.shed).toBe(0);
  });

  it('sweeps on a timer until stopped', () => {
    jest.useFakeTimers();
    try {
      const budget = new QueuedBytesBudget(1_000);
      const member = new Member('m', 0, 0, budget);
      budget.startSweeping(1_000);
      member.socket = 5_000;
      jest.advanceTimersByTime(999);
      expect(member.closed).toBe(false);
      jest.advanceTimersByTime(1);
      expect(member.closed).toBe(true);
      budget.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
