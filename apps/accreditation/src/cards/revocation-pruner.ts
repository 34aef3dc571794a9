import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '@podium/platform';

import type { AccreditationConfig } from '../app/config';
import { RevocationsRepository } from './revocations.repository';

/**
 * Prunes the revocation list every ACCREDITATION_REVOCATION_PRUNE_INTERVAL_SECONDS (0: only on demand, POST
 * /v1/revocations/prune): the entries whose card expired more than ACCREDITATION_REVOCATION_RETENTION_SECONDS ago.
 * The first run is one interval after start. Several replicas may run it: a prune is idempotent.
 */
@Injectable()
export class RevocationPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationPruner.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly revocations: RevocationsRepository,
    @Inject(CONFIG) private readonly config: AccreditationConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.ACCREDITATION_REVOCATION_PRUNE_INTERVAL_SECONDS;
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.prune()
        .catch((error: unknown) => this.logger.warn(`revocation list pruning failed, tried again in ${seconds} s: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pruning now. */
  async prune() {
    const result = await this.revocations.prune(new Date(), this.config.ACCREDITATION_REVOCATION_RETENTION_SECONDS);
    if (result.pruned > 0) this.logger.log(`revocation list pruned: ${result.pruned} entries, through seq ${result.prunedThrough}, horizon ${result.prunedBefore}`);
    return result;
  }
}
