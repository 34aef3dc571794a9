import { Module } from '@nestjs/common';

import { ReferenceDataController } from './reference-data.controller';
import { ReferenceDataService } from './reference-data.service';

/** Reference data: an edition's categories, venues, zones, privileges and Responsible Organisations with quotas. */
@Module({
  controllers: [ReferenceDataController],
  providers: [ReferenceDataService],
  exports: [ReferenceDataService],
})
export class ReferenceDataModule {}
