export { EnvelopeCipher, EnvelopeError, type EnvelopeErrorCode, type Sealed } from './envelope';
export { KEY_BYTES, type KeyRing, keyRingSchema, parseKeyRing } from './key-ring';
