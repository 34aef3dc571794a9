import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { StateModule } from '../state/state.module';
import { SseService } from './sse.service';
import { StreamController } from './stream.controller';

/** Server-Sent Events at GET /v1/stream. */
@Module({
  imports: [StateModule, FanoutModule],
  controllers: [StreamController],
  providers: [SseService],
})
export class SseModule {}
