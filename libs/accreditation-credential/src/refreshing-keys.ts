import type { KeyObject } from 'node:crypto';
import { type JwkSet, importJwkSet, VerificationKeys } from './keys';
import { checkCredential, type GateCheckResult, type GateDecision, type VerifyOptions } from './verify';

/** Default least time between two fetches of the key set made because of an unknown `kid` (30 s). */
export const DEFAULT_KEY_REFETCH_INTERVAL_MS = 30_000;
/** Default longest wait for one fetch of the key set (3 s): past it, the fetch counts as failed. */
export const DEFAULT_KEY_FETCH_TIMEOUT_MS = 3_000;

/** Options of {@link RefreshingKeys}. */
export interface RefreshingKeysOptions {
  /**
   * Fetches the service's JWK Set (the body of `GET /v1/keys`, parsed JSON). The scanner app provides it (its HTTP
   * client, its base URL, its proxy); a rejection or a set that does not import counts as a failed fetch.
   */
  fetch: () => Promise<unknown>;
  /** The keys to start with (a JWK Set read at start-up, or kept from the last run); none: an empty set until a fetch. */
  initial?: VerificationKeys | JwkSet;
  /**
   * Least time between two fetches made because a credential named an unknown `kid`, in ms (default 30,000): a flood
   * of credentials with made-up kids makes at most one fetch per interval. 0: no limit (tests only).
   */
  refetchIntervalMs?: number;
  /** Longest wait for a fetch, in ms (default 3,000): a gate does not hang on a network that does not answer. */
  fetchTimeoutMs?: number;
  /** Told of each failed fetch (to log or count it); the old keys stay. Never given key material. */
  onFetchError?: (error: unknown) => void;
  /** The clock, in ms (default Date.now): for tests. */
  now?: () => number;
}

/** What {@link RefreshingKeys.refresh} did: `updated` (a new set in use), `failed` (the old set kept), `skipped` (rate limit). */
export type KeysRefresh = 'updated' | 'failed' | 'skipped';

/**
 * The verification keys of a scanner, refetched when a credential names a `kid` they do not hold: the service
 * rotated its signing key and this scanner has not seen the new set yet. `check`/`verify` decide as
 * {@link checkCredential} does; when the answer is `unknown-key`, the JWK Set is fetched again (at most once per
 * `refetchIntervalMs`, however many unknown kids arrive; concurrent checks share one fetch) and the credential is
 * decided again with the new keys, at the same instant. The decision stays `unknown-key` when the kid is still
 * unknown, when the interval has not passed, and when the fetch fails (offline, timeout, a set that does not import):
 * the old keys are kept, nothing throws. A refetched set replaces the old one whole: a key the service dropped (a
 * compromised one) is dropped here too.
 *
 * No I/O of its own: the fetch is the caller's. Keep one instance per service (per issuer) and pass it the
 * `verified` cache and the revocation list on each check as with verifyCredential.
 */
export class RefreshingKeys {
  private current: VerificationKeys;
  private readonly fetchSet: () => Promise<unknown>;
  private readonly interval: number;
  private readonly timeout: number;
  private readonly now: () => number;
  private readonly onFetchError: ((error: unknown) => void) | undefined;
  /** When the last fetch started (ms), whatever its outcome; undefined: never. */
  private lastFetchAt: number | undefined;
  private inFlight: Promise<KeysRefresh> | undefined;
  private fetches = 0;

  constructor(options: RefreshingKeysOptions) {
    this.fetchSet = options.fetch;
    this.interval = options.refetchIntervalMs ?? DEFAULT_KEY_REFETCH_INTERVAL_MS;
    this.timeout = options.fetchTimeoutMs ?? DEFAULT_KEY_FETCH_TIMEOUT_MS;
    if (!Number.isFinite(this.interval) || this.interval < 0) throw new TypeError('refetchIntervalMs must be a number of ms, at least 0');
    if (!Number.isFinite(this.timeout) || this.timeout <= 0) throw new TypeError('fetchTimeoutMs must be a number of ms, above 0');
    this.now = options.now ?? Date.now;
    this.onFetchError = options.onFetchError;
    const initial = options.initial;
    this.current = initial === undefined ? new VerificationKeys(new Map()) : initial instanceof VerificationKeys ? initial : importJwkSet(initial);
  }

  /** The keys in use now (pass them to verifyCredential for a check that must not wait for a fetch). */
  get keys(): VerificationKeys {
    return this.current;
  }

  /** How many fetches were started (the rate limit's evidence: a scanner may show or export it). */
  get fetchCount(): number {
    return this.fetches;
  }

  /**
   * {@link checkCredential} with these keys; on `unknown-key`, the keys refetched (rate-limited) and the credential
   * decided again. `options.at` defaults to the instant of the call, the same for both decisions.
   */
  async check(credential: unknown, options: Omit<VerifyOptions, 'keys'>): Promise<GateCheckResult> {
    const pinned: VerifyOptions = { ...options, at: options.at ?? new Date(this.now()), keys: this.current };
    const first = checkCredential(credential, pinned);
    if (first.decision.reason !== 'unknown-key') return first;
    const before = this.current;
    await this.refetch();
    // unchanged keys (skipped, failed) decide the same: unknown-key; a set another check fetched meanwhile counts too
    if (this.current === before) return first;
    return checkCredential(credential, { ...pinned, keys: this.current });
  }

  /** {@link check}'s decision (the body of `POST /v1/gate/checks`). */
  async verify(credential: unknown, options: Omit<VerifyOptions, 'keys'>): Promise<GateDecision> {
    return (await this.check(credential, options)).decision;
  }

  /**
   * Fetches the key set now, whatever the interval (the scanner's periodic refresh, e.g. every few minutes while
   * online); shares a fetch already running. Never throws: a failed fetch keeps the old keys.
   */
  refresh(): Promise<KeysRefresh> {
    return this.inFlight ?? this.start();
  }

  /** A fetch because of an unknown kid: the one running, else a new one if the interval has passed since the last. */
  private refetch(): Promise<KeysRefresh> {
    if (this.inFlight) return this.inFlight;
    if (this.lastFetchAt !== undefined && this.now() - this.lastFetchAt < this.interval) return Promise.resolve('skipped');
    return this.start();
  }

  private start(): Promise<KeysRefresh> {
    this.lastFetchAt = this.now();
    this.fetches++;
    const run = this.fetchOnce().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  /**
   * The fetched keys, with the KeyObject held already for a kid whose key did not change: credentials kept in a
   * VerifiedCredentials (by the key they verified with) are still found after a refetch.
   */
  private keeping(fetched: VerificationKeys): VerificationKeys {
    const byKid = new Map<string, KeyObject>();
    for (const kid of fetched.kids) {
      const key = fetched.get(kid) as KeyObject;
      const held = this.current.get(kid);
      byKid.set(kid, held !== undefined && held.equals(key) ? held : key);
    }
    return new VerificationKeys(byKid);
  }

  private async fetchOnce(): Promise<KeysRefresh> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the key set did not arrive within ${this.timeout} ms`)), this.timeout);
        timer.unref();
      });
      // fetchSet() is called inside the try: a fetch function that throws at once is a failed fetch too
      const set = await Promise.race([Promise.resolve().then(() => this.fetchSet()), timedOut]);
      this.current = this.keeping(importJwkSet(set));
      return 'updated';
    } catch (error) {
      try {
        this.onFetchError?.(error);
      } catch {
        // the caller's reporting must not make a check throw
      }
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
