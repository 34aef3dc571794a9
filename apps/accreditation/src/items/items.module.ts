import { Module } from '@nestjs/common';

import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';

/** Items: create and read items; each creation is published on oms.accreditation.v1.item.{edition}.created. */
@Module({
  controllers: [ItemsController],
  providers: [ItemsService, ItemsRepository],
})
export class ItemsModule {}
