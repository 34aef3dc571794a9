import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type LatestOnlyStreamDefinition, resultsStreams, type StreamDefinition } from '@podium/contracts';
import { NatsConnectionService } from '@podium/platform';

/** The result streams declared by the contracts, for NatsModule. */
export const RESULT_STREAMS: readonly StreamDefinition[] = resultsStreams;

function isLatestOnly(stream: StreamDefinition): stream is LatestOnlyStreamDefinition {
  return typeof (stream as Partial<LatestOnlyStreamDefinition>).maxMsgsPerSubject === 'number';
}

/**
 * Applies `maxMsgsPerSubject` (the DT_CURRENT "latest only" streams) after the platform declared the streams:
 * StreamDefinition and the platform's stream declaration do not manage that setting (yet), and leave it alone once set.
 */
@Injectable()
export class LatestOnlyStreams implements OnApplicationBootstrap {
  private readonly logger = new Logger('LatestOnlyStreams');

  constructor(private readonly nats: NatsConnectionService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.nats.ready();
    for (const stream of RESULT_STREAMS.filter(isLatestOnly)) {
      const name = this.nats.naming.name(stream.name);
      const info = await this.nats.manager.streams.info(name);
      if (info.config.max_msgs_per_subject === stream.maxMsgsPerSubject) continue;
      await this.nats.manager.streams.update(name, { max_msgs_per_subject: stream.maxMsgsPerSubject });
      this.logger.log(`Stream ${name} keeps at most ${stream.maxMsgsPerSubject} message(s) per subject`);
    }
  }
}
