export { AppLifecycle } from './app-lifecycle';
export { HealthRegistry } from './health.registry';
export { HealthCheckError } from './readiness';
