import { type CredentialClaims } from './claims';
import { generateSigningKey, importJwkSet, type JwkSet, jwkSetOf } from './keys';
import { RefreshingKeys } from './refreshing-keys';
import { RevocationState } from './revocations';
import { signCredential } from './sign';
import { VerifiedCredentials } from './verified-cache';

const AT = new Date('2024-07-30T10:00:00Z');
const NOW = AT.getTime() / 1000;
const old = generateSigningKey('og2024-1');
const next = generateSigningKey('og2024-2');

const claims = (jti = 'cred-1'): CredentialClaims => ({
  iss: 'podium-accreditation/OG2024',
  sub: 'acc-1',
  jti,
  iat: NOW - 60,
  nbf: NOW - 3_600,
  exp: NOW + 86_400,
  card: 'OG24-000123',
  cat: 'Aa',
  ven: ['STA'],
  zon: ['1'],
});
const gate = { revocations: new RevocationState(), venue: 'STA', zone: '1', at: AT };

/** A fetch function answering `sets()` (a set, or an Error to reject with), counting its calls; a clock to move by hand. */
function service(sets: () => JwkSet | Error) {
  const calls = { n: 0 };
  const fetch = jest.fn(async () => {
    calls.n++;
    const answer = sets();
    if (answer instanceof Error) throw answer;
    return structuredClone(answer);
  });
  return { fetch, calls };
}

describe('RefreshingKeys', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('picks up a rotation: a credential of the new kid is unknown-key, the set is refetched, and it is allowed', async () => {
    let published = jwkSetOf([old]);
    const { fetch } = service(() => published);
    const keys = new RefreshingKeys({ fetch, initial: jwkSetOf([old]), now });
    expect(await keys.verify(signCredential(claims(), old), gate)).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
    expect(fetch).not.toHaveBeenCalled();

    published = jwkSetOf([next, old]); // the service rotated
    const fresh = signCredential(claims('cred-2'), next);
    expect(await keys.check(fresh, gate)).toEqual({ decision: { decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' }, credentialId: 'cred-2' });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(keys.keys.kids.sort()).toEqual(['og2024-1', 'og2024-2']);
    // known now: no more fetches
    expect((await keys.verify(fresh, gate)).reason).toBe('ok');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('stays unknown-key when the kid is still unknown after the refetch, and a dropped key is dropped here too', async () => {
    const { fetch } = service(() => jwkSetOf([next]));
    const keys = new RefreshingKeys({ fetch, initial: jwkSetOf([old]), now });
    const stranger = signCredential(claims(), generateSigningKey('stranger'));
    expect(await keys.check(stranger, gate)).toEqual({ decision: { decision: 'deny', reason: 'unknown-key' }, credentialId: null });
    expect(fetch).toHaveBeenCalledTimes(1);
    // og2024-1 left the service's set (compromised): its credentials are unknown-key from now on
    expect((await keys.verify(signCredential(claims(), old), gate)).reason).toBe('unknown-key');
  });

  it('holds the rate limit under 1,000 forged kids: one fetch per interval, concurrent checks share it', async () => {
    let release: () => void = () => undefined;
    const gateOpen = new Promise<void>((resolve) => (release = resolve));
    const fetch = jest.fn(async () => {
      await gateOpen;
      return jwkSetOf([old]);
    });
    const keys = new RefreshingKeys({ fetch, initial: jwkSetOf([old]), now, refetchIntervalMs: 30_000 });
    const forged = Array.from({ length: 1_000 }, (_, i) => signCredential(claims(`f-${i}`), generateSigningKey(`forged-${i}`)));
    // 500 at once while the first fetch is running: they wait for that one fetch
    const concurrent = Promise.all(forged.slice(0, 500).map((c) => keys.verify(c, gate)));
    release();
    expect((await concurrent).every((d) => d.reason === 'unknown-key')).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
    // 500 more, one after the other, within the interval: no fetch
    clock += 29_999;
    for (const c of forged.slice(500)) expect((await keys.verify(c, gate)).reason).toBe('unknown-key');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(keys.fetchCount).toBe(1);
    // once the interval has passed: one more
    clock += 1;
    for (const c of forged.slice(0, 100)) expect((await keys.verify(c, gate)).reason).toBe('unknown-key');
    expect(fetch).toHaveBeenCalledTimes(2);
    // the valid ones go on without a fetch
    expect((await keys.verify(signCredential(claims(), old), gate)).reason).toBe('ok');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('keeps the old keys and answers unknown-key when the fetch fails (rejected, not a JWK Set, a key with its private part, a timeout); never throws', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const answers: (() => Promise<unknown>)[] = [
        () => Promise.reject(new Error('ECONNREFUSED')),
        () => Promise.resolve({ nope: true }),
        () => Promise.resolve({ keys: [{ ...jwkSetOf([next]).keys[0], d: 'AAAA' }] }),
        () => {
          throw new Error('thrown at once');
        },
        () => new Promise(() => undefined), // never answers
      ];
      let call = 0;
      const errors: unknown[] = [];
      const keys = new RefreshingKeys({ fetch: () => answers[call++]!(), initial: jwkSetOf([old]), now, refetchIntervalMs: 1_000, fetchTimeoutMs: 2_000, onFetchError: (e) => errors.push(e) });
      const before = keys.keys;
      const fresh = signCredential(claims(), next);
      for (let i = 0; i < answers.length; i++) {
        clock += 1_000;
        const pending = keys.check(fresh, gate);
        await jest.advanceTimersByTimeAsync(2_000);
        expect(await pending).toEqual({ decision: { decision: 'deny', reason: 'unknown-key' }, credentialId: null });
        expect(keys.keys).toBe(before);
        expect((await keys.verify(signCredential(claims(), old), gate)).reason).toBe('ok');
      }
      expect(call).toBe(answers.length);
      expect(errors).toHaveLength(answers.length);
      expect(String(errors.at(-1))).toContain('did not arrive within 2000 ms');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refresh() fetches whatever the interval and says what it did; checks decide at one instant and use the verified cache', async () => {
    let published: JwkSet | Error = new Error('offline');
    const { fetch } = service(() => published);
    const keys = new RefreshingKeys({ fetch, now });
    expect(keys.keys.kids).toEqual([]);
    expect(await keys.refresh()).toBe('failed');
    published = jwkSetOf([old]);
    expect(await keys.refresh()).toBe('updated');
    expect(fetch).toHaveBeenCalledTimes(2);
    const verified = new VerifiedCredentials({ maxBytes: 100_000 });
    const credential = signCredential(claims(), old);
    await keys.verify(credential, { ...gate, verified });
    expect(await keys.verify(credential, { ...gate, verified })).toEqual({ decision: 'allow', reason: 'ok', cardNumber: 'OG24-000123' });
    expect(verified.stats.hits).toBe(1);
    // a refetch keeps the KeyObject of an unchanged kid: the verified credentials are still found
    published = jwkSetOf([next, old]);
    expect(await keys.verify(signCredential(claims(), next), gate)).toMatchObject({ reason: 'unknown-key' }); // fetched < 30 s ago
    clock += 30_000;
    expect(await keys.verify(signCredential(claims(), next), gate)).toMatchObject({ reason: 'ok' });
    expect(keys.keys.kids.sort()).toEqual(['og2024-1', 'og2024-2']);
    expect(await keys.verify(credential, { ...gate, verified })).toMatchObject({ reason: 'ok' });
    expect(verified.stats.hits).toBe(2);
    // the instance imported from VerificationKeys as well as from a set
    expect(new RefreshingKeys({ fetch, initial: importJwkSet(jwkSetOf([old])) }).keys.kids).toEqual(['og2024-1']);
    expect(() => new RefreshingKeys({ fetch, refetchIntervalMs: -1 })).toThrow(TypeError);
  });
});
