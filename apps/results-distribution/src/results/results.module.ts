import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { ResultsController } from './results.controller';
import { ResultsService } from './results.service';

/** GET /v1/documents, /v1/units/{rsc}/results and start-list, /v1/phases/{rsc}/results. */
@Module({
  imports: [StateModule],
  controllers: [ResultsController],
  providers: [ResultsService],
})
export class ResultsModule {}
