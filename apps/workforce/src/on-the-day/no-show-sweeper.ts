import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { OnTheDayService } from './on-the-day.service';

/** How often assigned members not checked in past the no-show threshold are written down (docs/workforce-on-the-day.md#no-shows). */
export const NO_SHOW_SWEEP_INTERVAL_MS = 60_000;

/**
 * Writes down the no-shows every NO_SHOW_SWEEP_INTERVAL_MS (the first one interval after start): assignments still
 * `assigned` WORKFORCE_NO_SHOW_MINUTES after their shift's start (OnTheDayService.sweepNoShows, each with its event).
 * Volunteers' lapse sweeper's pattern: one sweep at a time, a failed one tried again at the next tick, awaited at
 * shutdown; several replicas may sweep at once (rows another holds are skipped).
 */
@Injectable()
export class NoShowSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NoShowSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly onTheDay: OnTheDayService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn(`no-show sweep failed, tried again in ${NO_SHOW_SWEEP_INTERVAL_MS / 1000} s: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, NO_SHOW_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = new Date()): Promise<number> {
    const swept = await this.onTheDay.sweepNoShows(now);
    if (swept > 0) this.logger.log(`no-shows written down (not checked in by the threshold): ${swept}`);
    return swept;
  }
}
