import { z } from 'zod';

const seq = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const at = z.iso.datetime({ offset: true });
const jti = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a credential id');
const card = z.string().regex(/^[A-Z0-9-]{1,32}$/, 'must be a card number');

/**
 * One entry of the revocation list, in the order the service made them (`seq`, from 1, one more per entry):
 * - `credential-revoked` (`jti`; `card` for information): one credential is revoked, or superseded by a new one of
 *   the same card (every change of a card issues a new credential and revokes the old one). Final.
 * - `card-suspended` (`card`): every credential of the card is refused (`suspended`) until `card-reinstated`.
 * - `card-reinstated` (`card`): lifts a suspension; has no effect on a revoked card or credential.
 * - `card-revoked` (`card`): every credential of the card, past and future, is refused (`revoked`). Final.
 *
 * Fields that a later version of the service adds are dropped (a scanner in the field keeps working); a kind it does
 * not know is refused (it cannot be ignored safely).
 */
export const revocationEntrySchema = z.discriminatedUnion('kind', [
  z.object({ seq, at, kind: z.literal('credential-revoked'), jti, card: card.optional() }),
  z.object({ seq, at, kind: z.literal('card-suspended'), card }),
  z.object({ seq, at, kind: z.literal('card-reinstated'), card }),
  z.object({ seq, at, kind: z.literal('card-revoked'), card }),
]);

/** One entry of the revocation list (see {@link revocationEntrySchema}). */
export type RevocationEntry = z.infer<typeof revocationEntrySchema>;

/** The kinds of revocation entries. */
export type RevocationKind = RevocationEntry['kind'];

/**
 * A page of the revocation list, as `GET /v1/revocations?after=<seq>` answers it: the entries after `<seq>` in `seq`
 * order, and `lastSeq`, the `after` of the next request (the highest seq the page covers, at least every item's).
 * `after=0` answers the whole list as it is now (a snapshot: the service may have left out entries that no longer
 * change a decision, so its seqs may have gaps).
 */
export const revocationPageSchema = z
  .object({ items: z.array(revocationEntrySchema), lastSeq: z.int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .refine((page) => page.items.every((item) => item.seq <= page.lastSeq), { message: 'every item seq must be at most lastSeq', path: ['lastSeq'] });

/** A page of the revocation list (see {@link revocationPageSchema}). */
export type RevocationPage = z.infer<typeof revocationPageSchema>;

/** What the revocation list says of a credential: `active` (nothing against it), `revoked` or `suspended`. */
export type CredentialStatus = 'active' | 'revoked' | 'suspended';

/**
 * Entries are missing between what a {@link RevocationState} holds and what it was given (a missed NATS message, or
 * a list the service compacted). Fetch the whole list again (`after=0`) and apply it as a snapshot.
 */
export class RevocationGapError extends Error {
  override readonly name = 'RevocationGapError';
  constructor(
    /** The seq the state expected next. */
    readonly expected: number,
    /** The seq it was given instead. */
    readonly received: number,
  ) {
    super(`revocation list gap: expected seq ${expected}, got ${received}; fetch the whole list (after=0) as a snapshot`);
  }
}

/**
 * The revocation list as a verifier holds it: applied in `seq` order, at most once, never over a gap.
 * Not persisted: a scanner that restarts builds it again from a snapshot (or from its own saved pages).
 */
export class RevocationState {
  private revokedCredentials = new Set<string>();
  private cards = new Map<string, 'suspended' | 'revoked'>();
  private last = 0;

  /** The seq of the last entry applied (0: none): the `after` of the next `GET /v1/revocations`. */
  get lastSeq(): number {
    return this.last;
  }

  /**
   * Applies entries, each validated first (a TypeError names the first that is not valid, and nothing is applied).
   * They are applied in seq order whatever the order given; those at or below {@link lastSeq} are skipped (applying
   * the same entries twice changes nothing). The others must follow on from lastSeq without a gap, or a
   * {@link RevocationGapError} is thrown and nothing is applied. Returns how many entries were applied.
   */
  apply(entries: readonly RevocationEntry[]): number {
    const sorted = this.parse(entries);
    return this.applyPage({ items: sorted, lastSeq: Math.max(this.last, sorted.at(-1)?.seq ?? 0) });
  }

  /**
   * Applies a page of the revocation list (validated first, see {@link apply}); afterwards lastSeq is the page's.
   * With `snapshot: true` the page is the whole list (`after=0`): the state is replaced by it, gaps allowed, unless
   * it is not newer than what the state holds (then it is ignored: a slow snapshot must not undo newer entries).
   * Without, a page whose `lastSeq` is beyond its last item (entries it does not carry) is a gap too.
   */
  applyPage(page: RevocationPage, options: { snapshot?: boolean } = {}): number {
    const parsed = revocationPageSchema.safeParse(page);
    if (!parsed.success) throw new TypeError(`invalid revocation page: ${z.prettifyError(parsed.error)}`);
    const items = [...parsed.data.items].sort((a, b) => a.seq - b.seq);
    const lastSeq = parsed.data.lastSeq;
    if (options.snapshot) {
      if (lastSeq <= this.last) return 0;
      this.revokedCredentials = new Set();
      this.cards = new Map();
      for (const entry of items) this.applyOne(entry);
      this.last = lastSeq;
      return items.length;
    }
    let expected = this.last + 1;
    const fresh: RevocationEntry[] = [];
    for (const entry of items) {
      if (entry.seq < expected) continue; // applied already (or a repeat within the page)
      if (entry.seq !== expected) throw new RevocationGapError(expected, entry.seq);
      fresh.push(entry);
      expected++;
    }
    if (lastSeq >= expected) throw new RevocationGapError(expected, lastSeq);
    for (const entry of fresh) this.applyOne(entry);
    this.last = Math.max(this.last, lastSeq);
    return fresh.length;
  }

  /**
   * What the list says of credential `jti` of card `card`: `revoked` when the credential or the card is revoked,
   * else `suspended` when the card is suspended, else `active`.
   */
  statusOf(jti: string, card: string): CredentialStatus {
    const cardStatus = this.cards.get(card);
    if (cardStatus === 'revoked' || this.revokedCredentials.has(jti)) return 'revoked';
    return cardStatus === 'suspended' ? 'suspended' : 'active';
  }

  private parse(entries: readonly RevocationEntry[]): RevocationEntry[] {
    const parsed = z.array(revocationEntrySchema).safeParse(entries);
    if (!parsed.success) throw new TypeError(`invalid revocation entries: ${z.prettifyError(parsed.error)}`);
    return parsed.data.sort((a, b) => a.seq - b.seq);
  }

  private applyOne(entry: RevocationEntry): void {
    switch (entry.kind) {
      case 'credential-revoked':
        this.revokedCredentials.add(entry.jti);
        break;
      case 'card-suspended':
        if (this.cards.get(entry.card) !== 'revoked') this.cards.set(entry.card, 'suspended');
        break;
      case 'card-reinstated':
        if (this.cards.get(entry.card) === 'suspended') this.cards.delete(entry.card);
        break;
      case 'card-revoked':
        this.cards.set(entry.card, 'revoked');
        break;
    }
  }
}
