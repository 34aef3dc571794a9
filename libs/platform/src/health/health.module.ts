import { type DynamicModule, Module } from '@nestjs/common';
import { AppLifecycle } from './app-lifecycle';
import { HEALTH_OPTIONS, HealthController, type HealthModuleOptions } from './health.controller';
import { HealthRegistry } from './health.registry';

/**
 * GET /health/startup, /health/ready, /health/live. Global: platform pieces (database, NATS) inject
 * HealthRegistry and `register(name, check)` their readiness checks.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [HealthRegistry, AppLifecycle, { provide: HEALTH_OPTIONS, useValue: options }],
      exports: [HealthRegistry, AppLifecycle],
    };
  }
}
