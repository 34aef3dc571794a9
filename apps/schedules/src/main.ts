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
  console.log(`schedules: ${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`);
}

if (process.argv[2] === 'migrate') {
  migrate().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else {
  void bootstrapService(AppModule, {
    name: 'schedules',
    defaultPort: 3001,
    openApi: {
      title: 'Podium schedules',
      description:
        'The competition schedule of a Games edition (OMS): sports, disciplines, events, phases, units (RSC), venues, ' +
        'sessions, rescheduling with dry runs and history. Published reads need no token; changes need the ' +
        'schedule-manager role. Events: oms.schedules.v1.unit.{discipline}.updated (see docs/asyncapi.yaml).',
      version: '1.0.0',
    },
  });
}
