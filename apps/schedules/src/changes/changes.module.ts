import { Module } from '@nestjs/common';
import { ScheduleModule } from '../schedule/schedule.module';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';

/** Schedule changes: dry runs, conflicts, optimistic versions, history. */
@Module({
  imports: [ScheduleModule],
  controllers: [ChangesController],
  providers: [ChangesService],
})
export class ChangesModule {}
