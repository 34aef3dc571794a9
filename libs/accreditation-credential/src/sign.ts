import { sign } from 'node:crypto';
import { z } from 'zod';
import { type CredentialClaims, credentialClaimsSchema } from './claims';
import { type SigningKey, assertSigningKey } from './keys';

/**
 * Signs an accreditation card credential: a compact JWS (RFC 7515), a JWT whose header is exactly
 * `{"alg":"EdDSA","typ":"JWT","kid":"<kid>"}` (Ed25519, RFC 8037) and whose payload is the claims, validated first.
 * Throws a TypeError on claims that do not pass {@link credentialClaimsSchema} or on a key that is not Ed25519.
 */
export function signCredential(claims: CredentialClaims, signingKey: SigningKey): string {
  assertSigningKey(signingKey);
  const parsed = credentialClaimsSchema.safeParse(claims);
  if (!parsed.success) throw new TypeError(`invalid credential claims: ${z.prettifyError(parsed.error)}`);
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: signingKey.kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(parsed.data)).toString('base64url');
  const signingInput = `${header}.${payload}`;
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), signingKey.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}
