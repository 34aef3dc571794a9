import { Module } from '@nestjs/common';
import { ScheduleModule } from '../schedule/schedule.module';
import { DataPacksController } from './data-packs.controller';
import { DataPacksService } from './data-packs.service';

/** Data pack import: an edition's reference data and schedule. */
@Module({
  imports: [ScheduleModule],
  controllers: [DataPacksController],
  providers: [DataPacksService],
})
export class DataPacksModule {}
