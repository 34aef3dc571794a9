import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'volunteers',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium volunteers',
    description: "OMS: public recruiting portal and selection pipeline. Events: oms.volunteers.v1.* (see docs/asyncapi.yaml).",
    version: '1.0.0',
  },
});
