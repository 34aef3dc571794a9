import { entry, EVENT } from '../test-support/messages';
import { EntryStore } from './entry-store';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('EntryStore', () => {
  it('keeps the latest version per entry id: a lower version is stale, the same one a duplicate', () => {
    const store = new EntryStore();
    expect(store.apply(entry(ID(1), 'JPN', 'SANI', { version: 2 }), 10)).toBe('applied');
    expect(store.apply(entry(ID(1), 'JPN', 'OLD', { version: 1 }), 11)).toBe('stale');
    expect(store.apply(entry(ID(1), 'JPN', 'SAME', { version: 2 }), 12)).toBe('duplicate');
    expect(store.get(ID(1))).toMatchObject({
      seq: 10,
      entry: { version: 2, members: [{ familyName: 'SANI' }] },
    });
    expect(store.apply(entry(ID(1), 'JPN', 'NEW', { version: 3 }), 13)).toBe('applied');
    expect(store.forEvent(EVENT).map((e) => e.members[0]?.familyName)).toEqual(['NEW']);
  });

  it('leaves withdrawn entries out of the list, and an older version cannot bring them back', () => {
    const store = new EntryStore();
    store.apply(entry(ID(1), 'JPN', 'SANI'), 1);
    store.apply(entry(ID(2), 'USA', 'LYLES'), 2);
    store.apply(entry(ID(1), 'JPN', 'SANI', { version: 2, status: 'WITHDRAWN' }), 3);
    expect(store.forEvent(EVENT).map((e) => e.id)).toEqual([ID(2)]);
    expect(store.apply(entry(ID(1), 'JPN', 'SANI', { version: 1 }), 4)).toBe('stale');
    expect(store.forEvent(EVENT).map((e) => e.id)).toEqual([ID(2)]);
    expect(store.size).toBe(2);
  });

  it('sorts by NOC, then family and given name of the first starter, then id; lists one event only', () => {
    const store = new EntryStore();
    const team = entry(ID(5), 'FRA', 'ZZZ', {
      kind: 'TEAM',
      members: [
        { ...entry(ID(9), 'FRA', 'ALTERNATE').members[0]!, role: 'ALTERNATE' },
        { ...entry(ID(8), 'FRA', 'BERNARD').members[0]!, role: 'STARTER' },
      ],
    });
    store.apply(entry(ID(1), 'USA', 'LYLES'), 1);
    store.apply(entry(ID(2), 'JAM', 'THOMPSON'), 2);
    store.apply(entry(ID(3), 'USA', 'KERLEY'), 3);
    store.apply(team, 4);
    store.apply(entry(ID(4), 'FRA', 'ÉLIE'), 5);
    store.apply(entry(ID(11), 'FRA', 'FOURNIER'), 9);
    store.apply(
      entry(ID(7), 'USA', 'KERLEY', {
        members: [{ ...entry(ID(7), 'USA', 'KERLEY').members[0]!, givenName: 'B' }],
      }),
      6,
    );
    store.apply(entry(ID(6), 'USA', 'KERLEY'), 7);
    store.apply(entry(ID(10), 'GBR', 'HUGHES', { event: 'ATHM200M--------------------------' }), 8);
    expect(
      store
        .forEvent(EVENT)
        .map((e) => `${e.noc} ${e.members.find((m) => m.role === 'STARTER')?.familyName} ${e.id.slice(-2)}`),
    ).toEqual([
      'FRA BERNARD 05',
      'FRA ÉLIE 04',
      'FRA FOURNIER 11',
      'JAM THOMPSON 02',
      'USA KERLEY 03',
      'USA KERLEY 06',
      'USA KERLEY 07',
      'USA LYLES 01',
    ]);
    expect(store.forEvent('ATHM200M--------------------------')).toHaveLength(1);
    expect(store.forEvent('SWMW100MFR------------------------')).toEqual([]);
  });

  it("changes an event's revision when its list may have changed, and only then", () => {
    const store = new EntryStore();
    const OTHER = 'ATHM200M--------------------------';
    const unknown = store.revision(EVENT);
    store.apply(entry(ID(1), 'JPN', 'SANI'), 1);
    const afterEntry = store.revision(EVENT);
    expect(afterEntry).not.toBe(unknown);
    // Stale and duplicate versions change nothing; another event's entry leaves this list alone.
    store.apply(entry(ID(1), 'JPN', 'OLD', { version: 0 }), 2);
    store.apply(entry(ID(1), 'JPN', 'SANI'), 3);
    store.apply(entry(ID(2), 'GBR', 'HUGHES', { event: OTHER }), 4);
    expect(store.revision(EVENT)).toBe(afterEntry);
    // A withdrawal changes the list; an entry moving to another event changes both lists.
    store.apply(entry(ID(1), 'JPN', 'SANI', { version: 2, status: 'WITHDRAWN' }), 5);
    const afterWithdrawal = store.revision(EVENT);
    expect(afterWithdrawal).not.toBe(afterEntry);
    const other = store.revision(OTHER);
    store.apply(entry(ID(1), 'JPN', 'SANI', { version: 3, event: OTHER }), 6);
    expect(store.revision(EVENT)).not.toBe(afterWithdrawal);
    expect(store.revision(OTHER)).not.toBe(other);
    // After a clear (a restore), no event has a revision it had before, even one without entries any more.
    const before = [store.revision(EVENT), store.revision(OTHER), store.revision('SWMW100MFR------------------------')];
    store.clear();
    const after = [store.revision(EVENT), store.revision(OTHER), store.revision('SWMW100MFR------------------------')];
    for (const revision of after) expect(before).not.toContain(revision);
  });
});
