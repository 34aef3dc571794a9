import { type KeyObject, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';

/** @internal Key id: 1-64 characters A-Z a-z 0-9 `.` `_` `-` (e.g. `og2024-2026-12`). */
export const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** The Ed25519 private key that signs credentials, with its key id (the `kid` header of what it signs). */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/** A verification key only: the public half of a signing key that is no longer used to sign (key rotation). */
export interface PublicKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
}

/** An Ed25519 public key as a JWK (RFC 7517, RFC 8037). */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The public key, 32 bytes, base64url without padding. */
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** A JWK Set (RFC 7517 §5): what `GET /v1/keys` answers. */
export interface JwkSet {
  keys: PublicJwk[];
}

function assertEd25519(key: KeyObject, type: 'private' | 'public', what: string): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`${what} must be an Ed25519 ${type} key (got ${key.asymmetricKeyType ?? key.type} ${key.type})`);
  }
}

function assertKid(kid: string): void {
  if (!KID.test(kid)) throw new TypeError(`kid must be 1-64 characters A-Z a-z 0-9 . _ - (got ${JSON.stringify(kid)})`);
}

/** @internal checks a signing key before use. */
export function assertSigningKey(key: SigningKey): void {
  assertKid(key.kid);
  assertEd25519(key.privateKey, 'private', `signing key ${key.kid}`);
}

/** A new Ed25519 signing key under `kid`. The service keeps its private key secret (a Kubernetes Secret). */
export function generateSigningKey(kid: string): SigningKey {
  assertKid(kid);
  return { kid, privateKey: generateKeyPairSync('ed25519').privateKey };
}

/** The public JWK of a signing key (its public half) or of a verification-only key. Never contains the private part. */
export function publicJwk(key: SigningKey | PublicKey): PublicJwk {
  assertKid(key.kid);
  const publicKey = 'privateKey' in key ? createPublicKey(key.privateKey) : key.publicKey;
  assertEd25519(publicKey, 'public', `key ${key.kid}`);
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError(`key ${key.kid} has no public x`);
  return { kty: 'OKP', crv: 'Ed25519', x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * The JWK Set of the keys a verifier must accept: the current signing key and the previous ones still valid for
 * verification (key rotation: one key signs, several verify). Throws on a kid given twice.
 */
export function jwkSetOf(keys: readonly (SigningKey | PublicKey)[]): JwkSet {
  const jwks = keys.map(publicJwk);
  const kids = new Set(jwks.map((jwk) => jwk.kid));
  if (kids.size !== jwks.length) throw new TypeError('jwkSetOf: each kid must be given once');
  return { keys: jwks };
}

/** An Ed25519 JWK as a verifier accepts it: `x` is 32 bytes; `alg` and `use`, when present, say EdDSA and sig. */
const ed25519JwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'must be 32 bytes, base64url without padding'),
  kid: z.string().regex(KID, 'must be 1-64 characters A-Z a-z 0-9 . _ -'),
  alg: z.literal('EdDSA').optional(),
  use: z.literal('sig').optional(),
});

/**
 * The verification keys, imported once (a KeyObject per kid), as {@link verifyCredential} uses them. Build it with
 * {@link importJwkSet}; keep it for as long as the key set does not change.
 */
export class VerificationKeys {
  /** @internal */
  constructor(private readonly byKid: ReadonlyMap<string, KeyObject>) {}

  /** The public key of `kid`, or undefined when the set has no such key. */
  get(kid: string): KeyObject | undefined {
    return this.byKid.get(kid);
  }

  /** The key ids of the set. */
  get kids(): string[] {
    return [...this.byKid.keys()];
  }
}

/**
 * Imports a JWK Set (parsed JSON, e.g. the body of `GET /v1/keys`) for verification. Keys of another type than
 * OKP/Ed25519 are ignored (RFC 7517 §5: a set may carry keys a reader does not understand); an Ed25519 key that is
 * not valid, carries its private part or repeats a kid throws, as does a set that is not an object with `keys`.
 */
export function importJwkSet(set: unknown): VerificationKeys {
  const parsed = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).safeParse(set);
  if (!parsed.success) throw new TypeError(`not a JWK Set: ${z.prettifyError(parsed.error)}`);
  const byKid = new Map<string, KeyObject>();
  for (const [index, candidate] of parsed.data.keys.entries()) {
    if (candidate['kty'] !== 'OKP' || candidate['crv'] !== 'Ed25519') continue;
    if ('d' in candidate) throw new TypeError(`JWK Set key ${index}: a published key must not contain its private part (d)`);
    const jwk = ed25519JwkSchema.safeParse(candidate);
    if (!jwk.success) throw new TypeError(`JWK Set key ${index}: ${z.prettifyError(jwk.error)}`);
    const { kid, x } = jwk.data;
    if (byKid.has(kid)) throw new TypeError(`JWK Set key ${index}: kid ${kid} is given twice`);
    byKid.set(kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
  }
  return new VerificationKeys(byKid);
}
