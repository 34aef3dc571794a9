import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Where the application is in its life: started (bootstrap finished, set by bootstrapService after
 * listen) and stopping (set when shutdown begins, so readiness fails while connections drain).
 */
@Injectable()
export class AppLifecycle implements OnModuleDestroy {
  private started = false;
  private stopping = false;

  markStarted(): void {
    this.started = true;
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isShuttingDown(): boolean {
    return this.stopping;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }
}
