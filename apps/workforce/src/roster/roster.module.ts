import { Module } from '@nestjs/common';

import { RosterController } from './roster.controller';
import { RosterService } from './roster.service';

/** The auto-roster's plans (docs/workforce-roster.md#api). */
@Module({
  controllers: [RosterController],
  providers: [RosterService],
})
export class RosterModule {}
