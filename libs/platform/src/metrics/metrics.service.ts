import { Inject, Injectable } from '@nestjs/common';
import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metric,
  Registry,
  Summary,
  type SummaryConfiguration,
  collectDefaultMetrics,
} from 'prom-client';
import { InjectConfig } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';

export const METRICS_OPTIONS = Symbol.for('podium.platform.metrics.options');

export interface MetricsModuleOptions {
  /** Process metrics (CPU, memory, event loop lag, GC...). Default true. */
  defaultMetrics?: boolean;
  /** Buckets of http_request_duration_seconds, in seconds. */
  httpDurationBuckets?: number[];
}

/**
 * Buckets of http_request_duration_seconds. 0.02 and 2 are the service levels' thresholds (gate checks under 20 ms,
 * web requests under 2 s: docs/operations.md): a ratio of requests under a threshold is exact only at a bucket bound.
 */
export const DEFAULT_HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

type HttpLabel = 'method' | 'route' | 'status_code';
type WithoutRegisters<C> = Omit<C, 'registers'>;

/**
 * The app's own Prometheus registry (not prom-client's global one, so several apps can live in one
 * process): default process metrics, HTTP request metrics, and get-or-create helpers for the
 * service's metrics, e.g. `metrics.gauge({ name: 'outbox_lag_seconds', help: '...' })`.
 * Every series carries a `service` label.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<HttpLabel>;
  readonly httpRequestsTotal: Counter<HttpLabel>;

  constructor(@InjectConfig() config: PlatformConfig, @Inject(METRICS_OPTIONS) options: MetricsModuleOptions) {
    this.registry.setDefaultLabels({ service: config.SERVICE_NAME });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = this.histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: options.httpDurationBuckets ?? DEFAULT_HTTP_DURATION_BUCKETS,
    });
    this.httpRequestsTotal = this.counter({
      name: 'http_requests_total',
      help: 'HTTP requests, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
    });
  }

  counter<T extends string>(config: WithoutRegisters<CounterConfiguration<T>>): Counter<T> {
    return this.getOrCreate(config.name, Counter, () => new Counter<T>({ ...config, registers: [this.registry] }));
  }

  gauge<T extends string>(config: WithoutRegisters<GaugeConfiguration<T>>): Gauge<T> {
    return this.getOrCreate(config.name, Gauge, () => new Gauge<T>({ ...config, registers: [this.registry] }));
  }

  histogram<T extends string>(config: WithoutRegisters<HistogramConfiguration<T>>): Histogram<T> {
    return this.getOrCreate(config.name, Histogram, () => new Histogram<T>({ ...config, registers: [this.registry] }));
  }

  summary<T extends string>(config: WithoutRegisters<SummaryConfiguration<T>>): Summary<T> {
    return this.getOrCreate(config.name, Summary, () => new Summary<T>({ ...config, registers: [this.registry] }));
  }

  /** Records one finished HTTP request. */
  observeHttpRequest(labels: Record<HttpLabel, string>, durationSeconds: number): void {
    this.httpRequestDuration.observe(labels, durationSeconds);
    this.httpRequestsTotal.inc(labels);
  }

  /** The registry in Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M>(name: string, type: abstract new (...args: never[]) => M, create: () => M): M {
    const existing: Metric | undefined = this.registry.getSingleMetric(name);
    if (existing === undefined) return create();
    if (existing instanceof type) return existing;
    throw new Error(`Metric '${name}' is already registered with another type`);
  }
}
