import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { seededRandom } from '@podium/random';

import { type CredentialClaims } from './claims';
import { generateSigningKey, importJwkSet, jwkSetOf, publicJwk } from './keys';
import { RevocationState } from './revocations';
import { signCredential } from './sign';
import { checkCredential, GATE_REASONS, type GateReason, type VerifyOptions, verifyCredential } from './verify';
import { VerifiedCredentials } from './verified-cache';

const AT = new Date('2024-07-30T10:00:00Z');
const NOW = AT.getTime() / 1000;
const key = generateSigningKey('og2024-1');
const keys = importJwkSet(jwkSetOf([key]));

function claims(overrides: Partial<CredentialClaims> = {}): CredentialClaims {
  return {
    iss: 'podium-accreditation/OG2024',
    sub: 'acc-7f3a',
    jti: 'cred-0001',
    iat: NOW - 86_400,
    nbf: NOW - 3_600,
    exp: NOW + 30 * 86_400,
    card: 'OG24-000123',
    cat: 'Aa',
    ven: ['STA', 'AQC'],
    zon: ['1', '2', '4'],
    ...overrides,
  };
}

function check(credential: unknown, overrides: Partial<VerifyOptions> = {}) {
  return verifyCredential(credential, { keys, revocations: new RevocationState(), venue: 'STA', zone: '2', at: AT, ...overrides });
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A credential with any header and claims, signed by `signer` (Ed25519) over exactly these bytes. */
function forge(header: unknown, payload: unknown, signer = key.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), signer).toString('base64url')}`;
}

/** The same credential with one bit of its signature flipped. */
function corrupt(credential: string): string {
  const [h, p, s] = credential.split('.');
  const bytes = Buffer.from(s!, 'base64url');
  bytes[10]! ^= 0x01;
  return `${h}.${p}.${bytes.toString('base64url')}`;
}

describe('verifyCredential', () => {
  it('allows a valid card at a granted venue and zone, with its card number', () => {
    expect(check(signCredential(claims(), key))).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
  });

  it('answers each reason of GATE_REASONS, in that precedence order', () => {
    expect(GATE_REASONS).toEqual([
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
    ]);
  });

  describe('malformed (before any key is looked at)', () => {
    const good = signCredential(claims(), key);
    const [h, p, s] = good.split('.');
    it.each<[string, unknown]>([
      ['not a string', 42],
      ['empty', ''],
      ['two parts', `${h}.${p}`],
      ['four parts', `${good}.${s}`],
      ['an empty payload', `${h}..${s}`],
      ['padding', `${h}.${p}=.${s}`],
      ['a character outside base64url', `${h}.${p!.slice(0, -1)}+.${s}`],
      ['a payload that is not JSON', `${h}.${b64('not json')}.${s}`],
      ['a signature that is not 64 bytes', `${h}.${p}.${s!.slice(0, -2)}`],
      ['a signature in non-canonical base64url (same bytes, other text)', `${h}.${p}.${s!.slice(0, -1)}${String.fromCharCode(s!.charCodeAt(85) + 1)}`],
      ['too long', `${h}.${b64('x'.repeat(20_000))}.${s}`],
    ])('%s', (_what, credential) => {
      expect(check(credential)).toEqual({ decision: 'deny', reason: 'malformed' });
    });

    it.each<[string, unknown]>([
      ['alg none', { alg: 'none', typ: 'JWT', kid: 'og2024-1' }],
      ['alg EdDSA in another case', { alg: 'eddsa', typ: 'JWT', kid: 'og2024-1' }],
      ['alg Ed25519 (not this format)', { alg: 'Ed25519', typ: 'JWT', kid: 'og2024-1' }],
      ['no kid', { alg: 'EdDSA', typ: 'JWT' }],
      ['a kid that is not a key id', { alg: 'EdDSA', typ: 'JWT', kid: 'og2024 1' }],
      ['no typ', { alg: 'EdDSA', kid: 'og2024-1' }],
      ['another typ', { alg: 'EdDSA', typ: 'at+jwt', kid: 'og2024-1' }],
      ['an embedded jwk', { alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1', jwk: publicJwk(key) }],
      ['crit', { alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1', crit: ['exp'] }],
      ['a header that is an array', ['EdDSA']],
    ])('a header with %s, even validly signed', (_what, header) => {
      expect(check(forge(header, claims()))).toEqual({ decision: 'deny', reason: 'malformed' });
    });

    it('a payload in non-canonical base64url (unused low bits set), even validly signed', () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // a JSON length that is not a multiple of 3 leaves unused bits in the last character
      const payload = [claims({ sub: 'a' }), claims({ sub: 'ab' }), claims({ sub: 'abc' })].map(b64).find((text) => text.length % 4 !== 0)!;
      const last = alphabet.indexOf(payload.at(-1)!);
      const nonCanonical = `${payload.slice(0, -1)}${alphabet[last ^ 1]}`;
      expect(Buffer.from(nonCanonical, 'base64url')).toEqual(Buffer.from(payload, 'base64url'));
      const input = `${b64({ alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1' })}.${nonCanonical}`;
      const credential = `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
      expect(check(credential)).toEqual({ decision: 'deny', reason: 'malformed' });
    });

    it('alg none with an empty signature', () => {
      expect(check(`${b64({ alg: 'none', typ: 'JWT', kid: 'og2024-1' })}.${b64(claims())}.`)).toEqual({ decision: 'deny', reason: 'malformed' });
    });

    it('HS256 keyed with the public key (algorithm confusion)', () => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'og2024-1' })}.${b64(claims())}`;
      const secret = Buffer.from(publicJwk(key).x, 'base64url');
      const credential = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect(check(credential)).toEqual({ decision: 'deny', reason: 'malformed' });
    });

    it.each<[string, unknown]>([
      ['an unknown claim (personal data)', { ...claims(), name: 'Jane Doe' }],
      ['a missing claim', { ...claims(), jti: undefined }],
      ['exp not after nbf', claims({ nbf: NOW, exp: NOW })],
      ['seconds with a fraction', claims({ exp: NOW + 0.5 })],
      ['ALL with another venue', claims({ ven: ['ALL', 'STA'] })],
      ['no zone', claims({ zon: [] })],
      ['a venue given twice', claims({ ven: ['STA', 'STA'] })],
      ['another issuer format', claims({ iss: 'https://evil.example' })],
      ['a payload that is a JSON array', [claims()]],
    ])('claims with %s, even validly signed', (_what, payload) => {
      expect(check(forge({ alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1' }, payload))).toEqual({ decision: 'deny', reason: 'malformed' });
    });
  });

  it('unknown-key: signed by a key the verifier does not know', () => {
    const stranger = generateSigningKey('og2024-9');
    expect(check(signCredential(claims(), stranger))).toEqual({ decision: 'deny', reason: 'unknown-key' });
  });

  it('bad-signature: re-signed with another key under a known kid', () => {
    const impostor = { kid: 'og2024-1', privateKey: generateKeyPairSync('ed25519').privateKey };
    expect(check(signCredential(claims({ ven: ['ALL'], zon: ['ALL'] }), impostor))).toEqual({ decision: 'deny', reason: 'bad-signature' });
  });

  it('bad-signature: a tampered payload, the card number never echoed', () => {
    const [h, , s] = signCredential(claims(), key).split('.');
    const tampered = `${h}.${b64(claims({ ven: ['ALL'], zon: ['ALL'], card: 'OG24-999999' }))}.${s}`;
    expect(check(tampered)).toEqual({ decision: 'deny', reason: 'bad-signature' });
  });

  it('bad-signature: a flipped signature bit', () => {
    expect(check(corrupt(signCredential(claims(), key)))).toEqual({ decision: 'deny', reason: 'bad-signature' });
  });

  describe('validity window, with the clock tolerance (default 30 s)', () => {
    const credential = signCredential(claims({ nbf: NOW + 100, exp: NOW + 200 }), key);
    const at = (seconds: number) => new Date((NOW + seconds) * 1000);
    it.each<[number, GateReason]>([
      [69, 'not-yet-valid'],
      [69.999, 'not-yet-valid'],
      [70, 'ok'],
      [229.999, 'ok'],
      [230, 'expired'],
    ])('at nbf/exp ± tolerance: %s s', (seconds, reason) => {
      expect(check(credential, { at: at(seconds) }).reason).toBe(reason);
    });
    it('with no tolerance, exp itself is expired and nbf itself valid', () => {
      expect(check(credential, { at: at(100), clockToleranceSeconds: 0 }).reason).toBe('ok');
      expect(check(credential, { at: at(99), clockToleranceSeconds: 0 }).reason).toBe('not-yet-valid');
      expect(check(credential, { at: at(200), clockToleranceSeconds: 0 }).reason).toBe('expired');
    });
    it('an expired card and a day pass not yet valid keep their card number', () => {
      expect(check(signCredential(claims({ nbf: NOW - 7200, exp: NOW - 3600 }), key))).toEqual({ decision: 'deny', reason: 'expired', cardNumber: 'OG24-000123' });
      expect(check(credential)).toEqual({ decision: 'deny', reason: 'not-yet-valid', cardNumber: 'OG24-000123' });
    });
  });

  describe('revocation list', () => {
    const credential = signCredential(claims(), key);
    const at = '2024-07-30T09:00:00Z';
    it('revoked: the credential (superseded by a new one of the same card)', () => {
      const revocations = new RevocationState();
      revocations.apply([{ seq: 1, at, kind: 'credential-revoked', jti: 'cred-0001', card: 'OG24-000123' }]);
      expect(check(credential, { revocations })).toEqual({ decision: 'deny', reason: 'revoked', cardNumber: 'OG24-000123' });
      expect(check(signCredential(claims({ jti: 'cred-0002' }), key), { revocations }).reason).toBe('ok');
    });
    it('suspended, then reinstated', () => {
      const revocations = new RevocationState();
      revocations.apply([{ seq: 1, at, kind: 'card-suspended', card: 'OG24-000123' }]);
      expect(check(credential, { revocations })).toEqual({ decision: 'deny', reason: 'suspended', cardNumber: 'OG24-000123' });
      revocations.apply([{ seq: 2, at, kind: 'card-reinstated', card: 'OG24-000123' }]);
      expect(check(credential, { revocations })).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
    });
    it('revoked: the card, every credential of it', () => {
      const revocations = new RevocationState();
      revocations.apply([{ seq: 1, at, kind: 'card-revoked', card: 'OG24-000123' }]);
      expect(check(credential, { revocations }).reason).toBe('revoked');
      expect(check(signCredential(claims({ jti: 'cred-0099' }), key), { revocations }).reason).toBe('revoked');
      expect(check(signCredential(claims({ card: 'OG24-000124' }), key), { revocations }).reason).toBe('ok');
    });
  });

  describe('venue and zone', () => {
    it('venue-not-granted and zone-not-granted', () => {
      const credential = signCredential(claims(), key);
      expect(check(credential, { venue: 'VEL' })).toEqual({ decision: 'deny', reason: 'venue-not-granted', cardNumber: 'OG24-000123' });
      expect(check(credential, { zone: '6' })).toEqual({ decision: 'deny', reason: 'zone-not-granted', cardNumber: 'OG24-000123' });
      expect(check(credential, { venue: 'AQC', zone: '4' }).reason).toBe('ok');
    });
    it('ALL grants every venue, or every zone (the zones apply in every granted venue)', () => {
      expect(check(signCredential(claims({ ven: ['ALL'] }), key), { venue: 'VEL', zone: '1' }).reason).toBe('ok');
      expect(check(signCredential(claims({ ven: ['ALL'] }), key), { venue: 'VEL', zone: '6' }).reason).toBe('zone-not-granted');
      expect(check(signCredential(claims({ zon: ['ALL'] }), key), { venue: 'AQC', zone: '6' }).reason).toBe('ok');
      expect(check(signCredential(claims({ zon: ['ALL'] }), key), { venue: 'VEL', zone: '6' }).reason).toBe('venue-not-granted');
    });
  });

  describe('upgrades (upg): venues and zones added for a window', () => {
    const H = 3_600;
    const upgraded = (upg: CredentialClaims['upg']) => signCredential(claims({ upg }), key);
    const at = (seconds: number) => new Date((NOW + seconds) * 1000);
    it('grant their venues and zones (the union with the card`s) inside their window only, with the tolerance', () => {
      const credential = upgraded([{ ven: ['VEL'], zon: ['6'], nbf: NOW + H, exp: NOW + 2 * H }]);
      expect(check(credential, { venue: 'VEL', zone: '6', at: at(H) })).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
      // the union: the upgrade's zone in a venue of the card, the card's zone in the upgrade's venue
      expect(check(credential, { venue: 'STA', zone: '6', at: at(H) }).reason).toBe('ok');
      expect(check(credential, { venue: 'VEL', zone: '1', at: at(H) }).reason).toBe('ok');
      expect(check(credential, { venue: 'VEL', zone: '6', at: at(H - 31) }).reason).toBe('venue-not-granted');
      expect(check(credential, { venue: 'VEL', zone: '6', at: at(H - 30) }).reason).toBe('ok');
      expect(check(credential, { venue: 'STA', zone: '6', at: at(2 * H + 29) }).reason).toBe('ok');
      expect(check(credential, { venue: 'STA', zone: '6', at: at(2 * H + 30) }).reason).toBe('zone-not-granted');
      expect(check(credential, { venue: 'STA', zone: '6', at: at(2 * H), clockToleranceSeconds: 0 }).reason).toBe('zone-not-granted');
      // outside the window the card is what it was
      expect(check(credential, { venue: 'STA', zone: '2', at: at(3 * H) }).reason).toBe('ok');
    });
    it('several windows, ALL, a zone-only upgrade; the revocation list still beats them', () => {
      const credential = upgraded([
        { ven: [], zon: ['VIP'], nbf: NOW - H, exp: NOW + H },
        { ven: ['ALL'], zon: [], nbf: NOW + H, exp: NOW + 2 * H },
      ]);
      expect(check(credential, { venue: 'AQC', zone: 'VIP' }).reason).toBe('ok');
      expect(check(credential, { venue: 'VEL', zone: 'VIP' }).reason).toBe('venue-not-granted');
      expect(check(credential, { venue: 'VEL', zone: '1', at: at(H + 10) }).reason).toBe('ok');
      expect(check(credential, { venue: 'VEL', zone: 'VIP', at: at(H + 10) }).reason).toBe('ok'); // both windows hold (tolerance)
      expect(check(credential, { venue: 'VEL', zone: 'VIP', at: at(H + 31) }).reason).toBe('zone-not-granted');
      const revocations = new RevocationState();
      revocations.apply([{ seq: 1, at: '2024-07-30T09:00:00Z', kind: 'card-suspended', card: 'OG24-000123' }]);
      expect(check(credential, { venue: 'AQC', zone: 'VIP', revocations }).reason).toBe('suspended');
    });
    it.each<[string, unknown]>([
      ['empty', []],
      ['an upgrade that adds nothing', [{ ven: [], zon: [], nbf: NOW, exp: NOW + 1 }]],
      ['a window that ends before it starts', [{ ven: ['VEL'], zon: [], nbf: NOW, exp: NOW }]],
      ['a window before the card`s', [{ ven: ['VEL'], zon: [], nbf: NOW - 3_601, exp: NOW }]],
      ['a window after the card`s', [{ ven: ['VEL'], zon: [], nbf: NOW, exp: NOW + 30 * 86_400 + 1 }]],
      ['ALL with another code', [{ ven: ['ALL', 'VEL'], zon: [], nbf: NOW, exp: NOW + 1 }]],
      ['an unknown member', [{ ven: ['VEL'], zon: [], nbf: NOW, exp: NOW + 1, name: 'x' }]],
      ['too many', Array.from({ length: 17 }, () => ({ ven: ['VEL'], zon: [], nbf: NOW, exp: NOW + 1 }))],
    ])('malformed: upg %s, even validly signed', (_what, upg) => {
      expect(check(forge({ alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1' }, { ...claims(), upg }))).toEqual({ decision: 'deny', reason: 'malformed' });
      expect(() => signCredential({ ...claims(), upg } as CredentialClaims, key)).toThrow(TypeError);
    });
    it('property: the venue and zone decision is the union of the card and the upgrades whose window holds at (500 seeded cases)', () => {
      const rnd = seededRandom(13);
      const VENUES = ['STA', 'AQC', 'VEL', 'CDM'];
      const ZONES = ['1', '2', '4', '6'];
      const pick = (codes: string[]) => codes.filter(() => rnd() < 0.4);
      for (let i = 0; i < 500; i++) {
        const upg = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
          const nbf = NOW - 3_600 + Math.floor(rnd() * 7_200);
          let ven = pick(VENUES);
          const zon = pick(ZONES);
          if (ven.length + zon.length === 0) ven = ['VEL'];
          return { ven, zon, nbf, exp: nbf + 1 + Math.floor(rnd() * 3_600) };
        });
        const base = { ven: ['STA'], zon: ['1'] };
        const credential = signCredential(claims({ ...base, upg }), key);
        const at = NOW - 3_600 + Math.floor(rnd() * 9_000);
        const venue = VENUES[Math.floor(rnd() * VENUES.length)]!;
        const zone = ZONES[Math.floor(rnd() * ZONES.length)]!;
        const active = upg.filter((u) => u.nbf <= at + 30 && u.exp > at - 30);
        const venues = new Set([...base.ven, ...active.flatMap((u) => u.ven)]);
        const zones = new Set([...base.zon, ...active.flatMap((u) => u.zon)]);
        const model: GateReason = !venues.has(venue) ? 'venue-not-granted' : !zones.has(zone) ? 'zone-not-granted' : 'ok';
        expect([i, check(credential, { venue, zone, at: new Date(at * 1000) }).reason]).toEqual([i, model]);
      }
    });
    it('a credential without upgrades is byte for byte what it was (no upg claim)', () => {
      const [, payload] = signCredential(claims(), key).split('.');
      expect(Object.keys(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object)).not.toContain('upg');
    });
  });

  it('precedence: the first reason that applies is answered', () => {
    const revocations = new RevocationState();
    revocations.apply([
      { seq: 1, at: '2024-07-30T09:00:00Z', kind: 'credential-revoked', jti: 'cred-0001' },
      { seq: 2, at: '2024-07-30T09:00:00Z', kind: 'card-suspended', card: 'OG24-000123' },
    ]);
    const everything = (c: Partial<CredentialClaims>) => signCredential(claims({ ven: ['VEL'], zon: ['6'], ...c }), key);
    const options = { revocations, venue: 'STA', zone: '2' };
    // expired and not yet valid cannot both hold; each beats the revocation list, the venue and the zone
    expect(check(everything({ nbf: NOW + 3600, exp: NOW + 7200 }), options).reason).toBe('not-yet-valid');
    expect(check(everything({ nbf: NOW - 7200, exp: NOW - 3600 }), options).reason).toBe('expired');
    expect(check(everything({}), options).reason).toBe('revoked');
    expect(check(everything({ jti: 'cred-0002' }), options).reason).toBe('suspended');
    expect(check(everything({ jti: 'cred-0002' }), { venue: 'STA', zone: '2' }).reason).toBe('venue-not-granted');
    // a known kid with a bad signature beats the claims; an unknown kid beats a bad signature; malformed beats all
    const impostor = generateKeyPairSync('ed25519').privateKey;
    const header = (kid: string) => ({ alg: 'EdDSA', typ: 'JWT', kid });
    const expiredEverywhere = claims({ ven: ['VEL'], zon: ['6'], nbf: NOW - 7200, exp: NOW - 3600 });
    expect(check(forge(header('og2024-1'), expiredEverywhere, impostor), options).reason).toBe('bad-signature');
    expect(check(corrupt(forge(header('og2024-9'), expiredEverywhere, impostor)), options).reason).toBe('unknown-key');
    expect(check(corrupt(forge(header('og2024-9'), { ...expiredEverywhere, extra: 1 }, impostor)), options).reason).toBe('malformed');
  });

  it('key rotation: credentials of the old and the new key verify while both are in the set', () => {
    const next = generateSigningKey('og2024-2');
    const publicOnly = { kid: key.kid, publicKey: keys.get(key.kid)! };
    const rotated = importJwkSet(jwkSetOf([next, publicOnly]));
    expect(check(signCredential(claims(), key), { keys: rotated }).reason).toBe('ok');
    expect(check(signCredential(claims(), next), { keys: rotated }).reason).toBe('ok');
    expect(check(signCredential(claims(), next)).reason).toBe('unknown-key');
  });

  it('takes the JWK Set itself (imported once per object) as well as imported keys', () => {
    const set = jwkSetOf([key]);
    expect(check(signCredential(claims(), key), { keys: set }).reason).toBe('ok');
    expect(check(signCredential(claims(), key), { keys: set }).reason).toBe('ok');
    expect(check(signCredential(claims(), key), { keys: jwkSetOf([generateSigningKey('og2024-1')]) }).reason).toBe('bad-signature');
  });

  it('refuses options that are not valid (a programming error, not a credential)', () => {
    const credential = signCredential(claims(), key);
    expect(() => check(credential, { venue: 'ALL' })).toThrow(TypeError);
    expect(() => check(credential, { zone: 'ALL' })).toThrow(TypeError);
    expect(() => check(credential, { venue: 'sta' })).toThrow(TypeError);
    expect(() => check(credential, { at: new Date('not a date') })).toThrow(TypeError);
    expect(() => check(credential, { clockToleranceSeconds: -1 })).toThrow(TypeError);
  });

  it('a standard JOSE library (jose: jwtVerify with createLocalJWKSet) verifies what signCredential signs', async () => {
    const credential = signCredential(claims(), key);
    const { payload, protectedHeader } = await jwtVerify(credential, createLocalJWKSet(jwkSetOf([key])), {
      algorithms: ['EdDSA'],
      issuer: 'podium-accreditation/OG2024',
      typ: 'JWT',
      currentDate: AT,
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'og2024-1' });
    expect(payload).toEqual(claims());
  });

  it('property: no change of one character of a valid credential is ever allowed (2,000 seeded cases)', () => {
    const rnd = seededRandom(11);
    const credential = signCredential(claims({ ven: ['ALL'], zon: ['ALL'] }), key);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    const seen = new Set<GateReason>();
    for (let i = 0; i < 2000; i++) {
      const position = Math.floor(rnd() * credential.length);
      const replacement = alphabet[Math.floor(rnd() * alphabet.length)]!;
      if (credential[position] === replacement) continue;
      const changed = credential.slice(0, position) + replacement + credential.slice(position + 1);
      const result = check(changed);
      expect({ i, changed, ...result }).toEqual({ i, changed, decision: 'deny', reason: expect.stringMatching(/^(malformed|unknown-key|bad-signature)$/) });
      expect(result.cardNumber).toBeUndefined();
      seen.add(result.reason);
    }
    expect([...seen].sort()).toEqual(['bad-signature', 'malformed', 'unknown-key']);
  });

  it('property: the time decision is jose jwtVerify`s with the same clockTolerance (500 seeded cases)', async () => {
    const rnd = seededRandom(7);
    const jwks = createLocalJWKSet(jwkSetOf([key]));
    for (let i = 0; i < 500; i++) {
      const nbf = NOW + Math.floor(rnd() * 200) - 100;
      const exp = nbf + 1 + Math.floor(rnd() * 100);
      const tolerance = Math.floor(rnd() * 3) * 30;
      const at = new Date((NOW + Math.floor(rnd() * 4000) / 10 - 200) * 1000);
      const credential = signCredential(claims({ nbf, exp }), key);
      const ours = check(credential, { at, clockToleranceSeconds: tolerance }).reason;
      const theirs = await jwtVerify(credential, jwks, { algorithms: ['EdDSA'], currentDate: at, clockTolerance: tolerance }).then(
        () => 'ok',
        (error: { code?: string; claim?: string }) => (error.code === 'ERR_JWT_EXPIRED' ? 'expired' : error.claim === 'nbf' ? 'not-yet-valid' : `other: ${error.code}`),
      );
      expect({ i, nbf, exp, tolerance, at: at.toISOString(), reason: ours }).toEqual({ i, nbf, exp, tolerance, at: at.toISOString(), reason: theirs });
    }
  });
});

describe('checkCredential', () => {
  const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({ keys, revocations: new RevocationState(), venue: 'STA', zone: '2', at: AT, ...overrides });

  it("says the credential's jti once its signature verified, whatever the decision, with verifyCredential's decision", () => {
    const credential = signCredential(claims({ jti: 'cred-77' }), key);
    const revoked = new RevocationState();
    revoked.apply([{ seq: 1, at: AT.toISOString(), kind: 'credential-revoked', jti: 'cred-77' }]);
    for (const overrides of [{}, { zone: '6' }, { venue: 'VEL' }, { revocations: revoked }, { at: new Date((NOW + 90 * 86_400) * 1000) }] as Partial<VerifyOptions>[]) {
      const result = checkCredential(credential, options(overrides));
      expect(result.credentialId).toBe('cred-77');
      expect(result.decision).toEqual(verifyCredential(credential, options(overrides)));
    }
    // through the cache of verified credentials too, found or not
    const verified = new VerifiedCredentials({ maxBytes: 1_000_000 });
    expect(checkCredential(credential, options({ verified })).credentialId).toBe('cred-77');
    expect(checkCredential(credential, options({ verified })).credentialId).toBe('cred-77');
    expect(verified.stats.hits).toBe(1);
  });

  it('says no id for a credential whose signature did not verify: malformed, unknown key, bad signature (its claims are anybody\'s)', () => {
    const stranger = generateSigningKey('stranger');
    const cases: [unknown, GateReason][] = [
      ['x.y.z', 'malformed'],
      [42, 'malformed'],
      [signCredential(claims({ jti: 'cred-0001' }), stranger), 'unknown-key'],
      [corrupt(signCredential(claims(), key)), 'bad-signature'],
      [signCredential(claims(), generateSigningKey('og2024-1')), 'bad-signature'],
    ];
    for (const [credential, reason] of cases) {
      expect(checkCredential(credential, options())).toEqual({ decision: { decision: 'deny', reason }, credentialId: null });
    }
  });
});
