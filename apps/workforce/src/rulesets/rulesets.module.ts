import { Module } from '@nestjs/common';

import { RuleSetsController } from './rulesets.controller';
import { RuleSetsService } from './rulesets.service';

/** Rule sets per edition and member type (docs/workforce-api.md#rule-sets); rulesFor is exported from the service file. */
@Module({
  controllers: [RuleSetsController],
  providers: [RuleSetsService],
  exports: [RuleSetsService],
})
export class RuleSetsModule {}
