import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'workforce',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium workforce',
    description: "OMS: staff and volunteer shifts, rostering rules, check-in. Events: oms.workforce.v1.* (see docs/asyncapi.yaml).",
    version: '1.0.0',
  },
});
