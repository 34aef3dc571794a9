import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { AthletesController } from './athletes.controller';
import { AthletesService } from './athletes.service';

/** Athletes' applications made from entries' athletes (oms.entries.v1.athlete.{noc}.changed). */
@Module({
  imports: [ApplicationsModule],
  controllers: [AthletesController],
  providers: [AthletesService],
})
export class AthletesModule {}
