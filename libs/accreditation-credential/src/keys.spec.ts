import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { importJWK } from 'jose';
import { generateSigningKey, importJwkSet, jwkSetOf, publicJwk } from './keys';

describe('keys', () => {
  const key = generateSigningKey('og2024-1');

  it('publicJwk: an OKP Ed25519 JWK (RFC 8037) of the public half, never the private part', () => {
    const jwk = publicJwk(key);
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: 'og2024-1', alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const exported = createPublicKey(key.privateKey).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(jwk.x, 'base64url')).toEqual(exported.subarray(exported.length - 32));
    expect(publicJwk({ kid: 'og2024-1', publicKey: createPublicKey(key.privateKey) })).toEqual(jwk);
  });

  it('refuses keys that are not Ed25519, and key ids that are not ids', () => {
    expect(() => generateSigningKey('og 2024')).toThrow(TypeError);
    expect(() => publicJwk({ kid: 'k', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey })).toThrow(TypeError);
  });

  it('JWK Set round trip: jwkSetOf -> JSON -> importJwkSet gives the same public keys', async () => {
    const next = generateSigningKey('og2024-2');
    const set = JSON.parse(JSON.stringify(jwkSetOf([key, next]))) as unknown;
    const imported = importJwkSet(set);
    expect(imported.kids).toEqual(['og2024-1', 'og2024-2']);
    for (const k of [key, next]) {
      expect(imported.get(k.kid)!.export({ format: 'jwk' })).toEqual(createPublicKey(k.privateKey).export({ format: 'jwk' }));
    }
    expect(imported.get('og2024-3')).toBeUndefined();
    // a standard JOSE library reads the set's keys too
    await expect(importJWK(jwkSetOf([key]).keys[0]!, 'EdDSA')).resolves.toBeDefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['its private part', { d: 'AAAA' }],
    ['x of 31 bytes', { x: publicJwk(key).x.slice(0, 42) }],
    ['x with padding', { x: `${publicJwk(key).x}=` }],
    ['no kid', { kid: undefined }],
    ['another alg', { alg: 'ES256' }],
    ['use enc', { use: 'enc' }],
  ])('importJwkSet refuses an Ed25519 key with %s', (_what, change) => {
    expect(() => importJwkSet({ keys: [{ ...publicJwk(key), ...change }] })).toThrow(TypeError);
  });

  it('jwkSetOf refuses a kid given twice', () => {
    expect(() => jwkSetOf([key, generateSigningKey('og2024-1')])).toThrow(TypeError);
  });

  it('importJwkSet ignores keys of other types (RFC 7517 §5); refuses a set that is not one, or a kid given twice', () => {
    const good = publicJwk(key);
    const rsa = { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'r1' };
    const x25519 = { kty: 'OKP', crv: 'X25519', x: good.x, kid: 'x1' };
    expect(importJwkSet({ keys: [rsa, x25519, good] }).kids).toEqual(['og2024-1']);
    expect(() => importJwkSet({ keys: [good, good] })).toThrow(/given twice/);
    expect(() => importJwkSet([good])).toThrow(/not a JWK Set/);
    expect(() => importJwkSet({ keys: 'none' })).toThrow(/not a JWK Set/);
  });
});
