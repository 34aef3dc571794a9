import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { PublishingModule } from '../publishing/publishing.module';
import { RulesModule } from '../rules/rules.module';
import { EntriesController } from './entries.controller';
import { EntriesService } from './entries.service';

/** Entry by Number and Entry by Name. */
@Module({
  imports: [CommonModule, RulesModule, PublishingModule],
  controllers: [EntriesController],
  providers: [EntriesService],
  exports: [EntriesService],
})
export class EntriesModule {}
