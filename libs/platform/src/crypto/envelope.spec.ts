import { randomBytes } from 'node:crypto';

import { EnvelopeCipher, EnvelopeError, type Sealed } from './envelope';
import { type KeyRing, parseKeyRing } from './key-ring';

const key = () => randomBytes(32);
const ring = (current: string, keys: Record<string, Buffer>): KeyRing => ({ current, keys: new Map(Object.entries(keys)) });
const ringJson = (current: string, keys: Record<string, Buffer>) =>
  JSON.stringify({ current, keys: Object.fromEntries(Object.entries(keys).map(([kid, bytes]) => [kid, bytes.toString('base64')])) });

/** Flips one bit of a copy of `bytes` at `index` (negative: from the end). */
function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

function errorOf(fn: () => unknown): EnvelopeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError, nothing was thrown');
}

describe('envelope encryption (AES-256-GCM data keys wrapped by a key ring)', () => {
  const k1 = key();
  const k2 = key();
  const cipher = new EnvelopeCipher(ring('k1', { k1 }));

  it('seals and opens, with a fresh data key and IV each time, and no plaintext in the stored bytes', () => {
    const a = cipher.seal('P1234567', 'application:1');
    const b = cipher.seal('P1234567', 'application:1');
    expect(a.kid).toBe('k1');
    expect(cipher.open(a, 'application:1').toString('utf8')).toBe('P1234567');
    expect(cipher.open(b, 'application:1').toString('utf8')).toBe('P1234567');
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(Buffer.from(a.wrappedKey).equals(Buffer.from(b.wrappedKey))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes('P1234567')).toBe(false);
    expect(a.wrappedKey.byteLength).toBe(1 + 12 + 32 + 16);
    expect(cipher.openJson(cipher.sealJson({ passportNumber: 'X1', photoReference: null }, 'c'), 'c')).toEqual({ passportNumber: 'X1', photoReference: null });
  });

  it('refuses a tampered ciphertext or wrapped key, and a value moved to another record (context)', () => {
    const sealed = cipher.seal('P1234567', 'application:1');
    for (const index of [1, 13, -1, -17]) {
      expect(errorOf(() => cipher.open({ ...sealed, ciphertext: flip(sealed.ciphertext, index) }, 'application:1')).code).toBe('authentication-failed');
      expect(errorOf(() => cipher.open({ ...sealed, wrappedKey: flip(sealed.wrappedKey, index) }, 'application:1')).code).toBe('authentication-failed');
    }
    const moved = errorOf(() => cipher.open(sealed, 'application:2'));
    expect(moved.code).toBe('authentication-failed');
    expect(moved.message).toContain('application:2');
    // The data key of one record with the ciphertext of another: the data's authentication fails.
    const other = cipher.seal('Q7654321', 'application:1');
    expect(errorOf(() => cipher.open({ ...sealed, ciphertext: other.ciphertext }, 'application:1')).code).toBe('authentication-failed');
    expect(errorOf(() => cipher.open({ ...sealed, ciphertext: sealed.ciphertext.subarray(0, 20) }, 'application:1')).code).toBe('malformed');
    expect(errorOf(() => cipher.open({ ...sealed, wrappedKey: sealed.wrappedKey.subarray(1) }, 'application:1')).code).toBe('malformed');
  });

  it('says clearly when the key id is unknown, and refuses a key id relabelled to another key', () => {
    const sealed = cipher.seal('P1234567', 'application:1');
    const unknown = errorOf(() => cipher.open({ ...sealed, kid: 'k0' }, 'application:1'));
    expect(unknown.code).toBe('unknown-key');
    expect(unknown.kid).toBe('k0');
    expect(unknown.message).toContain("key-encryption key 'k0', which is not in the key ring (readable: k1)");
    // Relabelled to a key that exists: the wrap is bound to its key id (and the key is another anyway).
    const both = new EnvelopeCipher(ring('k1', { k1, k2 }));
    expect(errorOf(() => both.open({ ...sealed, kid: 'k2' }, 'application:1')).code).toBe('authentication-failed');
    // Never the key or the plaintext in a message.
    for (const error of [unknown, errorOf(() => both.open({ ...sealed, kid: 'k2' }, 'application:1'))]) {
      expect(error.message).not.toContain('P1234567');
      expect(error.message).not.toContain(k1.toString('base64'));
    }
  });

  it('rotates: a new current key wraps new data keys, old values stay readable and are re-wrapped without touching their ciphertext', () => {
    const old = cipher.seal('P1234567', 'application:1');
    const rotated = new EnvelopeCipher(ring('k2', { k1, k2 }));
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.open(old, 'application:1').toString()).toBe('P1234567');
    expect(rotated.seal('N1', 'application:3').kid).toBe('k2');

    const rewrapped: Sealed = rotated.rewrap(old, 'application:1');
    expect(rewrapped.kid).toBe('k2');
    expect(Buffer.from(rewrapped.ciphertext).equals(Buffer.from(old.ciphertext))).toBe(true);
    expect(Buffer.from(rewrapped.wrappedKey).equals(Buffer.from(old.wrappedKey))).toBe(false);
    expect(rotated.rewrap(rewrapped, 'application:1')).toBe(rewrapped);

    // Once k1 is removed, the re-wrapped value still opens; the one left behind does not, and says why.
    const k2only = new EnvelopeCipher(ring('k2', { k2 }));
    expect(k2only.open(rewrapped, 'application:1').toString()).toBe('P1234567');
    expect(errorOf(() => k2only.open(old, 'application:1')).code).toBe('unknown-key');
    expect(errorOf(() => k2only.rewrap(old, 'application:1')).code).toBe('unknown-key');
    // A re-wrap for another record fails instead of producing a wrapped key that would never open.
    expect(errorOf(() => rotated.rewrap(old, 'application:2')).code).toBe('authentication-failed');
  });

  it('refuses a key ring whose current key is not one of its keys', () => {
    expect(() => new EnvelopeCipher(ring('k9', { k1 }))).toThrow('the current key k9');
  });
});

describe('key ring JSON ({"current": kid, "keys": {kid: base64 32 bytes}})', () => {
  it('reads several keys and the current one', () => {
    const k1 = key();
    const parsed = parseKeyRing(ringJson('k2', { k1, k2: key() }));
    expect(parsed.current).toBe('k2');
    expect([...parsed.keys.keys()]).toEqual(['k1', 'k2']);
    expect(parsed.keys.get('k1')?.equals(k1)).toBe(true);
  });

  it.each([
    ['not JSON', 'nope', 'must be JSON'],
    ['no keys', JSON.stringify({ current: 'a', keys: {} }), 'needs at least one key'],
    ['an unknown field', JSON.stringify({ current: 'a', keys: { a: randomBytes(32).toString('base64') }, extra: 1 }), 'Unrecognized key'],
    ['a short key', JSON.stringify({ current: 'a', keys: { a: randomBytes(16).toString('base64') } }), 'key a must be the base64 of exactly 32 random bytes'],
    ['a key that is not base64', JSON.stringify({ current: 'a', keys: { a: '!'.repeat(44) } }), 'key a must be the base64'],
    ['a bad key id', JSON.stringify({ current: 'a', keys: { 'a b': randomBytes(32).toString('base64') } }), "key id 'a b'"],
    ['a current key that is missing', JSON.stringify({ current: 'b', keys: { a: randomBytes(32).toString('base64') } }), 'the current key b must be one of the keys (a)'],
  ])('refuses %s, saying why and never printing a key', (_, text, message) => {
    let thrown: Error | undefined;
    try {
      parseKeyRing(text);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toContain(message);
    const keys = (JSON.parse(text.startsWith('{') ? text : '{}') as { keys?: Record<string, string> }).keys ?? {};
    for (const value of Object.values(keys)) expect(thrown?.message).not.toContain(value);
  });
});
