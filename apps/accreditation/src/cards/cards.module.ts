import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';
import { serviceKeysProvider } from './credential-keys';
import { GateChecksService } from './gate-checks.service';
import { GateService } from './gate.service';
import { RevocationPruner } from './revocation-pruner';
import { RevocationsRepository } from './revocations.repository';

/** Cards (issue, activation at pick-up, upgrades, day passes), their signed credentials, the keys, the revocation list and its pruning, the gate checks online and offline. */
@Module({
  imports: [ApplicationsModule, ReferenceDataModule],
  controllers: [CardsController],
  providers: [CardsService, GateService, GateChecksService, RevocationsRepository, RevocationPruner, serviceKeysProvider],
  /** CardsService.revokeForApplication: the GDPR erasure revokes the card in its transaction. */
  exports: [CardsService],
})
export class CardsModule {}
