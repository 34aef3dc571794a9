import { Module, type NestModule } from '@nestjs/common';
import { CONFIG } from '@podium/platform';

import { demoKeysEnabled, type ResultsIngestConfig } from '../app/config';
import { ApiKeyRegistry } from './api-keys';
import { IngestMetrics } from './ingest-metrics';
import { IntakeController, problemOf } from './intake.controller';
import { IntakeGate } from './intake.gate';
import { NatsIntake } from './intake.nats';
import { IntakeService } from './intake.service';
import { PublishWaiter } from './publish-waiter';

/** POST /v1/messages and the NATS request/reply intake. */
@Module({
  controllers: [IntakeController],
  providers: [
    {
      provide: ApiKeyRegistry,
      inject: [CONFIG],
      useFactory: (config: ResultsIngestConfig) =>
        new ApiKeyRegistry(config.INGEST_API_KEYS ?? [], { demo: demoKeysEnabled(config) }),
    },
    IngestMetrics,
    IntakeGate,
    PublishWaiter,
    IntakeService,
    NatsIntake,
  ],
  exports: [PublishWaiter, IntakeService],
})
export class IntakeModule implements NestModule {
  constructor(private readonly gate: IntakeGate) {}

  /** The API key check before the body (IntakeGate), installed before the routes are registered. */
  configure(): void {
    this.gate.install(problemOf);
  }
}
