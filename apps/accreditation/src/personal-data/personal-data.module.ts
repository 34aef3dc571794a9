import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { RevocationsRepository } from '../cards/revocations.repository';
import { PersonalDataCipherModule } from './personal-data-cipher.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataService } from './personal-data.service';

/** GDPR export and erasure of one person's data, and the re-wrap of the data keys after a key rotation. */
@Module({
  imports: [ApplicationsModule, PersonalDataCipherModule],
  controllers: [PersonalDataController],
  // RevocationsRepository is stateless (the database and the outbox): the erasure appends the card's revocation entry.
  providers: [PersonalDataService, RevocationsRepository],
})
export class PersonalDataModule {}
