import { Module } from '@nestjs/common';
import { CONFIG } from '@podium/platform';
import type { DistributionConfig } from '../app/config';
import { ResultsState } from './results-state';

/** The live state in memory (documents, DT_CURRENT, schedule, entries, medal table, replay buffer): one per instance. */
@Module({
  providers: [
    {
      provide: ResultsState,
      inject: [CONFIG],
      useFactory: (config: DistributionConfig) =>
        new ResultsState({ maxMessages: config.REPLAY_BUFFER_MESSAGES, maxBytes: config.REPLAY_BUFFER_BYTES }),
    },
  ],
  exports: [ResultsState],
})
export class StateModule {}
