import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { accreditationStream, entriesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PgPoolModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { ApplicationsModule } from '../applications/applications.module';
import { AthletesModule } from '../athletes/athletes.module';
import { entriesAthletesConsumer } from '../athletes/athletes.consumer';
import { CardsModule } from '../cards/cards.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { ACCREDITATION_DEFAULTS, accreditationConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: accreditationConfig, defaults: ACCREDITATION_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    // The online gate check's hot path (revocation list read, check records): named statements, not Prisma.
    PgPoolModule.forRoot({ purpose: 'gate', genericPlans: true }),
    NatsModule.forService({
      // ENTRIES is declared by the entries service too (same definition, idempotent): its athletes are consumed here.
      streams: [accreditationStream, entriesStream],
      consumers: [entriesAthletesConsumer()],
    }),
    OutboxModule.forService(),
    ReferenceDataModule,
    ApplicationsModule,
    AthletesModule,
    CardsModule,
    PersonalDataModule,
  ],
})
export class AppModule {}
