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
 *
 * The service may leave out of the list (prune) an entry that can no longer change any decision: one whose
 * credentials have all expired, long enough ago to be beyond any verifier's clock tolerance and error (`expired`
 * precedes `revoked` and `suspended`, so the answer is the same): a `credential-revoked` entry once that credential
 * has expired, the entries of a card once the card (every credential of it) has expired. `prunedThrough` (absent: 0)
 * is the highest seq it has ever left out: the page may lack entries at or below it (gaps), never above. A reader
 * whose `after` is below `prunedThrough` reads a snapshot of that part of the list: what is missing there was
 * pruned, not lost. One-entry pages published on NATS carry no `prunedThrough`: a gap there is a missed message.
 */
export const revocationPageSchema = z
  .object({
    items: z.array(revocationEntrySchema),
    lastSeq: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    prunedThrough: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .refine((page) => page.items.every((item) => item.seq <= page.lastSeq), { message: 'every item seq must be at most lastSeq', path: ['lastSeq'] });

/** A page of the revocation list (see {@link revocationPageSchema}). */
export type RevocationPage = z.infer<typeof revocationPageSchema>;

/** What the revocation list says of a credential: `active` (nothing against it), `revoked` or `suspended`. */
export type CredentialStatus = 'active' | 'revoked' | 'suspended';

/**
 * Entries are missing between what a {@link RevocationState} holds and what it was given: a missed NATS message (or
 * a page above its `prunedThrough` that lacks entries). Read the list again from `after=lastSeq` with `applyPage`
 * (its pages say what the service left out), or from `after=0` into a new state.
 */
export class RevocationGapError extends Error {
  override readonly name = 'RevocationGapError';
  constructor(
    /** The seq the state expected next. */
    readonly expected: number,
    /** The seq it was given instead. */
    readonly received: number,
  ) {
    super(`revocation list gap: expected seq ${expected}, got ${received}; read the list again as a snapshot`);
  }
}

/**
 * The revocation list as a verifier holds it: applied in `seq` order, at most once, never over a gap unless told that
 * it reads the list as a snapshot. It only grows (revoked credentials are never forgotten): to shed what the service
 * has left out of its list since, read the list from `after=0` into a new state and swap it in once complete (the
 * checks go on with the old one meanwhile). Not persisted: a scanner that restarts reads the list again.
 */
export class RevocationState {
  private readonly revokedCredentials = new Set<string>();
  private readonly cards = new Map<string, 'suspended' | 'revoked'>();
  private last = 0;
  private pruned = 0;

  /** The seq of the last entry applied (0: none): the `after` of the next `GET /v1/revocations`. */
  get lastSeq(): number {
    return this.last;
  }

  /**
   * Applies entries (NATS messages), each validated first (a TypeError names the first that is not valid, and nothing is applied).
   * They are applied in seq order whatever the order given; those at or below {@link lastSeq} are skipped (applying
   * the same entries twice changes nothing). The others must follow on from lastSeq without a gap, or a
   * {@link RevocationGapError} is thrown and nothing is applied. Returns how many entries were applied.
   */
  apply(entries: readonly RevocationEntry[]): number {
    const parsed = z.array(revocationEntrySchema).safeParse(entries);
    if (!parsed.success) throw new TypeError(`invalid revocation entries: ${z.prettifyError(parsed.error)}`);
    const items = parsed.data.sort((a, b) => a.seq - b.seq);
    return this.applySorted(items, Math.max(this.last, items.at(-1)?.seq ?? 0), 0);
  }

  /**
   * Applies a page of the revocation list (validated first, see {@link apply}); afterwards lastSeq is at least the
   * page's. A gap is refused, and a page whose `lastSeq` is beyond its last item (entries it does not carry) is a
   * gap too, except at or below the page's `prunedThrough`: those seqs the service left out (pruned), so the page
   * is a snapshot of that part of the list (see {@link revocationPageSchema}) and is applied as such, whatever the
   * reader's lastSeq. With `snapshot: true` every gap is allowed (a page of a service version that pruned without
   * saying `prunedThrough`). Entries at or below lastSeq are skipped either way.
   */
  applyPage(page: RevocationPage, options: { snapshot?: boolean } = {}): number {
    const parsed = revocationPageSchema.safeParse(page);
    if (!parsed.success) throw new TypeError(`invalid revocation page: ${z.prettifyError(parsed.error)}`);
    const prunedThrough = parsed.data.prunedThrough ?? 0;
    const applied = this.applySorted(
      parsed.data.items.sort((a, b) => a.seq - b.seq),
      parsed.data.lastSeq,
      options.snapshot === true ? Number.MAX_SAFE_INTEGER : prunedThrough,
    );
    this.pruned = Math.max(this.pruned, prunedThrough);
    return applied;
  }

  /**
   * The highest `prunedThrough` of the pages applied: the service has left entries out of its list up to this seq.
   * A state built before holds entries the service no longer serves (harmless: they concern expired credentials);
   * to shed them, read the list from `after=0` into a new state and swap it in.
   */
  get prunedThrough(): number {
    return this.pruned;
  }

  /**
   * How many revoked credentials and suspended or revoked cards the state holds (what its memory grows with): a
   * state read again from `after=0` holds fewer once the service pruned.
   */
  get size(): number {
    return this.revokedCredentials.size + this.cards.size;
  }

  /**
   * Applies valid entries sorted by seq, with the page's lastSeq (see {@link applyPage}): seqs missing at or below
   * `gapsAllowedThrough` were left out by the service; a missing seq above it is a gap.
   */
  private applySorted(items: readonly RevocationEntry[], lastSeq: number, gapsAllowedThrough: number): number {
    let expected = this.last + 1;
    const fresh: RevocationEntry[] = [];
    for (const entry of items) {
      if (entry.seq < expected) continue; // applied already (or a repeat within the page)
      if (entry.seq !== expected && entry.seq - 1 > gapsAllowedThrough) throw new RevocationGapError(expected, entry.seq);
      fresh.push(entry);
      expected = entry.seq + 1;
    }
    if (lastSeq >= expected && lastSeq > gapsAllowedThrough) throw new RevocationGapError(expected, lastSeq);
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
