import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { PublishingModule } from '../publishing/publishing.module';
import { RulesModule } from '../rules/rules.module';
import { QuotasController } from './quotas.controller';
import { QuotasService } from './quotas.service';

/** Quota places: list, decline, reallocation. */
@Module({
  imports: [CommonModule, RulesModule, PublishingModule],
  controllers: [QuotasController],
  providers: [QuotasService],
})
export class QuotasModule {}
