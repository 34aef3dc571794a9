export { HttpMetricsMiddleware, UNMATCHED_ROUTE, routeTemplate } from './http-metrics.middleware';
export { MetricsController } from './metrics.controller';
export { MetricsModule } from './metrics.module';
export {
  DEFAULT_HTTP_DURATION_BUCKETS,
  METRICS_OPTIONS,
  type MetricsModuleOptions,
  MetricsService,
} from './metrics.service';
