import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { entriesStream, schedulesStream } from '@podium/contracts';
import { CONFIG, DatabaseModule, NatsModule, PlatformModule } from '@podium/platform';
import { CisGateway } from '../cis/cis.gateway';
import { PrismaService } from '../database/prisma.service';
import { ConnectionBudget } from '../fanout/connection-budget';
import { DistributionHub } from '../fanout/hub';
import { DistributionLifecycle } from '../feed/distribution.lifecycle';
import { feedSubjects } from '../feed/feed-subjects';
import { StreamReader } from '../feed/stream-reader';
import { SnapshotRepository } from '../snapshot/snapshot.repository';
import { ResultsState } from '../state/results-state';
import { EntriesController } from '../web/entries.controller';
import { FeedController } from '../web/feed.controller';
import { MedalsController } from '../web/medals.controller';
import { ResultsController } from '../web/results.controller';
import { ScheduleController } from '../web/schedule.controller';
import { SseService } from '../web/sse.service';
import { StreamController } from '../web/stream.controller';
import { WidgetController } from '../widget/widget.controller';
import { DISTRIBUTION_DEFAULTS, distributionConfig, type DistributionConfig } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: distributionConfig, defaults: DISTRIBUTION_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService((config: DistributionConfig) => {
      const feed = feedSubjects(config.FEED);
      // Declared here too (idempotent), so that this service may start before results-ingest, schedules and entries.
      return { streams: [schedulesStream, entriesStream, feed.documents.stream, feed.current.stream] };
    }),
  ],
  controllers: [
    ResultsController,
    MedalsController,
    ScheduleController,
    EntriesController,
    StreamController,
    FeedController,
    WidgetController,
  ],
  providers: [
    {
      provide: ResultsState,
      inject: [CONFIG],
      useFactory: (config: DistributionConfig) =>
        new ResultsState({ maxMessages: config.REPLAY_BUFFER_MESSAGES, maxBytes: config.REPLAY_BUFFER_BYTES }),
    },
    {
      provide: DistributionHub,
      inject: [ResultsState],
      useFactory: (state: ResultsState) => {
        const hub = new DistributionHub();
        state.setListener(hub);
        return hub;
      },
    },
    ConnectionBudget,
    SnapshotRepository,
    StreamReader,
    DistributionLifecycle,
    SseService,
    CisGateway,
  ],
})
export class AppModule {}
