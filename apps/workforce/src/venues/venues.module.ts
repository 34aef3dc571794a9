import { Module } from '@nestjs/common';

import { VenuesController } from './venues.controller';
import { VenuesService } from './venues.service';

/** The edition's venues and their time zones (docs/workforce-api.md#venues). Exports the service for shifts and events. */
@Module({
  controllers: [VenuesController],
  providers: [VenuesService],
  exports: [VenuesService],
})
export class VenuesModule {}
