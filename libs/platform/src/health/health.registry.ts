import { Injectable } from '@nestjs/common';

/** A dependency check: resolves when healthy, rejects (or throws) with the reason when not. */
export type HealthCheck = () => Promise<void> | void;

export interface RegisteredCheck {
  name: string;
  check: HealthCheck;
}

/**
 * Readiness checks registered by the platform pieces a service uses (database, NATS, ...).
 * `/health/ready` runs them all; `/health/live` runs none (process only).
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  list(): RegisteredCheck[] {
    return [...this.checks.entries()].map(([name, check]) => ({ name, check }));
  }
}
