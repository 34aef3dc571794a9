import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@podium/platform';
import type { DistributionConfig } from '../app/config';

/** MAX_CONNECTIONS shared by the CIS and SSE channels: memory per connection is bounded, so is their number. */
@Injectable()
export class ConnectionBudget {
  private used = 0;

  constructor(@Inject(CONFIG) private readonly config: Pick<DistributionConfig, 'MAX_CONNECTIONS'>) {}

  get inUse(): number {
    return this.used;
  }

  acquire(): boolean {
    if (this.used >= this.config.MAX_CONNECTIONS) return false;
    this.used++;
    return true;
  }

  release(): void {
    if (this.used > 0) this.used--;
  }
}
