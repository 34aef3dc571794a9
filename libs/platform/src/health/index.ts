export { AppLifecycle } from './app-lifecycle';
export { DEFAULT_CHECK_TIMEOUT_MS, HEALTH_OPTIONS, HealthController, type HealthModuleOptions } from './health.controller';
export { HealthModule } from './health.module';
export { type HealthCheck, HealthRegistry, type RegisteredCheck } from './health.registry';
export { type CheckStatus, type ReadinessReport, runReadinessChecks } from './readiness';
