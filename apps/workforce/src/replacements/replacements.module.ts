import { Module } from '@nestjs/common';

import { ReplacementsService } from './replacements.service';

/** Suggested replacements ranked by the rules (the card reactions, the on-the-day replacements endpoint). */
@Module({ providers: [ReplacementsService], exports: [ReplacementsService] })
export class ReplacementsModule {}
