import { z } from 'zod';
import { type InferConfig, defineConfig } from './config.define';
import { envBoolean, envByteSize, envInt, envPem, envPort, envUrl, envUrlList } from './config.env';
import { secret } from './config.secret';
import { TRACES_EXPORTERS, TRACES_SAMPLERS } from '../tracing/tracing.settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const AUTH_MODES = ['jwks', 'public-key', 'dev'] as const;

/**
 * The variables every Podium service reads. A service extends it with its own:
 * `defineConfig(platformConfigSchema.extend({ EDITION: z.string() }))`.
 * SERVICE_NAME and PORT have no default here: the service passes them (bootstrapService / PlatformModule).
 */
export const platformConfigSchema = z.object({
  /** Name in logs, metrics and the event `source` (lowercase, e.g. 'schedules'). */
  SERVICE_NAME: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase name (a-z, 0-9, -)'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: envPort(),
  /**
   * Connections the kernel may hold for the server before it accepts them (listen backlog; the kernel caps it at
   * net.core.somaxconn). Node's default, 511, overflows when thousands of clients reconnect at once (a replica gone:
   * its CIS and SSE clients move to the others), and each dropped SYN is retried only after 1 s, 3 s, 7 s...
   */
  HTTP_BACKLOG: envInt({ min: 1, max: 65_535 }).default(4096),
  /** PostgreSQL connection string of the service's own database. */
  DATABASE_URL: secret(envUrl(['postgres', 'postgresql'])),
  NATS_URL: envUrlList(['nats', 'tls', 'ws', 'wss']).default('nats://127.0.0.1:4222'),
  /** The service's NATS user and password (each service has its own, with publish/subscribe permissions). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: secret(z.string().min(1)).optional(),
  /** Prepended to every subject (and, with '.' replaced by '_', to stream/consumer names); '' in production. */
  NATS_PREFIX: z
    .string()
    .regex(/^(?:[a-z0-9][a-z0-9_-]*\.)?$/i, "expected '' or a token ending with '.', e.g. 't1a2b.'")
    .default(''),
  /**
   * Replicas of each JetStream stream the service declares (num_replicas): 1 on a single server (local), 3 on a 3-node
   * cluster (production), so a stream survives the loss of a node. A stream with fewer is raised to it; never lowered.
   */
  NATS_STREAM_REPLICAS: envInt({ min: 1, max: 5 }).default(1),
  /**
   * Whether the service declares its JetStream streams at boot (default true). The chart sets false for a service in a
   * NATS account of its own, where the jetstream-admin Job made the streams it follows (mirrors).
   */
  NATS_DECLARE_STREAMS: envBoolean().default(true),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /**
   * How the process runs: `development` or `test` on a developer's machine or in a test runner; anything else, unset
   * included, is a deployment, whose AUTH_* must be complete (platform.rules.ts). The image sets `production`.
   */
  NODE_ENV: z.string().optional(),
  /**
   * The explicit opt-in to the local-only conveniences (AUTH_MODE=dev with its public secret, results-ingest's demo
   * key); refused unless NODE_ENV is development or test, so a loaded config with it true runs locally.
   */
  PODIUM_LOCAL_DEV: envBoolean().default(false),
  AUTH_MODE: z.enum(AUTH_MODES).default('jwks'),
  AUTH_JWKS_URL: envUrl(['https', 'http']).optional(),
  /** SPKI PEM; `\n` escapes are accepted. */
  AUTH_PUBLIC_KEY: envPem('PUBLIC KEY').optional(),
  /** HS256 shared secret, only with AUTH_MODE=dev. */
  AUTH_DEV_SECRET: secret(z.string().min(32, 'expected at least 32 characters')).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Largest accepted JSON body, e.g. '1mb'; parsed to bytes. */
  HTTP_BODY_LIMIT: envByteSize().prefault('1mb'),
  /**
   * OpenTelemetry tracing (docs/tracing.md): off unless true. The standard variables below keep their meaning:
   * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off whatever this says.
   */
  OTEL_TRACES_ENABLED: envBoolean().default(false),
  OTEL_SDK_DISABLED: envBoolean().default(false),
  OTEL_TRACES_EXPORTER: z.enum(TRACES_EXPORTERS).default('otlp'),
  /** The collector's OTLP/HTTP base URL; spans go to <it>/v1/traces (unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl(['http', 'https']).default('http://localhost:4318'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envUrl(['http', 'https']).optional(),
  /** Which traces are kept: by default a share (OTEL_TRACES_SAMPLER_ARG) of those starting here, and those whose caller kept them. */
  OTEL_TRACES_SAMPLER: z.enum(TRACES_SAMPLERS).default('parentbased_traceidratio'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'expected a ratio between 0 and 1' })
    .min(0, 'expected a ratio between 0 and 1')
    .max(1, 'expected a ratio between 0 and 1')
    .default(1),
  /** service.name of the spans; SERVICE_NAME when unset. */
  OTEL_SERVICE_NAME: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase name (a-z, 0-9, -)').optional(),
});

/** The platform config definition (schema + the AUTH_* rules, which every loaded config gets anyway). */
export const platformConfig = defineConfig(platformConfigSchema);

export type PlatformConfig = InferConfig<typeof platformConfigSchema>;
export type PlatformConfigSchema = typeof platformConfigSchema;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
