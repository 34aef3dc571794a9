import { Module } from '@nestjs/common';
import { CONFIG, EnvelopeCipher } from '@podium/platform';

import { type AccreditationConfig, dataKeysOf } from '../app/config';

/**
 * The personal data's EnvelopeCipher, from ACCREDITATION_DATA_KEYS (the dev key only with PODIUM_LOCAL_DEV). Its own
 * module, so that applications (which seal at submission and open for GET) and personal-data (export, erasure,
 * re-wrap) share it without importing each other.
 */
@Module({
  providers: [{ provide: EnvelopeCipher, inject: [CONFIG], useFactory: (config: AccreditationConfig) => new EnvelopeCipher(dataKeysOf(config)) }],
  exports: [EnvelopeCipher],
})
export class PersonalDataCipherModule {}
