import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';

/** GET /v1/events/{eventRsc}/entries. */
@Module({
  imports: [StateModule],
  controllers: [EntriesController],
  providers: [EntriesService],
})
export class EntriesModule {}
