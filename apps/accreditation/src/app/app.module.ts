import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { accreditationStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { ItemsModule } from '../items/items.module';
import { ACCREDITATION_DEFAULTS, accreditationConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: accreditationConfig, defaults: ACCREDITATION_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [accreditationStream] }),
    OutboxModule.forService(),
    ItemsModule,
  ],
})
export class AppModule {}
