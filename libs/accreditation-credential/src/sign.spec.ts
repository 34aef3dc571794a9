import { generateKeyPairSync } from 'node:crypto';
import { type CredentialClaims } from './claims';
import { generateSigningKey } from './keys';
import { signCredential } from './sign';

const claims: CredentialClaims = {
  iss: 'podium-accreditation/OG2024',
  sub: 'acc-7f3a',
  jti: 'cred-0001',
  iat: 1_722_300_000,
  nbf: 1_722_300_000,
  exp: 1_725_000_000,
  card: 'OG24-000123',
  cat: 'Aa',
  ven: ['STA'],
  zon: ['ALL'],
};

describe('signCredential', () => {
  const key = generateSigningKey('og2024-1');

  it('writes a compact JWS: the fixed header, the claims, a 64-byte signature', () => {
    const [header, payload, signature, ...rest] = signCredential(claims, key).split('.');
    expect(rest).toEqual([]);
    expect(Buffer.from(header!, 'base64url').toString()).toBe('{"alg":"EdDSA","typ":"JWT","kid":"og2024-1"}');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual(claims);
    expect(Buffer.from(signature!, 'base64url')).toHaveLength(64);
  });

  it('writes the claims in one order, whatever the order given (the same claims and key, the same credential)', () => {
    const reversed = Object.fromEntries(Object.entries(claims).reverse()) as CredentialClaims;
    expect(signCredential(reversed, key)).toBe(signCredential(claims, key));
    const [, payload] = signCredential(reversed, key).split('.');
    expect(Object.keys(JSON.parse(Buffer.from(payload!, 'base64url').toString()))).toEqual(['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'card', 'cat', 'ven', 'zon']);
  });

  it('refuses claims that do not pass the schema (nothing else is signed)', () => {
    expect(() => signCredential({ ...claims, name: 'Jane Doe' } as CredentialClaims, key)).toThrow(/invalid credential claims/);
    expect(() => signCredential({ ...claims, ven: [] }, key)).toThrow(TypeError);
    expect(() => signCredential({ ...claims, exp: claims.nbf }, key)).toThrow(/exp must be after nbf/);
    expect(() => signCredential({ ...claims, zon: ['ALL', '1'] }, key)).toThrow(/only zone code/);
    expect(() => signCredential({ ...claims, ven: ['sta'] }, key)).toThrow(/venue code/);
  });

  it('refuses a key that is not an Ed25519 private key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(() => signCredential(claims, { kid: 'og2024-1', privateKey: publicKey })).toThrow(TypeError);
    expect(() => signCredential(claims, { kid: 'og2024-1', privateKey: generateKeyPairSync('ed448').privateKey })).toThrow(TypeError);
    expect(() => signCredential(claims, { kid: '', privateKey })).toThrow(TypeError);
  });
});
