import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { PublishingModule } from '../publishing/publishing.module';
import { RulesModule } from '../rules/rules.module';
import { ReplacementsController } from './replacements.controller';
import { ReplacementsService } from './replacements.service';

/** Late Athlete Replacements. */
@Module({
  imports: [CommonModule, RulesModule, PublishingModule],
  controllers: [ReplacementsController],
  providers: [ReplacementsService],
})
export class ReplacementsModule {}
