import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@podium/platform';
import type { DistributionConfig } from '../app/config';

/** Why a connection was refused: the instance is full (MAX_CONNECTIONS), or its client address is (MAX_CONNECTIONS_PER_ADDRESS). */
export type Refusal = 'full' | 'address';

/**
 * MAX_CONNECTIONS shared by the CIS and SSE channels (memory per connection is bounded, so is their number), and
 * MAX_CONNECTIONS_PER_ADDRESS per client address (see @podium/platform's client-address.ts), so that one client cannot take them all.
 */
@Injectable()
export class ConnectionBudget {
  private used = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    @Inject(CONFIG) private readonly config: Pick<DistributionConfig, 'MAX_CONNECTIONS' | 'MAX_CONNECTIONS_PER_ADDRESS'>,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** Connections open from `address`. */
  inUseBy(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  /** Takes a connection for `address`: null when granted (give it back with {@link release}), else why not. */
  acquire(address: string): Refusal | null {
    if (this.used >= this.config.MAX_CONNECTIONS) return 'full';
    const perAddress = this.config.MAX_CONNECTIONS_PER_ADDRESS;
    const mine = this.byAddress.get(address) ?? 0;
    if (perAddress > 0 && mine >= perAddress) return 'address';
    this.used++;
    this.byAddress.set(address, mine + 1);
    return null;
  }

  release(address: string): void {
    if (this.used > 0) this.used--;
    const mine = this.byAddress.get(address) ?? 0;
    if (mine <= 1) this.byAddress.delete(address);
    else this.byAddress.set(address, mine - 1);
  }
}
