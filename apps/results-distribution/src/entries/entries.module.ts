import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { EntriesController } from './entries.controller';

/** GET /v1/events/{eventRsc}/entries. */
@Module({
  imports: [StateModule],
  controllers: [EntriesController],
})
export class EntriesModule {}
