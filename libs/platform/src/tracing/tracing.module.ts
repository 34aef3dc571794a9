import { Inject, Logger, Module, type NestModule, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CONFIG } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { fastifyOf } from '../http/fastify';
import { installHttpTracing } from './tracing.http';
import { startTracing, type TracingHandle } from './tracing.runtime';
import { tracingSettings } from './tracing.settings';

/**
 * OpenTelemetry tracing of a service (docs/tracing.md), off unless OTEL_TRACES_ENABLED=true: then the SDK is started
 * (OTLP/HTTP exporter, the configured sampler), a SERVER span per HTTP request, and the platform's NATS publisher,
 * consumer runner, outbox and PostgreSQL pools make their spans and carry the W3C trace context. Off, nothing is
 * started, no hook is installed and nothing is propagated. Imported by PlatformModule after LoggingModule.
 */
@Module({})
export class TracingModule implements NestModule, OnApplicationShutdown {
  private readonly handle: TracingHandle | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) config: PlatformConfig,
  ) {
    const settings = tracingSettings(config);
    if (settings !== undefined) {
      this.handle = startTracing(settings);
      const { sampler, samplerArg, tracesUrl } = settings;
      new Logger('Tracing').log(`Tracing on: spans to ${tracesUrl}, sampler ${sampler} (${samplerArg})`);
    }
  }

  configure(): void {
    if (this.handle !== undefined) installHttpTracing(fastifyOf(this.adapterHost));
  }

  /** Flushes the spans still queued and stops the SDK (after the consumers and the relay stopped). */
  async onApplicationShutdown(): Promise<void> {
    await this.handle?.shutdown().catch(() => undefined);
  }
}
