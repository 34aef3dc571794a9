import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { BulkTransitionsService } from './bulk-transitions.service';
import { FunnelExportService } from './funnel-export.service';
import { LapseSweeper } from './lapse-sweeper';
import { InterviewSlotsController, PipelineController } from './pipeline.controller';
import { PipelineRepository } from './pipeline.repository';
import { PipelineService } from './pipeline.service';

/**
 * The recruiting pipeline (docs/volunteers-pipeline.md): moves with history and hand-over events, interview slots,
 * bulk moves, the funnel, the CSV export, the lapse of unanswered offers. Exports PipelineService for the portal
 * (the applicant's answer and withdrawal by status token) and PipelineRepository (the GDPR erasure's withdrawal). Imports ApplicationsModule for the personal data's cipher.
 */
@Module({
  imports: [ApplicationsModule],
  controllers: [PipelineController, InterviewSlotsController],
  providers: [PipelineService, PipelineRepository, BulkTransitionsService, FunnelExportService, LapseSweeper],
  exports: [PipelineService, PipelineRepository],
})
export class PipelineModule {}
