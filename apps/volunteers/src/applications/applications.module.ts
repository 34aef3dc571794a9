import { Module } from '@nestjs/common';
import { CONFIG, EnvelopeCipher } from '@podium/platform';

import { dataKeysOf, duplicateSecretOf, type VolunteersConfig } from '../app/config';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService, DUPLICATE_SECRET } from './applications.service';

/**
 * Applications: the one way one is created (the portal's form, the recruiters' bulk path), the status token lookup, the
 * recruiter's read. Exports the service and the personal data's EnvelopeCipher (VOLUNTEERS_DATA_KEYS) for the other
 * modules (portal, pipeline, GDPR export and erasure).
 */
@Module({
  controllers: [ApplicationsController],
  providers: [
    ApplicationsService,
    { provide: EnvelopeCipher, inject: [CONFIG], useFactory: (config: VolunteersConfig) => new EnvelopeCipher(dataKeysOf(config)) },
    { provide: DUPLICATE_SECRET, inject: [CONFIG], useFactory: (config: VolunteersConfig) => duplicateSecretOf(config) },
  ],
  exports: [ApplicationsService, EnvelopeCipher],
})
export class ApplicationsModule {}
