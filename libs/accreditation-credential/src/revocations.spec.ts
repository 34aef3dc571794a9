import { seededRandom } from '@podium/random';

import { type RevocationEntry, RevocationGapError, RevocationState, revocationEntrySchema, revocationPageSchema } from './revocations';

const at = '2024-07-30T09:00:00Z';
const revoked = (seq: number, jti: string): RevocationEntry => ({ seq, at, kind: 'credential-revoked', jti });
const card = (seq: number, kind: 'card-suspended' | 'card-reinstated' | 'card-revoked', number: string): RevocationEntry => ({ seq, at, kind, card: number });

describe('revocation entry and page schemas', () => {
  it('accept each kind with what it names', () => {
    for (const entry of [revoked(1, 'c-1'), { ...revoked(2, 'c-2'), card: 'OG24-1' }, card(3, 'card-suspended', 'OG24-1'), card(4, 'card-reinstated', 'OG24-1'), card(5, 'card-revoked', 'OG24-1')]) {
      expect(revocationEntrySchema.parse(entry)).toEqual(entry);
    }
  });

  it('drop fields a later service version adds, refuse an unknown kind and entries without what their kind names', () => {
    expect(revocationEntrySchema.parse({ ...revoked(1, 'c-1'), reason: 'lost' })).toEqual(revoked(1, 'c-1'));
    expect(revocationEntrySchema.safeParse({ seq: 1, at, kind: 'card-lost', card: 'OG24-1' }).success).toBe(false);
    expect(revocationEntrySchema.safeParse({ seq: 1, at, kind: 'credential-revoked', card: 'OG24-1' }).success).toBe(false);
    expect(revocationEntrySchema.safeParse({ seq: 1, at, kind: 'card-suspended', jti: 'c-1' }).success).toBe(false);
    expect(revocationEntrySchema.safeParse({ ...revoked(0, 'c-1') }).success).toBe(false);
    expect(revocationEntrySchema.safeParse({ ...revoked(1, 'c-1'), at: 'yesterday' }).success).toBe(false);
  });

  it('a page: lastSeq at least every item seq', () => {
    expect(revocationPageSchema.safeParse({ items: [revoked(1, 'c-1')], lastSeq: 1 }).success).toBe(true);
    expect(revocationPageSchema.safeParse({ items: [], lastSeq: 0 }).success).toBe(true);
    expect(revocationPageSchema.safeParse({ items: [revoked(2, 'c-1')], lastSeq: 1 }).success).toBe(false);
  });
});

describe('RevocationState', () => {
  it('starts empty at lastSeq 0', () => {
    const state = new RevocationState();
    expect(state.lastSeq).toBe(0);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('active');
  });

  it('applies entries in seq order whatever the order given', () => {
    const state = new RevocationState();
    expect(state.apply([card(2, 'card-reinstated', 'OG24-1'), card(1, 'card-suspended', 'OG24-1')])).toBe(2);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('active');
    expect(state.lastSeq).toBe(2);
  });

  it('is idempotent: entries at or below lastSeq are skipped, even when they would change a status', () => {
    const state = new RevocationState();
    state.apply([card(1, 'card-suspended', 'OG24-1'), card(2, 'card-reinstated', 'OG24-1')]);
    expect(state.apply([card(1, 'card-suspended', 'OG24-1'), card(2, 'card-reinstated', 'OG24-1')])).toBe(0);
    expect(state.apply([card(2, 'card-suspended', 'OG24-1'), revoked(3, 'c-9')])).toBe(1);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('active');
    expect(state.statusOf('c-9', 'OG24-2')).toBe('revoked');
    expect(state.lastSeq).toBe(3);
  });

  it('refuses a gap, applying nothing of what it was given', () => {
    const state = new RevocationState();
    state.apply([revoked(1, 'c-1')]);
    let error: unknown;
    try {
      state.apply([revoked(2, 'c-2'), revoked(4, 'c-4')]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RevocationGapError);
    expect(error).toMatchObject({ expected: 3, received: 4 });
    expect(state.lastSeq).toBe(1);
    expect(state.statusOf('c-2', 'OG24-1')).toBe('active');
    expect(() => state.apply([revoked(3, 'c-3')])).toThrow(RevocationGapError);
  });

  it('refuses an incremental page that claims entries it does not carry', () => {
    const state = new RevocationState();
    expect(() => state.applyPage({ items: [revoked(1, 'c-1')], lastSeq: 3 })).toThrow(new RevocationGapError(2, 3));
    expect(() => state.applyPage({ items: [], lastSeq: 1 })).toThrow(new RevocationGapError(1, 1));
    expect(state.lastSeq).toBe(0);
    expect(state.applyPage({ items: [revoked(1, 'c-1')], lastSeq: 1 })).toBe(1);
    expect(state.applyPage({ items: [], lastSeq: 1 })).toBe(0);
    expect(state.lastSeq).toBe(1);
  });

  it('refuses entries that are not valid (nothing applied)', () => {
    const state = new RevocationState();
    const bad = { seq: 2, at, kind: 'card-lost', card: 'OG24-1' } as unknown as RevocationEntry;
    expect(() => state.apply([revoked(1, 'c-1'), bad])).toThrow(TypeError);
    expect(state.lastSeq).toBe(0);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('active');
  });

  it('a snapshot (the list read again, with what the service left out): gaps allowed, in pages, lastSeq the page`s', () => {
    // the service left out 2 (a credential since expired) and 6 (likewise); 9 was the last entry, also left out
    const pages = [
      { items: [revoked(1, 'c-1'), card(3, 'card-suspended', 'OG24-1')], lastSeq: 4 },
      { items: [card(5, 'card-revoked', 'OG24-5'), revoked(7, 'c-7'), card(8, 'card-reinstated', 'OG24-1')], lastSeq: 9 },
    ];
    const state = new RevocationState();
    expect(() => state.applyPage(pages[0]!)).toThrow(RevocationGapError);
    expect(pages.map((page) => state.applyPage(page, { snapshot: true }))).toEqual([2, 3]);
    expect(state.lastSeq).toBe(9);
    expect(state.statusOf('c-1', 'OG24-9')).toBe('revoked');
    expect(state.statusOf('c-2', 'OG24-1')).toBe('active');
    expect(state.statusOf('c-5', 'OG24-5')).toBe('revoked');
    expect(state.statusOf('c-7', 'OG24-7')).toBe('revoked');
    expect(() => state.apply([revoked(11, 'c-11')])).toThrow(new RevocationGapError(10, 11));
    expect(state.apply([revoked(10, 'c-10')])).toBe(1);
  });

  it('a snapshot read after a gap goes on from lastSeq, skipping what the state holds; lastSeq never goes back', () => {
    const state = new RevocationState();
    state.apply([revoked(1, 'c-1'), card(2, 'card-suspended', 'OG24-1')]);
    expect(() => state.apply([revoked(5, 'c-5')])).toThrow(RevocationGapError);
    // after=2 as a snapshot: 3 and 4 were left out; 2 repeated (a page overlapping what the state holds)
    expect(state.applyPage({ items: [card(2, 'card-reinstated', 'OG24-1'), revoked(5, 'c-5')], lastSeq: 5 }, { snapshot: true })).toBe(1);
    expect(state.statusOf('c-9', 'OG24-1')).toBe('suspended');
    expect(state.statusOf('c-5', 'OG24-5')).toBe('revoked');
    expect(state.applyPage({ items: [revoked(1, 'c-1')], lastSeq: 1 }, { snapshot: true })).toBe(0);
    expect(state.lastSeq).toBe(5);
  });

  it('a page with prunedThrough: gaps at or below it are what the service left out, above it a gap is refused', () => {
    const state = new RevocationState();
    state.apply([revoked(1, 'c-1'), card(2, 'card-suspended', 'OG24-1')]);
    // a reader at 2; the service pruned 3, 4 and 6 (prunedThrough 6): the page from after=2 skips them
    expect(state.applyPage({ items: [revoked(5, 'c-5'), revoked(7, 'c-7')], lastSeq: 7, prunedThrough: 6 })).toBe(2);
    expect(state.lastSeq).toBe(7);
    expect(state.prunedThrough).toBe(6);
    expect(state.statusOf('c-7', 'OG24-7')).toBe('revoked');
    // above prunedThrough, a missing seq is a gap: nothing applied
    expect(() => state.applyPage({ items: [revoked(8, 'c-8'), revoked(10, 'c-10')], lastSeq: 10, prunedThrough: 8 })).toThrow(new RevocationGapError(9, 10));
    expect(() => state.applyPage({ items: [revoked(8, 'c-8')], lastSeq: 10, prunedThrough: 9 })).toThrow(new RevocationGapError(9, 10));
    expect(state.lastSeq).toBe(7);
    expect(state.statusOf('c-8', 'OG24-8')).toBe('active');
    // an empty page whose entries were all pruned moves the reader on
    expect(state.applyPage({ items: [], lastSeq: 9, prunedThrough: 9 })).toBe(0);
    expect(state.lastSeq).toBe(9);
    // NATS messages carry no prunedThrough: a gap there is a missed message, whatever the state knows was pruned
    expect(() => state.apply([revoked(11, 'c-11')])).toThrow(new RevocationGapError(10, 11));
    expect(state.apply([revoked(10, 'c-10')])).toBe(1);
  });

  it('a reader that missed entries and pruning meanwhile ends where a fresh reader of the pruned list ends (200 seeded lists)', () => {
    const rnd = seededRandom(5);
    for (let run = 0; run < 200; run++) {
      const entries: RevocationEntry[] = [];
      for (let seq = 1; seq <= 30; seq++) entries.push(rnd() < 0.5 ? revoked(seq, `c-${seq}`) : card(seq, 'card-suspended', `OG24-${seq}`));
      const old = new RevocationState();
      const seen = Math.floor(rnd() * 30);
      old.apply(entries.slice(0, seen));
      // the service prunes a random set of entries (the reader may hold some of them already)
      const pruned = new Set(entries.filter(() => rnd() < 0.3).map((e) => e.seq));
      const served = entries.filter((e) => !pruned.has(e.seq));
      const prunedThrough = Math.max(0, ...pruned);
      const read = (state: RevocationState, limit: number) => {
        for (let guard = 0; guard < 100; guard++) {
          const items = served.filter((e) => e.seq > state.lastSeq).slice(0, limit);
          const lastSeq = items.at(-1)?.seq ?? Math.max(state.lastSeq, 30);
          state.applyPage({ items, lastSeq, prunedThrough });
          if (items.length === 0) return state;
        }
        throw new Error('no end');
      };
      const fresh = read(new RevocationState(), 1 + Math.floor(rnd() * 7));
      read(old, 1 + Math.floor(rnd() * 7));
      expect([run, old.lastSeq, fresh.lastSeq]).toEqual([run, 30, 30]);
      for (const e of served) {
        const jti = e.kind === 'credential-revoked' ? e.jti : 'other';
        expect([run, e.seq, old.statusOf(jti, e.card ?? 'none')]).toEqual([run, e.seq, fresh.statusOf(jti, e.card ?? 'none')]);
      }
    }
  });

  it('statusOf: revoked (credential or card) before suspended; reinstated lifts a suspension only', () => {
    const state = new RevocationState();
    state.apply([card(1, 'card-suspended', 'OG24-1'), revoked(2, 'c-1')]);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('revoked');
    expect(state.statusOf('c-2', 'OG24-1')).toBe('suspended');
    state.apply([card(3, 'card-reinstated', 'OG24-1')]);
    expect(state.statusOf('c-1', 'OG24-1')).toBe('revoked');
    expect(state.statusOf('c-2', 'OG24-1')).toBe('active');
    state.apply([card(4, 'card-revoked', 'OG24-1'), card(5, 'card-reinstated', 'OG24-1'), card(6, 'card-suspended', 'OG24-1')]);
    expect(state.statusOf('c-3', 'OG24-1')).toBe('revoked');
  });

  it('size: the revoked credentials and the suspended or revoked cards it holds', () => {
    const state = new RevocationState();
    expect(state.size).toBe(0);
    state.apply([card(1, 'card-suspended', 'OG24-1'), revoked(2, 'c-1'), revoked(3, 'c-2'), revoked(4, 'c-1')]);
    expect(state.size).toBe(3);
    state.apply([card(5, 'card-reinstated', 'OG24-1')]);
    expect(state.size).toBe(2);
    state.apply([card(6, 'card-revoked', 'OG24-2'), card(7, 'card-suspended', 'OG24-2')]);
    expect(state.size).toBe(3);
  });

  it('property: delivered in shuffled, repeated, overlapping batches, it ends where the list says (200 seeded lists)', () => {
    const rnd = seededRandom(3);
    const kinds = ['card-suspended', 'card-reinstated', 'card-revoked'] as const;
    for (let run = 0; run < 200; run++) {
      const entries: RevocationEntry[] = [];
      for (let seq = 1; seq <= 40; seq++) {
        const number = `OG24-${Math.floor(rnd() * 4)}`;
        entries.push(rnd() < 0.3 ? revoked(seq, `c-${Math.floor(rnd() * 6)}`) : card(seq, kinds[Math.floor(rnd() * 3)]!, number));
      }
      // the model: revoked if the credential or the card ever was; else suspended if the card's last
      // suspension-or-reinstatement is a suspension
      const model = (jti: string, number: string) => {
        if (entries.some((e) => (e.kind === 'credential-revoked' && e.jti === jti) || (e.kind === 'card-revoked' && e.card === number))) return 'revoked';
        const last = entries.filter((e) => (e.kind === 'card-suspended' || e.kind === 'card-reinstated') && e.card === number).at(-1);
        return last?.kind === 'card-suspended' ? 'suspended' : 'active';
      };
      const state = new RevocationState();
      let guard = 0;
      while (state.lastSeq < entries.length && guard++ < 1000) {
        // a batch from somewhere at or before the next seq (repeats), up to 8 entries, shuffled, sometimes twice
        const from = Math.max(0, state.lastSeq - Math.floor(rnd() * 5));
        const batch = entries.slice(from, from + 1 + Math.floor(rnd() * 8));
        const shuffled = [...batch, ...(rnd() < 0.3 ? batch : [])].sort(() => rnd() - 0.5);
        state.apply(shuffled);
      }
      expect(state.lastSeq).toBe(entries.length);
      for (let c = 0; c < 4; c++) {
        for (let j = 0; j < 6; j++) expect([run, state.statusOf(`c-${j}`, `OG24-${c}`)]).toEqual([run, model(`c-${j}`, `OG24-${c}`)]);
      }
    }
  });
});
