import type { KeyObject } from 'node:crypto';
import type { CredentialClaims } from './claims';

/** What a verifier learned of a credential whose signature verified: the key it verified with and its claims. */
interface Verified {
  readonly key: KeyObject;
  readonly claims: CredentialClaims;
  readonly bytes: number;
}

/** Options of {@link VerifiedCredentials}. */
export interface VerifiedCredentialsOptions {
  /** Bound on the memory it holds, in bytes (estimated: each credential's length twice, plus 512 for its claims). */
  readonly maxBytes: number;
}

/** Estimated bytes of one entry: the key string (at most two bytes a character) and the parsed claims. */
const entryBytes = (credential: string): number => credential.length * 2 + 512;

/**
 * The credentials whose signature already verified, so that a card scanned again (at the venue's perimeter, then at
 * the zone's gate, then again after lunch) costs no second Ed25519 verification nor parsing: an option of
 * {@link verifyCredential}. The key is the credential's exact text: a credential differing in a single character
 * (tampered, re-signed) is not found and is verified in full. An entry answers only while the verification keys give
 * the very key object it verified with, so a key taken out of the set (rotation, a new import) makes its credentials
 * `unknown-key` again at once. Only the signature's outcome is kept: validity in time, the revocation list, the
 * venue and the zone are decided at every check. Only credentials that verified are kept (a forgery costs its
 * verification every time and takes no room). Bounded by bytes; the oldest entries go first.
 */
export class VerifiedCredentials {
  private readonly entries = new Map<string, Verified>();
  private byteCount = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly options: VerifiedCredentialsOptions) {
    if (!Number.isFinite(options.maxBytes) || options.maxBytes < 0) throw new TypeError('maxBytes must be a number of bytes, 0 or more');
  }

  /** The claims of `credential` if it verified with `key` (the key its kid names now), else undefined. */
  get(credential: string, key: KeyObject | undefined): CredentialClaims | undefined {
    const entry = this.entries.get(credential);
    if (entry !== undefined && entry.key === key) {
      this.hitCount++;
      return entry.claims;
    }
    this.missCount++;
    return undefined;
  }

  /** Whether `credential` is held (whatever key it verified with); not counted in {@link stats}. */
  has(credential: string): boolean {
    return this.entries.has(credential);
  }

  /** Remembers that `credential` verified with `key`, with its claims. */
  set(credential: string, key: KeyObject, claims: CredentialClaims): void {
    const bytes = entryBytes(credential);
    if (bytes > this.options.maxBytes) return;
    const previous = this.entries.get(credential);
    if (previous !== undefined) {
      this.entries.delete(credential);
      this.byteCount -= previous.bytes;
    }
    while (this.byteCount + bytes > this.options.maxBytes) {
      const oldest = this.entries.entries().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value[0]);
      this.byteCount -= oldest.value[1].bytes;
    }
    this.entries.set(credential, { key, claims, bytes });
    this.byteCount += bytes;
  }

  /** Credentials held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held (see {@link VerifiedCredentialsOptions.maxBytes}). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Lookups that found a verified credential, and those that did not, since it was made. */
  get stats(): { hits: number; misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }

  clear(): void {
    this.entries.clear();
    this.byteCount = 0;
  }
}
