/**
 * What the platform config says about tracing (the OTEL_* variables of platformConfigSchema), without loading the SDK:
 * the config module imports it.
 */

/** The samplers of OTEL_TRACES_SAMPLER (the OpenTelemetry SDK configuration's names). */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/** The exporters of OTEL_TRACES_EXPORTER the platform knows: OTLP over HTTP, or none (tracing off). */
export const TRACES_EXPORTERS = ['otlp', 'none'] as const;

/** The tracing variables of the platform config. */
export interface TracingConfig {
  SERVICE_NAME: string;
  OTEL_TRACES_ENABLED: boolean;
  OTEL_SDK_DISABLED: boolean;
  OTEL_TRACES_EXPORTER: (typeof TRACES_EXPORTERS)[number];
  OTEL_EXPORTER_OTLP_ENDPOINT: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_TRACES_SAMPLER: TracesSampler;
  OTEL_TRACES_SAMPLER_ARG: number;
  OTEL_SERVICE_NAME?: string | undefined;
}

export interface TracingSettings {
  serviceName: string;
  sampler: TracesSampler;
  samplerArg: number;
  /** The OTLP/HTTP traces URL. */
  tracesUrl: string;
}

/**
 * The settings to start tracing with, or undefined when tracing is off: OTEL_TRACES_ENABLED=true turns it on, and
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off whatever else says. Spans go to
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces (the specification's rule).
 */
export function tracingSettings(config: TracingConfig): TracingSettings | undefined {
  if (!config.OTEL_TRACES_ENABLED || config.OTEL_SDK_DISABLED || config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '');
  return {
    serviceName: config.OTEL_SERVICE_NAME ?? config.SERVICE_NAME,
    sampler: config.OTEL_TRACES_SAMPLER,
    samplerArg: config.OTEL_TRACES_SAMPLER_ARG,
    tracesUrl: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base}/v1/traces`,
  };
}
