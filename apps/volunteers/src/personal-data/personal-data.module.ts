import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataService } from './personal-data.service';
import { StreamErasure } from './stream-erasure';

/**
 * GDPR export and erasure of one applicant's data (staff by id; the portal by status token, through the exported
 * service) and the contact details for the role that needs them (docs/volunteers-core.md#personal-data). Imports
 * ApplicationsModule for the personal data's cipher and PipelineModule for the erasure's withdrawal. StreamErasure deletes
 * the erased applicants' hand-over messages from the VOLUNTEERS stream.
 */
@Module({
  imports: [ApplicationsModule, PipelineModule],
  controllers: [PersonalDataController],
  providers: [PersonalDataService, StreamErasure],
  exports: [PersonalDataService],
})
export class PersonalDataModule {}
