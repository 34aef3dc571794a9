export { AppLifecycle } from './app-lifecycle';
export { HealthRegistry } from './health.registry';
