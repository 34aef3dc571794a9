import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { PipelineService } from './pipeline.service';

/** How often offers past their deadline are written down as lapsed (docs/volunteers-pipeline.md#lapse). */
export const LAPSE_SWEEP_INTERVAL_MS = 60_000;

/**
 * Writes down the lapse of offers past their deadline every LAPSE_SWEEP_INTERVAL_MS (the first one interval after
 * start). Between two sweeps a move on such an offer lapses it first and is refused (PipelineService), so an answer
 * after the deadline never lands whatever the sweep's timing. Several replicas may sweep at once: a sweep is idempotent.
 */
@Injectable()
export class LapseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LapseSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly pipeline: PipelineService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn(`lapse sweep failed, tried again in ${LAPSE_SWEEP_INTERVAL_MS / 1000} s: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, LAPSE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<number> {
    const lapsed = await this.pipeline.sweepLapsed();
    if (lapsed > 0) this.logger.log(`offers lapsed (no answer by their deadline): ${lapsed}`);
    return lapsed;
  }
}
