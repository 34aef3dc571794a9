import { Module } from '@nestjs/common';
import { CONFIG, EnvelopeCipher } from '@podium/platform';

import { dataKeysOf, type WorkforceConfig } from '../app/config';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

/**
 * Members (docs/workforce-api.md#members). Exports the service (the volunteers' hand-over creates members through it)
 * and the personal data's EnvelopeCipher (WORKFORCE_DATA_KEYS).
 */
@Module({
  controllers: [MembersController],
  providers: [MembersService, { provide: EnvelopeCipher, inject: [CONFIG], useFactory: (config: WorkforceConfig) => new EnvelopeCipher(dataKeysOf(config)) }],
  exports: [MembersService, EnvelopeCipher],
})
export class MembersModule {}
