import { Module } from '@nestjs/common';

import { ApplicationsModule } from '../applications/applications.module';
import { CardsModule } from '../cards/cards.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { HandoversController } from './handovers.controller';
import { HandoversService } from './handovers.service';

/**
 * Volunteers' and staff's applications made from the volunteers and workforce services' events
 * (oms.volunteers.v1.volunteer.{edition}.confirmed|withdrawn, oms.workforce.v1.member.{edition}.changed).
 */
@Module({
  imports: [ApplicationsModule, CardsModule, ReferenceDataModule],
  controllers: [HandoversController],
  providers: [HandoversService],
})
export class HandoversModule {}
