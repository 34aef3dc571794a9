import { Module } from '@nestjs/common';

import { ShiftsModule } from '../shifts/shifts.module';
import { FlagsController } from './flags.controller';
import { FlagsService } from './flags.service';

/** The event reactions' flags on shifts and assignments: listed, accepted, dismissed (docs/workforce-events.md#flags). */
@Module({ imports: [ShiftsModule], controllers: [FlagsController], providers: [FlagsService] })
export class FlagsModule {}
