import { Module } from '@nestjs/common';

import { AssignmentsController } from './assignments.controller';
import { AssignmentsService } from './assignments.service';

/** Assignments of members to shifts (docs/workforce-api.md#assignments). */
@Module({
  controllers: [AssignmentsController],
  providers: [AssignmentsService],
  exports: [AssignmentsService],
})
export class AssignmentsModule {}
