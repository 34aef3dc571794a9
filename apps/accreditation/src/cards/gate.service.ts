import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { checkCredential, claimedCardNumber, DEFAULT_CLOCK_TOLERANCE_SECONDS, type GateDecision, type JwkSet, RevocationState, VerifiedCredentials } from '@podium/accreditation-credential';
import type { Principal } from '@podium/auth';
import { CONFIG, MetricsService, PgPool, ProblemException } from '@podium/platform';

import type { AccreditationConfig } from '../app/config';
import { Batch, BatchWriter, SharedRead } from './batching';
import { SERVICE_KEYS, type ServiceKeys } from './credential-keys';
import { REVOCATION_PAGE_MAX, RevocationsRepository } from './revocations.repository';

/** A recorded online check (a row of gate_check). */
interface GateRecord {
  at: Date;
  venue: string;
  zone: string;
  gate: string;
  decision: string;
  reason: string;
  cardNumber: string | null;
  /** The credential's jti, when its signature verified (as the card number). */
  credentialId: string | null;
  mode: 'online';
  checkedBy: string;
}

export interface GateCheckInput {
  credential: string;
  venue: string;
  zone: string;
  gate: string;
  at?: string;
}

/**
 * Online gate checks: the library's verifyCredential with the service's own keys and its revocation list, brought
 * up to date from the database before each check (the same decision a scanner gives offline with a fresh list).
 * Every check is recorded, with the card number and the credential's id (jti) when its signature verified. An `at` the list cannot answer for is refused (400 at-out-of-range): before the pruning
 * horizon (a revoked credential left out of the list since would look valid), or further in the future than a
 * clock's error.
 * A credential whose signature verified is kept (ACCREDITATION_GATE_VERIFIED_CACHE_BYTES): scanned again, it costs no
 * second Ed25519 verification; the decision is the same (VerifiedCredentials). A credential not kept there that is,
 * byte for byte, its card's current credential (read from the card table, which holds what this service signed at
 * activation, reissue or upgrade) is not verified with Ed25519 either: the library's `issued` option; the format,
 * the kid's key, the claims, time, list, venue and zone are still decided, so the decision is a scanner's.
 * Concurrent checks share their round trips (batching.ts): one read of the list serves every check that arrived
 * before it started, and their records are inserted together; each check still answers after a read that started
 * after it arrived, and after its record is committed.
 */
@Injectable()
export class GateService {
  private readonly logger = new Logger(GateService.name);
  private revocations = new RevocationState();
  /**
   * The `prunedThrough` of the list when the state in use was read from its start: entries the service pruned
   * beyond it are still held, until a state read again from the start (`rebuilt`) replaces it.
   */
  private shedThrough = 0;
  /** A state read again from the start of the list in the background, swapped in by the next refresh. */
  private rebuilt: { state: RevocationState; shedThrough: number } | undefined;
  private rebuilding = false;
  private readonly freshList = new SharedRead(() => this.refresh());
  // One INSERT of every queued record, a named statement of the plain pool (Prisma's per-query CPU was a third of a check's).
  private readonly records = new BatchWriter<GateRecord>(async (rows) => {
    const column = <K extends keyof GateRecord>(key: K): GateRecord[K][] => rows.map((r) => r[key]);
    await this.pg.pool.query({
      name: 'accreditation-gate-check-insert',
      text: `INSERT INTO gate_check (at, venue, zone, gate, decision, reason, card_number, credential_id, mode, checked_by)
             SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
      values: [
        column('at'),
        column('venue'),
        column('zone'),
        column('gate'),
        column('decision'),
        column('reason'),
        column('cardNumber'),
        column('credentialId'),
        column('mode'),
        column('checkedBy'),
      ],
    });
  });
  // The current credential of the cards concurrent checks claim, in one query (a named statement of the plain pool).
  private readonly currentCredentials = new Batch<string, string | null>(async (cardNumbers) => {
    const { rows } = await this.pg.pool.query<{ card_number: string; credential: string | null }>({
      name: 'accreditation-gate-current-credentials',
      text: 'SELECT card_number, credential FROM card WHERE card_number = ANY($1::text[])',
      values: [[...new Set(cardNumbers)]],
    });
    const byNumber = new Map(rows.map((r) => [r.card_number, r.credential]));
    return cardNumbers.map((n) => byNumber.get(n) ?? null);
  });
  /** Entries of credentials expired before this instant (epoch ms) may be missing from the list; null: none is. */
  private prunedBefore: number | null = null;
  /** Credentials whose signature verified: a card scanned again costs no second Ed25519 verification. */
  readonly verified: VerifiedCredentials;
  /** Checks of a card's current credential that were not verified with Ed25519 (ACCREDITATION_GATE_TRUST_ISSUED). */
  private readonly issuedChecks: Counter;

  constructor(
    private readonly list: RevocationsRepository,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeys,
    @Inject(CONFIG) private readonly config: AccreditationConfig,
    private readonly pg: PgPool,
    metrics: MetricsService,
  ) {
    const verified = new VerifiedCredentials({ maxBytes: config.ACCREDITATION_GATE_VERIFIED_CACHE_BYTES });
    this.verified = verified;
    const counted = { hits: 0, misses: 0 };
    metrics.counter({
      name: 'accreditation_gate_verified_lookups_total',
      help: 'Gate checks by whether the credential was found among those already verified (hit: no Ed25519 verification).',
      labelNames: ['outcome'],
      collect() {
        const { hits, misses } = verified.stats;
        this.inc({ outcome: 'hit' }, hits - counted.hits);
        this.inc({ outcome: 'miss' }, misses - counted.misses);
        Object.assign(counted, { hits, misses });
      },
    });
    this.issuedChecks = metrics.counter({
      name: 'accreditation_gate_issued_credentials_total',
      help: "Gate checks of a card's current credential, as the service signed it, not found among those verified: no Ed25519 verification (ACCREDITATION_GATE_TRUST_ISSUED).",
    });
    metrics.gauge({
      name: 'accreditation_gate_verified_bytes',
      help: 'Estimated memory held by the credentials already verified (ACCREDITATION_GATE_VERIFIED_CACHE_BYTES bounds it).',
      collect() {
        this.set(verified.bytes);
      },
    });
  }

  /** The JWK Set of GET /v1/keys. */
  jwkSet(): JwkSet {
    return this.keys.jwkSet;
  }

  /** How many revoked credentials and suspended or revoked cards the online check's list holds now. */
  get revocationEntries(): number {
    return this.revocations.size;
  }

  /**
   * Applies the entries committed since the last check (bounded: at most 1,000 pages of 1,000), and the horizon.
   * Once the service pruned beyond what the state in use was read after, the list is read again from its start in the
   * background (checks go on meanwhile); the next refresh brings that state up to date and swaps it in, shedding what
   * was pruned.
   */
  private async refresh(): Promise<void> {
    const rebuilt = this.rebuilt;
    if (rebuilt !== undefined) {
      this.rebuilt = undefined;
      // the entries committed since it was read; a swap only once it has read to the end
      const { complete } = await this.readInto(rebuilt.state);
      if (complete) {
        this.revocations = rebuilt.state;
        this.shedThrough = rebuilt.shedThrough;
      } else {
        this.rebuilt = rebuilt;
      }
    }
    const read = await this.readInto(this.revocations);
    this.prunedBefore = read.prunedBefore;
    if (read.fromStart !== undefined) this.shedThrough = read.fromStart;
    if (this.revocations.prunedThrough > this.shedThrough && !this.rebuilding && this.rebuilt === undefined) this.rebuild();
  }

  /** Reads the list again from its start into a new state, in the background: the next refresh swaps it in. */
  private rebuild(): void {
    this.rebuilding = true;
    const state = new RevocationState();
    const run = async () => {
      let shedThrough: number | undefined;
      for (let reads = 0; reads < 1_000; reads++) {
        const read = await this.readInto(state);
        shedThrough ??= read.fromStart;
        if (read.complete) return { state, shedThrough: shedThrough ?? 0 };
      }
      throw new Error('the revocation list does not end');
    };
    run()
      .then((ready) => {
        this.rebuilt = ready;
      })
      .catch((error: unknown) => this.logger.warn(`re-reading the pruned revocation list failed, tried again at the next check: ${(error as Error).message}`))
      .finally(() => {
        this.rebuilding = false;
      });
  }

  /**
   * Applies to `state` the entries after its lastSeq, at most 1,000 pages of 1,000. `complete`: it read to the end;
   * `fromStart`: when the state was empty, the prunedThrough of its first page (what it never held); `prunedBefore`:
   * the horizon read last.
   */
  private async readInto(state: RevocationState): Promise<{ complete: boolean; fromStart: number | undefined; prunedBefore: number | null }> {
    const fromStart = state.lastSeq === 0;
    let first: number | undefined;
    let prunedBefore: number | null = null;
    for (let pages = 0; pages < 1_000; pages++) {
      const read = await this.list.read(state.lastSeq, REVOCATION_PAGE_MAX);
      prunedBefore = read.prunedBefore;
      first ??= read.page.prunedThrough ?? 0;
      // a page may lack entries at or below its prunedThrough (pruned): applied as a snapshot of that part
      state.applyPage(read.page);
      if (read.page.items.length < REVOCATION_PAGE_MAX) return { complete: true, fromStart: fromStart ? first : undefined, prunedBefore };
    }
    return { complete: false, fromStart: fromStart ? first : undefined, prunedBefore };
  }

  /** The instant of a check: `at`, within what the revocation list can answer for (else 400 at-out-of-range). */
  private instantOf(at: string | undefined, now: number): Date {
    if (at === undefined) return new Date(now);
    const instant = new Date(at);
    const latest = now + this.config.ACCREDITATION_GATE_MAX_FUTURE_SECONDS * 1000;
    // a credential pruned from the list expired before prunedBefore: at `earliest` and after, it is `expired` anyway
    const earliest = this.prunedBefore === null ? null : this.prunedBefore + (DEFAULT_CLOCK_TOLERANCE_SECONDS + 1) * 1000;
    if (instant.getTime() > latest || (earliest !== null && instant.getTime() < earliest)) {
      throw new ProblemException({
        status: 400,
        slug: 'at-out-of-range',
        title: 'at out of range',
        detail:
          instant.getTime() > latest
            ? `at is more than ${this.config.ACCREDITATION_GATE_MAX_FUTURE_SECONDS} s in the future`
            : `at is before the revocation list's horizon ${new Date(earliest ?? 0).toISOString()}: entries of credentials expired before it have been pruned`,
        errors: [{ field: 'body.at', message: 'out of range' }],
        extensions: { earliest: earliest === null ? null : new Date(earliest).toISOString(), latest: new Date(latest).toISOString() },
      });
    }
    return instant;
  }

  /**
   * The card's current credential, as this service signed and stored it, when the credential is not among those
   * already verified and claims a card: read with the revocation list, in the same wait. Null: nothing to compare.
   */
  private async currentCredentialFor(credential: string): Promise<string | null> {
    if (!this.config.ACCREDITATION_GATE_TRUST_ISSUED || this.verified.has(credential)) return null;
    const card = claimedCardNumber(credential);
    return card === undefined ? null : this.currentCredentials.submit(card);
  }

  async check(input: GateCheckInput, principal: Principal): Promise<GateDecision> {
    const [, current] = await Promise.all([this.freshList.fresh(), this.currentCredentialFor(input.credential)]);
    const at = this.instantOf(input.at, Date.now());
    const { decision, credentialId } = checkCredential(input.credential, {
      keys: this.keys.verificationKeys,
      revocations: this.revocations,
      venue: input.venue,
      zone: input.zone,
      at,
      verified: this.verified,
      // byte for byte the card's current credential, which this service signed: no second Ed25519 verification
      issued: (presented) => {
        const own = current !== null && presented === current;
        if (own) this.issuedChecks.inc();
        return own;
      },
    });
    await this.records.write({
      at,
      venue: input.venue,
      zone: input.zone,
      gate: input.gate,
      decision: decision.decision,
      reason: decision.reason,
      cardNumber: decision.cardNumber ?? null,
      credentialId,
      mode: 'online',
      checkedBy: principal.sub,
    });
    return decision;
  }
}
