import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { accreditationStream, entriesStream, volunteersStream, workforceStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PgPoolModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { ApplicationsModule } from '../applications/applications.module';
import { AthletesModule } from '../athletes/athletes.module';
import { entriesAthletesConsumer } from '../athletes/athletes.consumer';
import { CardsModule } from '../cards/cards.module';
import { handoverConsumers } from '../handovers/handovers.consumer';
import { HandoversModule } from '../handovers/handovers.module';
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
      // ENTRIES, VOLUNTEERS and WORKFORCE are declared by their services too (same definitions, idempotent): their
      // athletes, confirmed volunteers and staff are consumed here, and a stream must exist before its consumer.
      streams: [accreditationStream, entriesStream, volunteersStream, workforceStream],
      consumers: [entriesAthletesConsumer(), ...handoverConsumers()],
    }),
    OutboxModule.forService(),
    ReferenceDataModule,
    ApplicationsModule,
    AthletesModule,
    CardsModule,
    PersonalDataModule,
    HandoversModule,
  ],
})
export class AppModule {}
