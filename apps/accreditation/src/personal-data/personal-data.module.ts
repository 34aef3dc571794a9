import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { CardsModule } from '../cards/cards.module';
import { PersonalDataCipherModule } from './personal-data-cipher.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataService } from './personal-data.service';

/** GDPR export and erasure of one person's data, and the re-wrap of the data keys after a key rotation. */
@Module({
  imports: [ApplicationsModule, CardsModule, PersonalDataCipherModule],
  controllers: [PersonalDataController],
  providers: [PersonalDataService],
})
export class PersonalDataModule {}
