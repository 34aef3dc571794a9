import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { accreditationStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { ApplicationsModule } from '../applications/applications.module';
import { CardsModule } from '../cards/cards.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { ACCREDITATION_DEFAULTS, accreditationConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: accreditationConfig, defaults: ACCREDITATION_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [accreditationStream] }),
    OutboxModule.forService(),
    ReferenceDataModule,
    ApplicationsModule,
    CardsModule,
    PersonalDataModule,
  ],
})
export class AppModule {}
