import 'reflect-metadata';
import { join } from 'node:path';
import { applyMigrations, bootstrapService, ensureDatabase } from '@podium/platform';
import { AppModule } from './app/app.module';

/** `node main.js migrate`: applies this service's migrations to DATABASE_URL and exits (Helm hook Job, npm start). */
async function migrate(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is required to migrate');
  await ensureDatabase(databaseUrl);
  const result = await applyMigrations({
    databaseUrl,
    migrationsDir: join(__dirname, 'prisma', 'migrations'),
    logger: { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) },
  });
  console.log(`results-ingest: ${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`);
}

if (process.argv[2] === 'migrate') {
  migrate().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else {
  void bootstrapService(AppModule, {
    name: 'results-ingest',
    defaultPort: 3006,
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
}
