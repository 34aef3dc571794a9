import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { FeedController } from './feed.controller';
import { FeedService } from './feed.service';
import { ResultsStreamReader } from './results-stream.reader';

/** The partner feed over HTTP: GET /v1/feed (role partner). */
@Module({
  imports: [StateModule],
  controllers: [FeedController],
  providers: [FeedService, ResultsStreamReader],
})
export class FeedModule {}
