import { Module } from '@nestjs/common';
import { EntriesModule } from '../entries/entries.module';
import { PublishingModule } from '../publishing/publishing.module';
import { RulesModule } from '../rules/rules.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

/** Bulk CSV import of athletes, marks and entries. */
@Module({
  imports: [RulesModule, PublishingModule, EntriesModule],
  controllers: [ImportsController],
  providers: [ImportsService],
})
export class ImportsModule {}
