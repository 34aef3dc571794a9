import { type DynamicModule, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { fastifyOf, routeTemplate } from '../http/fastify';
import { isQuietPath } from '../logging/logger.options';
import { MetricsController } from './metrics.controller';
import { METRICS_OPTIONS, type MetricsModuleOptions, MetricsService } from './metrics.service';

/** Prometheus metrics: GET /metrics, HTTP request metrics, and MetricsService (global) for the service's own. */
@Module({})
export class MetricsModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  static forRoot(options: MetricsModuleOptions = {}): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [MetricsService, { provide: METRICS_OPTIONS, useValue: options }],
      exports: [MetricsService],
    };
  }

  /** Times every finished request (probes and scrapes excepted) into http_request_duration_seconds / http_requests_total. */
  configure(): void {
    fastifyOf(this.adapterHost).addHook('onResponse', (request, reply, done) => {
      if (!isQuietPath(request.url)) {
        this.metrics.observeHttpRequest(
          { method: request.method, route: routeTemplate(request), status_code: String(reply.statusCode) },
          reply.elapsedTime / 1000,
        );
      }
      done();
    });
  }
}
