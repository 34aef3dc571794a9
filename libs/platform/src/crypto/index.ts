export { EnvelopeCipher, EnvelopeError, type EnvelopeErrorCode, type Sealed } from './envelope';
export { KEY_BYTES, type KeyRing, keyRingSchema, parseKeyRing } from './key-ring';
export {
  NO_PERSONAL_COLUMNS,
  openPersonalColumns,
  type PersonalColumns,
  sealedOfColumns,
  sealPersonalColumns,
} from './personal-columns';
export { prismaRewrapTable, rewrapPersonalColumns, type RewrapResult, type RewrapTable, type SealedRowsModel } from './rewrap';
export { erasureRequestSchema, rewrapRequestSchema } from './personal-data-requests';
