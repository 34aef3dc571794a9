import { type KeyObject, verify } from 'node:crypto';
import { ALL, CARD_NUMBER, CODE_PATTERNS, type CredentialClaims, credentialClaimsSchema } from './claims';
import { type JwkSet, KID, VerificationKeys, importJwkSet } from './keys';
import type { RevocationState } from './revocations';
import type { VerifiedCredentials } from './verified-cache';

/**
 * The reasons of a gate decision, in precedence order: when several apply, the first one is answered. `ok` is the
 * only reason of `allow`.
 * - `malformed`: not a compact JWS of this format: not three base64url parts; a header other than exactly
 *   `{"alg":"EdDSA","typ":"JWT","kid"}` (so `alg` `none`, `HS256` or an embedded `jwk` are malformed, never tried);
 *   claims that do not pass the claims schema; a signature that is not 64 bytes.
 * - `unknown-key`: the `kid` is not in the verification keys (a key the scanner has not fetched, or a forgery).
 * - `bad-signature`: the Ed25519 signature does not verify with the key of that `kid` (tampered, or re-signed).
 * - `not-yet-valid`, `expired`: outside `nbf`..`exp`, give or take the clock tolerance.
 * - `revoked`: the credential (superseded, or revoked) or its card is revoked in the revocation list.
 * - `suspended`: its card is suspended in the revocation list.
 * - `venue-not-granted`: the gate's venue is not in `ven` (nor is `ALL`), nor in an upgrade whose window holds `at`.
 * - `zone-not-granted`: the gate's zone is not in `zon` (nor is `ALL`), nor in an upgrade whose window holds `at`.
 * - `ok`: allowed.
 */
export const GATE_REASONS = [
  'malformed',
  'unknown-key',
  'bad-signature',
  'not-yet-valid',
  'expired',
  'revoked',
  'suspended',
  'venue-not-granted',
  'zone-not-granted',
  'ok',
] as const;

/** The reason of a gate decision (see {@link GATE_REASONS}). */
export type GateReason = (typeof GATE_REASONS)[number];

/** A gate decision, as `POST /v1/gate/checks` answers it. */
export interface GateDecision {
  decision: 'allow' | 'deny';
  reason: GateReason;
  /** The card number, only when the signature verified (a forged credential's claims are never echoed). */
  cardNumber?: string;
}

/** Default clock tolerance: a scanner's clock may be this far off the service's (seconds). */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** Options of {@link verifyCredential}. */
export interface VerifyOptions {
  /**
   * The verification keys: imported once with {@link importJwkSet} (the fast path), or the JWK Set itself, which is
   * imported on first use and cached for as long as that same object is passed.
   */
  keys: VerificationKeys | JwkSet;
  /** The revocation list as the verifier holds it now. */
  revocations: RevocationState;
  /** The gate's venue code (never `ALL`). */
  venue: string;
  /** The gate's zone code (never `ALL`). */
  zone: string;
  /** The instant of the check (default: now). */
  at?: Date;
  /**
   * How far the verifier's clock may be off the issuer's, in seconds (default 30, at most 300): a card is valid from
   * `nbf - tolerance` until just before `exp + tolerance`, as a standard JWT verifier's clockTolerance does.
   */
  clockToleranceSeconds?: number;
  /**
   * Credentials already verified (see {@link VerifiedCredentials}): one found there with the key its kid names now
   * skips the parsing and the Ed25519 verification; one that verifies is added. The decision is the same either way.
   */
  verified?: VerifiedCredentials;
  /**
   * For the issuer only: says whether `credential` is, byte for byte, a credential the verifier itself signed and
   * keeps as a card's current one (the accreditation service's own record). Such a credential is not verified with
   * Ed25519 again: its signature is the issuer's by construction. Everything else is still checked: the format, the
   * header, the claims, and that its kid names a verification key (a credential of a key rotated out is still
   * `unknown-key`), so the decision is the one a scanner gives. A scanner never sets it.
   */
  issued?: (credential: string) => boolean;
}

/** Longest credential accepted: a credential of 512 venues and 512 zones is about 13 KB; longer is malformed. */
const MAX_CREDENTIAL_LENGTH = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A 64-byte Ed25519 signature in base64url: 85 characters and a last one that carries 2 bits (canonical). */
const SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/;

/** The JWK Sets passed as such, imported once per object. */
const importedSets = new WeakMap<JwkSet, VerificationKeys>();

/** Header segment -> its kid, for headers already parsed (a verifier sees a handful of kids). Bounded. */
const headerKids = new Map<string, string>();
const MAX_CACHED_HEADERS = 64;

function keysOf(keys: VerificationKeys | JwkSet): VerificationKeys {
  if (keys instanceof VerificationKeys) return keys;
  let imported = importedSets.get(keys);
  if (!imported) {
    imported = importJwkSet(keys);
    importedSets.set(keys, imported);
  }
  return imported;
}

/** The bytes of a base64url segment, or undefined when it is not canonical base64url (padding, stray characters). */
function decodeSegment(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The kid of a header segment that is exactly {"alg":"EdDSA","typ":"JWT","kid":"<kid>"} (any order), or undefined. */
function kidOf(segment: string): string | undefined {
  const cached = headerKids.get(segment);
  if (cached !== undefined) return cached;
  const bytes = decodeSegment(segment);
  const header = bytes && parseJson(bytes);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const { alg, typ, kid, ...rest } = header as Record<string, unknown>;
  if (alg !== 'EdDSA' || typ !== 'JWT' || typeof kid !== 'string' || !KID.test(kid) || Object.keys(rest).length > 0) return undefined;
  if (headerKids.size >= MAX_CACHED_HEADERS) headerKids.clear();
  headerKids.set(segment, kid);
  return kid;
}

/**
 * The card number a credential's payload claims, NOT verified: only for an issuer to look up its own record of the
 * card (VerifyOptions.issued); undefined when the credential has no such claim. Never a decision.
 */
export function claimedCardNumber(credential: unknown): string | undefined {
  if (typeof credential !== 'string' || credential.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const firstDot = credential.indexOf('.');
  const secondDot = credential.indexOf('.', firstDot + 1);
  if (firstDot <= 0 || secondDot <= firstDot + 1) return undefined;
  const bytes = decodeSegment(credential.slice(firstDot + 1, secondDot));
  const payload = bytes && parseJson(bytes);
  const card = typeof payload === 'object' && payload !== null ? (payload as { card?: unknown }).card : undefined;
  return typeof card === 'string' && CARD_NUMBER.test(card) ? card : undefined;
}

const deny = (reason: GateReason, cardNumber?: string): GateDecision =>
  cardNumber === undefined ? { decision: 'deny', reason } : { decision: 'deny', reason, cardNumber };

/**
 * A gate decision and the id of the credential it is about: what a gate records (`POST /v1/gate/checks/offline`
 * takes it as `credentialId`; the online check stores it).
 */
export interface GateCheckResult {
  decision: GateDecision;
  /**
   * The credential's `jti`, only when its signature verified (as `cardNumber`): null for `malformed`, `unknown-key`
   * and `bad-signature`, whose claims are anybody's and must not be recorded as a real credential's.
   */
  credentialId: string | null;
}

/**
 * Decides whether an accreditation card credential lets its holder through the gate of `venue`/`zone` at `at`:
 * the same decision and reason online (the accreditation service) and offline (a scanner with the JWK Set and its
 * latest revocation list). Never throws on a credential, whatever it holds; throws a TypeError on options that are
 * not valid (a gate's venue or zone that is not a code, or is `ALL`; a tolerance out of range).
 * The reason is the first of {@link GATE_REASONS} that applies. {@link checkCredential} also says the credential's id.
 */
export function verifyCredential(credential: unknown, options: VerifyOptions): GateDecision {
  return checkCredential(credential, options).decision;
}

/**
 * {@link verifyCredential}'s decision, and the id (`jti`) of the credential when its signature verified (null
 * otherwise): for a gate to record which credential was presented, at no further cost.
 */
export function checkCredential(credential: unknown, options: VerifyOptions): GateCheckResult {
  const { venue, zone, revocations } = options;
  if (!CODE_PATTERNS.venue.test(venue) || venue === ALL) throw new TypeError(`venue must be a venue code, not ${JSON.stringify(venue)}`);
  if (!CODE_PATTERNS.zone.test(zone) || zone === ALL) throw new TypeError(`zone must be a zone code, not ${JSON.stringify(zone)}`);
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 300) throw new TypeError('clockToleranceSeconds must be between 0 and 300');
  const at = options.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new TypeError('at must be a valid date');
  const keys = keysOf(options.keys);

  // malformed: the format, before any key is looked at
  if (typeof credential !== 'string' || credential.length > MAX_CREDENTIAL_LENGTH) return { decision: deny('malformed'), credentialId: null };
  const own = options.issued?.(credential) === true;
  const claims = options.verified === undefined ? verifiedClaims(credential, keys, own) : cachedClaims(credential, keys, options.verified, own);
  if (typeof claims === 'string') return { decision: deny(claims), credentialId: null };
  return { decision: decide(claims, venue, zone, revocations, Math.floor(at.getTime() / 1000), tolerance), credentialId: claims.jti };
}

/** Found among the credentials already verified, else verified in full (and added when it verifies). */
function cachedClaims(credential: string, keys: VerificationKeys, verified: VerifiedCredentials, own: boolean): CredentialClaims | SignatureReason {
  const firstDot = credential.indexOf('.');
  const kid = firstDot > 0 ? kidOf(credential.slice(0, firstDot)) : undefined;
  const key = kid === undefined ? undefined : keys.get(kid);
  const known = key === undefined ? undefined : verified.get(credential, key);
  if (known !== undefined) return known;
  const claims = verifiedClaims(credential, keys, own);
  if (typeof claims !== 'string' && key !== undefined) verified.set(credential, key, claims);
  return claims;
}

/** The reasons decided before the claims can be believed. */
type SignatureReason = 'malformed' | 'unknown-key' | 'bad-signature';

/**
 * The claims of a credential whose format is right and whose signature verifies with the key of its kid, or why not.
 * `own`: the issuer's own current credential (VerifyOptions.issued): everything but the Ed25519 verification.
 */
function verifiedClaims(credential: string, keys: VerificationKeys, own = false): CredentialClaims | SignatureReason {
  const firstDot = credential.indexOf('.');
  const secondDot = credential.indexOf('.', firstDot + 1);
  if (firstDot <= 0 || secondDot <= firstDot + 1 || credential.indexOf('.', secondDot + 1) !== -1) return 'malformed';
  const kid = kidOf(credential.slice(0, firstDot));
  if (kid === undefined) return 'malformed';
  const payloadBytes = decodeSegment(credential.slice(firstDot + 1, secondDot));
  const parsed = payloadBytes && credentialClaimsSchema.safeParse(parseJson(payloadBytes));
  if (!parsed || !parsed.success) return 'malformed';
  const signatureSegment = credential.slice(secondDot + 1);
  if (!SIGNATURE.test(signatureSegment)) return 'malformed';
  const signature = Buffer.from(signatureSegment, 'base64url');

  // unknown-key, bad-signature: one Ed25519 verification
  const key: KeyObject | undefined = keys.get(kid);
  if (!key) return 'unknown-key';
  if (!own && !verify(null, Buffer.from(credential.slice(0, secondDot), 'latin1'), key, signature)) return 'bad-signature';
  // the claims are the issuer's from here on
  return parsed.data;
}

/** The decision on claims that are the issuer's (their signature verified). */
function decide(claims: CredentialClaims, venue: string, zone: string, revocations: RevocationState, now: number, tolerance: number): GateDecision {
  if (claims.nbf > now + tolerance) return deny('not-yet-valid', claims.card);
  if (claims.exp <= now - tolerance) return deny('expired', claims.card);
  const status = revocations.statusOf(claims.jti, claims.card);
  if (status !== 'active') return deny(status, claims.card);
  let venueGranted = claims.ven[0] === ALL || claims.ven.includes(venue);
  let zoneGranted = claims.zon[0] === ALL || claims.zon.includes(zone);
  if ((!venueGranted || !zoneGranted) && claims.upg) {
    // the upgrades whose window holds `at` (with the same tolerance as the card's) add their venues and zones
    for (const upgrade of claims.upg) {
      if (upgrade.nbf > now + tolerance || upgrade.exp <= now - tolerance) continue;
      venueGranted ||= upgrade.ven[0] === ALL || upgrade.ven.includes(venue);
      zoneGranted ||= upgrade.zon[0] === ALL || upgrade.zon.includes(zone);
    }
  }
  if (!venueGranted) return deny('venue-not-granted', claims.card);
  if (!zoneGranted) return deny('zone-not-granted', claims.card);
  return { decision: 'allow', reason: 'ok', cardNumber: claims.card };
}
