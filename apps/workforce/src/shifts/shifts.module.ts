import { Module } from '@nestjs/common';

import { ShiftsController } from './shifts.controller';
import { ShiftsService } from './shifts.service';

/** Shifts in the venues' local time (docs/workforce-api.md#shifts). */
@Module({
  controllers: [ShiftsController],
  providers: [ShiftsService],
  exports: [ShiftsService],
})
export class ShiftsModule {}
