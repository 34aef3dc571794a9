import { seededRandom } from '@podium/random';

import { type CredentialClaims } from './claims';
import { generateSigningKey, importJwkSet, jwkSetOf, publicJwk } from './keys';
import { RevocationState } from './revocations';
import { signCredential } from './sign';
import { VerifiedCredentials } from './verified-cache';
import { claimedCardNumber, type VerifyOptions, verifyCredential } from './verify';

const AT = new Date('2024-07-30T10:00:00Z');
const NOW = AT.getTime() / 1000;
const key = generateSigningKey('og2024-1');
const next = generateSigningKey('og2024-2');
const keys = importJwkSet(jwkSetOf([key, next]));

function claims(overrides: Partial<CredentialClaims> = {}): CredentialClaims {
  return {
    iss: 'podium-accreditation/OG2024',
    sub: 'acc-7f3a',
    jti: 'cred-0001',
    iat: NOW - 86_400,
    nbf: NOW - 3_600,
    exp: NOW + 86_400,
    card: 'OG24-000123',
    cat: 'Aa',
    ven: ['STA'],
    zon: ['1', '2'],
    ...overrides,
  };
}

const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({ keys, revocations: new RevocationState(), venue: 'STA', zone: '2', at: AT, ...overrides });

describe('VerifiedCredentials (the verifyCredential option)', () => {
  it('verifies a credential once: the next checks of the same text find it, and still decide time, list, venue and zone', () => {
    const verified = new VerifiedCredentials({ maxBytes: 1_000_000 });
    const credential = signCredential(claims(), key);
    const revocations = new RevocationState();
    const check = (overrides: Partial<VerifyOptions> = {}) => verifyCredential(credential, options({ verified, revocations, ...overrides }));
    expect(check()).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
    expect([verified.size, verified.stats]).toEqual([1, { hits: 0, misses: 1 }]);
    expect(check({ zone: '4' }).reason).toBe('zone-not-granted');
    expect(check({ venue: 'AQC' }).reason).toBe('venue-not-granted');
    expect(check({ at: new Date((NOW + 2 * 86_400) * 1000) }).reason).toBe('expired');
    expect(check({ at: new Date((NOW - 2 * 3_600) * 1000) }).reason).toBe('not-yet-valid');
    revocations.apply([{ seq: 1, at: AT.toISOString(), kind: 'card-suspended', card: 'OG24-000123' }]);
    expect(check().reason).toBe('suspended');
    revocations.apply([{ seq: 2, at: AT.toISOString(), kind: 'credential-revoked', jti: 'cred-0001' }]);
    expect(check().reason).toBe('revoked');
    expect(verified.stats).toEqual({ hits: 6, misses: 1 });
  });

  it('never answers for another text: tampered, re-signed with another key under a known kid, or of a key taken out of the set', () => {
    const verified = new VerifiedCredentials({ maxBytes: 1_000_000 });
    const credential = signCredential(claims(), key);
    expect(verifyCredential(credential, options({ verified })).reason).toBe('ok');
    const [h, p] = credential.split('.');
    // the same header and claims, signed by another Ed25519 key: a different signature, so a different text
    const resigned = `${h}.${p}.${signCredential(claims(), { kid: 'og2024-1', privateKey: next.privateKey }).split('.')[2]}`;
    expect(verifyCredential(resigned, options({ verified })).reason).toBe('bad-signature');
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims({ zon: ['ALL'] }))).toString('base64url')}.${credential.split('.')[2]}`;
    expect(verifyCredential(tampered, options({ verified })).reason).toBe('bad-signature');
    expect(verified.size).toBe(1);
    // key rotation: og2024-1 no longer in the set (a new import): unknown-key at once, whatever was verified before
    const rotated = importJwkSet({ keys: [publicJwk(next)] });
    expect(verifyCredential(credential, options({ verified, keys: rotated })).reason).toBe('unknown-key');
    // the set imported again holds new key objects: verified in full, and found again afterwards
    const again = importJwkSet(jwkSetOf([key, next]));
    expect(verifyCredential(credential, options({ verified, keys: again })).reason).toBe('ok');
    expect(verifyCredential(credential, options({ verified, keys: again })).reason).toBe('ok');
    expect(verified.stats.hits).toBe(1);
  });

  it('keeps only what verified, within its bytes, the oldest going first', () => {
    const credentials = Array.from({ length: 10 }, (_, i) => signCredential(claims({ jti: `cred-${i}`, card: `OG24-00010${i}` }), key));
    const each = (credentials[0] as string).length * 2 + 512;
    const verified = new VerifiedCredentials({ maxBytes: each * 4 + 10 });
    for (const credential of credentials) verifyCredential(credential, options({ verified }));
    expect(verified.size).toBe(4);
    expect(verified.bytes).toBeLessThanOrEqual(each * 4 + 10);
    verifyCredential(credentials[9], options({ verified }));
    verifyCredential(credentials[0], options({ verified }));
    expect(verified.stats.hits).toBe(1);
    verifyCredential('not.a.credential', options({ verified }));
    verifyCredential(`${(credentials[1] as string).slice(0, -2)}AA`, options({ verified }));
    expect(verified.size).toBe(4);
    expect(new VerifiedCredentials({ maxBytes: 0 }).bytes).toBe(0);
    expect(() => new VerifiedCredentials({ maxBytes: -1 })).toThrow(TypeError);
  });

  it('property: with or without it, the same decision and reason (2,000 seeded checks of valid, changed and foreign credentials)', () => {
    const rnd = seededRandom(21);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
    const foreign = generateSigningKey('og2024-1');
    const pool = [
      ...Array.from({ length: 8 }, (_, i) => signCredential(claims({ jti: `c${i}`, card: `OG24-00020${i}`, zon: i % 2 ? ['ALL'] : ['2'] }), i % 3 ? key : next)),
      signCredential(claims({ jti: 'x' }), foreign),
      signCredential(claims({ jti: 'y' }), generateSigningKey('other')),
    ];
    const verified = new VerifiedCredentials({ maxBytes: 6_000 });
    const revocations = new RevocationState();
    let seq = 0;
    for (let i = 0; i < 2000; i++) {
      let credential = pick(pool);
      if (rnd() < 0.2) {
        const position = Math.floor(rnd() * credential.length);
        credential = credential.slice(0, position) + pick([...'AZaz09-_.']) + credential.slice(position + 1);
      }
      if (rnd() < 0.02) revocations.apply([{ seq: ++seq, at: AT.toISOString(), kind: 'card-suspended', card: `OG24-00020${Math.floor(rnd() * 8)}` }]);
      const at = new Date((NOW + Math.floor((rnd() - 0.5) * 4 * 86_400)) * 1000);
      const gate = { venue: pick(['STA', 'AQC']), zone: pick(['1', '2', '4']), at, revocations };
      expect({ i, ...verifyCredential(credential, options({ ...gate, verified })) }).toEqual({ i, ...verifyCredential(credential, options(gate)) });
    }
    expect(verified.stats.hits).toBeGreaterThan(500);
  });

  it("issued (the issuer's own current credentials): no Ed25519 verification for them, the same decision as a scanner's, and nothing else trusted", () => {
    const own = signCredential(claims({ jti: 'own-1', card: 'OG24-000300' }), key);
    const [h, p, sig] = own.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims({ jti: 'own-1', card: 'OG24-000300', zon: ['ALL'] }))).toString('base64url')}.${String(sig)}`;
    const resigned = `${h}.${p}.${signCredential(claims({ jti: 'own-1', card: 'OG24-000300' }), { kid: 'og2024-1', privateKey: next.privateKey }).split('.')[2]}`;
    const ofOther = signCredential(claims({ jti: 'own-1', card: 'OG24-000300' }), generateSigningKey('og2024-9'));
    const issued = (c: string) => c === own;
    for (const [credential, gate] of [
      [own, { zone: '2' }],
      [own, { zone: '4' }],
      [tampered, { zone: '4' }],
      [resigned, { zone: '2' }],
      [ofOther, { zone: '2' }],
      ['a.b', { zone: '2' }],
    ] as const) {
      expect(verifyCredential(credential, options({ ...gate, issued }))).toEqual(verifyCredential(credential, options(gate)));
    }
    // Trusted only as the issuer says: the same bytes under a kid the keys no longer hold are unknown-key.
    expect(verifyCredential(own, options({ keys: importJwkSet(jwkSetOf([next])), issued: () => true }))).toEqual({ decision: 'deny', reason: 'unknown-key' });
    // and a wrong issued() (the issuer's record says so) skips the verification: a scanner never sets it.
    expect(verifyCredential(resigned, options({ issued: () => true }))).toMatchObject({ decision: 'allow', reason: 'ok' });
  });

  it('issued: asked once per check not found among those verified; what it vouched for is kept there like a verified one', () => {
    const own = signCredential(claims({ jti: 'own-2' }), key);
    const calls: string[] = [];
    const issued = (c: string) => {
      calls.push(c);
      return c === own;
    };
    const verified = new VerifiedCredentials({ maxBytes: 10_000 });
    expect(verifyCredential(own, options({ issued, verified }))).toMatchObject({ reason: 'ok' });
    expect(verifyCredential(own, options({ issued, verified }))).toMatchObject({ reason: 'ok' });
    expect(verified.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(calls).toEqual([own, own]);
  });

  it('claimedCardNumber: the card a payload claims, unverified, or undefined', () => {
    const own = signCredential(claims({ card: 'OG24-000777' }), key);
    expect(claimedCardNumber(own)).toBe('OG24-000777');
    const [h, , sig] = own.split('.');
    expect(claimedCardNumber(`${h}.${Buffer.from('{"card":"og-lower"}').toString('base64url')}.${String(sig)}`)).toBeUndefined();
    expect(claimedCardNumber(`${h}.${Buffer.from('[1]').toString('base64url')}.${String(sig)}`)).toBeUndefined();
    for (const bad of [undefined, 42, '', 'a', 'a.b', 'a..c', '.b.c', `${h}.%%%.x`, 'x'.repeat(20_000)]) expect(claimedCardNumber(bad)).toBeUndefined();
  });
});
