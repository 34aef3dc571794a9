import { context, type Context, propagation, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { hostname } from 'node:os';

import { PlatformContextManager } from './tracing.context';
import { traceHttpClients } from './tracing.http-client';
import type { TracesSampler } from './tracing.settings';

export interface StartTracingOptions {
  /** service.name of the spans (OTEL_SERVICE_NAME, default SERVICE_NAME). */
  serviceName: string;
  sampler: TracesSampler;
  /** The ratio of traceidratio and parentbased_traceidratio (0..1). */
  samplerArg: number;
  /** Where spans are sent (OTLP over HTTP, JSON): the full traces URL, e.g. http://collector:4318/v1/traces. */
  tracesUrl?: string;
  /** Instead of the OTLP exporter (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
}

/** A started tracing runtime; {@link shutdown} once per start (the last one flushes and stops the SDK). */
export interface TracingHandle {
  readonly serviceName: string;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The one tracer of the process while tracing is on; undefined while off: every instrumentation point checks it first. */
let activeTracer: Tracer | undefined;
let runtime: { provider: BasicTracerProvider; users: number; serviceName: string; stopHttpClients: () => void } | undefined;

/** The W3C trace context (traceparent, tracestate) propagator: the one format on HTTP and in NATS headers. */
export const TRACE_CONTEXT_PROPAGATOR = new W3CTraceContextPropagator();

/** The tracer while tracing is on, undefined otherwise (one load and compare: what the instrumentation points pay when off). */
export function tracer(): Tracer | undefined {
  return activeTracer;
}

export function tracingActive(): boolean {
  return activeTracer !== undefined;
}

function samplerOf(name: TracesSampler, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * Starts the OpenTelemetry SDK for the process (TracingModule calls it at boot when tracing is on): a tracer provider
 * with the sampler and the OTLP/HTTP exporter behind a batch processor, the platform's context manager (the context in
 * the AsyncLocalStorage of the correlation ids, PlatformContextManager) and the W3C propagator registered globally,
 * outgoing HTTP (fetch, http) traced through Node's diagnostics channels. Started once per process: a second start
 * (another app of the same process, as in-process tests run two services) joins the running one and gets a handle of
 * its own.
 */
export function startTracing(options: StartTracingOptions): TracingHandle {
  if (!runtime) {
    const processors = options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.tracesUrl }))];
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, 'service.instance.id': hostname() }),
      sampler: samplerOf(options.sampler, options.samplerArg),
      spanProcessors: processors,
    });
    context.setGlobalContextManager(new PlatformContextManager());
    propagation.setGlobalPropagator(TRACE_CONTEXT_PROPAGATOR);
    trace.setGlobalTracerProvider(provider);
    activeTracer = provider.getTracer('@podium/platform');
    runtime = { provider, users: 0, serviceName: options.serviceName, stopHttpClients: traceHttpClients() };
  }
  const current = runtime;
  current.users++;
  let stopped = false;
  return {
    serviceName: current.serviceName,
    forceFlush: () => current.provider.forceFlush(),
    shutdown: async () => {
      if (stopped) return;
      stopped = true;
      current.users--;
      if (current.users > 0) return;
      activeTracer = undefined;
      runtime = undefined;
      current.stopHttpClients();
      try {
        await current.provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}

/** Runs `fn` with `span` as the active span, ending it when `fn` settles (errors recorded, then rethrown). */
export async function inSpan<T>(span: Span, parent: Context, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's type and message (never a stack: it may hold data). */
export function recordError(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
}
