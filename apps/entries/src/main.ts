import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'entries',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium entries',
    description:
      'Entries and qualification (OMS): NOCs enter their athletes (Entry by Number, then Entry by Name) in the events ' +
      'published by schedules; every entry is checked against the edition rules pack (quotas, entry standards, ' +
      'deadlines, team composition) and every decision explains itself. Late Athlete Replacements, quota ' +
      'reallocation, CSV import. Events: oms.entries.v1.* (see docs/asyncapi.yaml and docs/entries.md).',
    version: '1.0.0',
  },
});
