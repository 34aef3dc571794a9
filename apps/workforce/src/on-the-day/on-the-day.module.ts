import { Module } from '@nestjs/common';

import { ReplacementsModule } from '../replacements/replacements.module';
import { NoShowSweeper } from './no-show-sweeper';
import { OnShiftService } from './on-shift.service';
import { OnTheDayController } from './on-the-day.controller';
import { OnTheDayService } from './on-the-day.service';
import { ReplacementSuggestionsService } from './replacement-suggestions.service';

/** On the day: check-in and check-out by card, late arrivals, no-shows (with their sweep), replacements, the live view. */
@Module({
  imports: [ReplacementsModule],
  controllers: [OnTheDayController],
  providers: [OnTheDayService, OnShiftService, ReplacementSuggestionsService, NoShowSweeper],
})
export class OnTheDayModule {}
