export {
  activeTraceIds,
  extractTraceContext,
  injectTraceContext,
  sampledContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from './tracing.propagation';
export { consumeWithSpan, endSpans, JETSTREAM_ATTRIBUTES, MESSAGING_ATTRIBUTES, publishWithSpan, startSpanIn } from './tracing.spans';
export { startTracing, type StartTracingOptions, type TracingHandle, tracingActive } from './tracing.runtime';
export { TRACES_EXPORTERS, TRACES_SAMPLERS, tracingSettings } from './tracing.settings';
export { TracingModule } from './tracing.module';
export { tracePgPool } from './tracing.pg';
