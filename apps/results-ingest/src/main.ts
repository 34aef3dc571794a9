import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'results-ingest',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium results-ingest',
    description:
      'ODS intake of ODF messages from venue timing and scoring systems: POST /v1/messages (XML or JSON, gzip, ' +
      'X-API-KEY per Source), also over NATS request/reply on ods.ingest.v1.messages. Applies the ODF version rules, ' +
      'keeps every accepted version (audit, resend) and publishes on ods.results.v1.{discipline}.{rsc}.{documentType} ' +
      '(DT_CURRENT: ods.results-current.v1.{discipline}.{rsc}; test feed: ods.results-test*). See docs/results-ingest.md.',
    version: '1.0.0',
  },
});
