/**
 * @podium/accreditation-credential: the accreditation card credential (a compact JWS signed with Ed25519), its keys,
 * the revocation list and the gate decision, the same online (the accreditation service) and offline (a venue
 * scanner). No I/O beyond node:crypto: fetching the keys and the revocation list is the caller's. See
 * docs/accreditation-credential.md.
 */
export { ALL, type CredentialClaims, credentialClaimsSchema, MAX_UPGRADES } from './claims';
export { type JwkSet, type PublicJwk, type PublicKey, type SigningKey, VerificationKeys, generateSigningKey, importJwkSet, jwkSetOf, publicJwk } from './keys';
export {
  type CredentialStatus,
  type RevocationEntry,
  RevocationGapError,
  type RevocationKind,
  type RevocationPage,
  RevocationState,
  revocationEntrySchema,
  revocationPageSchema,
} from './revocations';
export {
  DEFAULT_KEY_FETCH_TIMEOUT_MS,
  DEFAULT_KEY_REFETCH_INTERVAL_MS,
  type KeysRefresh,
  RefreshingKeys,
  type RefreshingKeysOptions,
} from './refreshing-keys';
export { signCredential } from './sign';
export { VerifiedCredentials, type VerifiedCredentialsOptions } from './verified-cache';
export {
  checkCredential,
  claimedCardNumber,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  GATE_REASONS,
  type GateCheckResult,
  type GateDecision,
  type GateReason,
  type VerifyOptions,
  verifyCredential,
} from './verify';
