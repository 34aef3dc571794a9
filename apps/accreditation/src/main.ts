import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: 'accreditation',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium accreditation',
    description: "OMS: who may enter which venue and zone: applications, signed cards, gate checks. Events: oms.accreditation.v1.* (see docs/asyncapi.yaml).",
    version: '1.0.0',
  },
});
