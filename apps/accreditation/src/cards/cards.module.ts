import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';
import { serviceKeysProvider } from './credential-keys';
import { GateService } from './gate.service';
import { RevocationsRepository } from './revocations.repository';

/** Cards, their signed credentials, the keys, the revocation list and the online gate checks. */
@Module({
  imports: [ApplicationsModule, ReferenceDataModule],
  controllers: [CardsController],
  providers: [CardsService, GateService, RevocationsRepository, serviceKeysProvider],
})
export class CardsModule {}
