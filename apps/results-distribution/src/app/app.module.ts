import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { entriesStream, schedulesStream } from '@podium/contracts';
import { DatabaseModule, NatsModule, PlatformModule } from '@podium/platform';
import { CisModule } from '../cis/cis.module';
import { PrismaService } from '../database/prisma.service';
import { EntriesModule } from '../entries/entries.module';
import { FeedModule } from '../feed/feed.module';
import { feedSubjects } from '../follower/feed-subjects';
import { FollowerModule } from '../follower/follower.module';
import { MedalsModule } from '../medals/medals.module';
import { ResultsModule } from '../results/results.module';
import { ScheduleModule } from '../schedule/schedule.module';
import { SseModule } from '../sse/sse.module';
import { WidgetModule } from '../widget/widget.module';
import { DISTRIBUTION_DEFAULTS, distributionConfig, type DistributionConfig } from './config';
import { HttpServerLimits } from './http-limits';

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
    // The live state: restored from the last checkpoint, then kept up to date from the streams.
    FollowerModule,
    // The channels that serve it.
    ResultsModule,
    MedalsModule,
    ScheduleModule,
    EntriesModule,
    SseModule,
    FeedModule,
    CisModule,
    WidgetModule,
  ],
  // This public service's HTTP server limits (headers, request and idle timeouts: docs/results-distribution.md#abuse-limits).
  providers: [HttpServerLimits],
})
export class AppModule {}
