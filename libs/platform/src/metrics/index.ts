export { MetricsService } from './metrics.service';
