import { Module } from '@nestjs/common';

import { IntakeModule } from '../intake/intake.module';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { QuarantineController } from './quarantine.controller';

/** Audit, resend and quarantine APIs. */
@Module({
  imports: [IntakeModule],
  controllers: [DocumentsController, QuarantineController],
  providers: [DocumentsService],
})
export class DocumentsModule {}
