import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { KEY_BYTES, type KeyRing } from './key-ring';

/**
 * Envelope encryption of personal data at rest (AES-256-GCM twice):
 * - each sealed value gets a fresh random data key (DEK) that encrypts it;
 * - the DEK is stored wrapped (encrypted) by a key-encryption key (KEK) of the service's key ring, with the KEK's id.
 * Rotating the KEK re-wraps the small DEKs only (the data's ciphertext stays as it is); reading needs the KEK whose id
 * is stored, so several KEKs stay readable while one wraps new data keys.
 *
 * Both are bound to a `context` (authenticated, not stored), e.g. `application:<id>`: a ciphertext or wrapped key
 * copied to another record does not open there. The KEK id is bound to the wrapped key too.
 *
 * Stored form (three columns): `kid` (text), `wrappedKey` (bytes: version 1 | iv 12 | encrypted DEK 32 | tag 16),
 * `ciphertext` (bytes: version 1 | iv 12 | encrypted data | tag 16).
 */
export interface Sealed {
  /** Id of the KEK that wrapped the data key. */
  readonly kid: string;
  readonly wrappedKey: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export type EnvelopeErrorCode = 'unknown-key' | 'authentication-failed' | 'malformed';

/** Why a sealed value could not be opened or re-wrapped. Its message never holds key material or plaintext. */
export class EnvelopeError extends Error {
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
    readonly kid?: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_KEY_BYTES = 1 + IV_BYTES + KEY_BYTES + TAG_BYTES;

function encrypt(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]);
}

/** Decrypts, or returns undefined when the authentication fails (wrong key, tampered bytes or wrong context). */
function decrypt(key: Buffer, sealed: Uint8Array, aad: string): Buffer | undefined {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

const wrapAad = (kid: string, context: string) => `podium-envelope/v1 key ${kid} ${context}`;
const dataAad = (context: string) => `podium-envelope/v1 data ${context}`;

/** Seals, opens and re-wraps values with a service's {@link KeyRing}. */
export class EnvelopeCipher {
  constructor(private readonly ring: KeyRing) {
    const current = ring.keys.get(ring.current);
    if (current?.length !== KEY_BYTES) throw new Error(`the current key ${ring.current} must be one of the key ring's ${KEY_BYTES}-byte keys`);
  }

  /** Id of the KEK that wraps new data keys. */
  get currentKid(): string {
    return this.ring.current;
  }

  /** Ids of every KEK this cipher can unwrap with. */
  get readableKids(): string[] {
    return [...this.ring.keys.keys()];
  }

  /** Encrypts `plaintext` under a fresh data key, wrapped by the current KEK; both bound to `context`. */
  seal(plaintext: Uint8Array | string, context: string): Sealed {
    const dek = randomBytes(KEY_BYTES);
    try {
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      return { kid: this.ring.current, wrappedKey: this.wrap(dek, this.ring.current, context), ciphertext: encrypt(dek, data, dataAad(context)) };
    } finally {
      dek.fill(0);
    }
  }

  /** The plaintext of a sealed value; an {@link EnvelopeError} when its KEK is unknown, or it was tampered with. */
  open(sealed: Sealed, context: string): Buffer {
    if (sealed.ciphertext.byteLength < 1 + IV_BYTES + TAG_BYTES || sealed.ciphertext[0] !== VERSION) {
      throw new EnvelopeError('malformed', `ciphertext of ${context}: not an envelope v${VERSION} ciphertext`, sealed.kid);
    }
    const dek = this.unwrap(sealed, context);
    try {
      const plaintext = decrypt(dek, sealed.ciphertext, dataAad(context));
      if (!plaintext) throw new EnvelopeError('authentication-failed', `ciphertext of ${context}: authentication failed (tampered, or not sealed for this record)`, sealed.kid);
      return plaintext;
    } finally {
      dek.fill(0);
    }
  }

  sealJson(value: unknown, context: string): Sealed {
    return this.seal(JSON.stringify(value), context);
  }

  openJson(sealed: Sealed, context: string): unknown {
    return JSON.parse(this.open(sealed, context).toString('utf8')) as unknown;
  }

  /** True when the data key is wrapped by the current KEK (nothing to re-wrap). */
  isCurrent(sealed: Pick<Sealed, 'kid'>): boolean {
    return sealed.kid === this.ring.current;
  }

  /**
   * The same sealed value with its data key wrapped by the current KEK instead (rotation). The ciphertext is not
   * touched, and neither it nor the plaintext is read; an {@link EnvelopeError} when the old KEK is unknown or the
   * wrapped key was tampered with.
   */
  rewrap(sealed: Sealed, context: string): Sealed {
    if (this.isCurrent(sealed)) return sealed;
    const dek = this.unwrap(sealed, context);
    try {
      return { kid: this.ring.current, wrappedKey: this.wrap(dek, this.ring.current, context), ciphertext: sealed.ciphertext };
    } finally {
      dek.fill(0);
    }
  }

  private wrap(dek: Buffer, kid: string, context: string): Buffer {
    const kek = this.ring.keys.get(kid);
    if (!kek) throw new EnvelopeError('unknown-key', `no key-encryption key ${kid} in the key ring`, kid);
    return encrypt(kek, dek, wrapAad(kid, context));
  }

  private unwrap(sealed: Sealed, context: string): Buffer {
    const kek = this.ring.keys.get(sealed.kid);
    if (!kek) {
      throw new EnvelopeError(
        'unknown-key',
        `the data key of ${context} is wrapped by key-encryption key '${sealed.kid}', which is not in the key ring (readable: ${this.readableKids.join(', ')}): was it removed before every row was re-wrapped?`,
        sealed.kid,
      );
    }
    if (sealed.wrappedKey.byteLength !== WRAPPED_KEY_BYTES || sealed.wrappedKey[0] !== VERSION) {
      throw new EnvelopeError('malformed', `wrapped data key of ${context}: not an envelope v${VERSION} wrapped key`, sealed.kid);
    }
    const dek = decrypt(kek, sealed.wrappedKey, wrapAad(sealed.kid, context));
    if (!dek) throw new EnvelopeError('authentication-failed', `wrapped data key of ${context}: authentication failed under key-encryption key '${sealed.kid}' (tampered, or not wrapped for this record)`, sealed.kid);
    return dek;
  }
}
