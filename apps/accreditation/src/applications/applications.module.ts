import { Module } from '@nestjs/common';

import { PersonalDataCipherModule } from '../personal-data/personal-data-cipher.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { BulkApplicationsController } from './bulk.controller';
import { BulkApplicationsService } from './bulk.service';

/** Applications: submission within quota, vetting, approval, history; an organisation sees only its own. */
@Module({
  imports: [ReferenceDataModule, PersonalDataCipherModule],
  controllers: [BulkApplicationsController, ApplicationsController],
  providers: [ApplicationsService, BulkApplicationsService, ApplicationsRepository],
  exports: [ApplicationsRepository, ApplicationsService],
})
export class ApplicationsModule {}
