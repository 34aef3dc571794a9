import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'schedules',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium schedules',
    description:
      'The competition schedule of a Games edition (OMS): sports, disciplines, events, phases, units (RSC), venues, ' +
      'sessions, rescheduling with dry runs and history. Published reads need no token; changes need the ' +
      'schedule-manager role. Events: oms.schedules.v1.unit.{discipline}.updated and ' +
      'oms.schedules.v1.event.{discipline}.updated (see docs/asyncapi.yaml).',
    version: '1.0.0',
  },
});
