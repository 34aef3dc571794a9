import {
  defineConfig,
  envBoolean,
  envByteSize,
  envInt,
  envUrl,
  type InferConfig,
  platformConfigSchema,
  secret,
} from '@podium/platform';

import { apiKeysSchema } from '../intake/api-keys';

/**
 * The results-ingest configuration: the platform variables plus
 * - INGEST_API_KEYS (secret): JSON mapping each venue API key to the ODF Sources it may send for, or '*' for all,
 *   e.g. `{"k3y...":["SEQATH1","SEQATH2"],"sha256:9f86d0...":"*"}` (a `sha256:<hex>` entry keeps the key itself out
 *   of the environment). Required unless the demo key applies.
 * - INGEST_DEMO_KEYS: add the public demo key `demo-venue-key`, allowed for every Source. Local only: it needs the
 *   platform's opt-in PODIUM_LOCAL_DEV=true (itself refused unless NODE_ENV is development or test); without it the
 *   demo key is never configured and INGEST_DEMO_KEYS=true is a boot error. With the opt-in, the default is on with
 *   AUTH_MODE=dev (as `npm start` runs) and off otherwise.
 * - INGEST_MAX_BYTES: largest accepted message, after decompression (default 10mb; larger: 413).
 * - INGEST_PUBLISH_TIMEOUT_MS: how long a request waits for the publication before answering 503 (the message is
 *   stored; a retry of the same message answers `duplicate` once it is published).
 * - SCHEDULES_URL: optional base URL of the schedules service, to bootstrap the known RSCs from its snapshots at boot.
 */
export const resultsIngestConfigSchema = platformConfigSchema.extend({
  INGEST_API_KEYS: secret(apiKeysSchema).optional(),
  INGEST_DEMO_KEYS: envBoolean().optional(),
  INGEST_MAX_BYTES: envByteSize().prefault('10mb'),
  INGEST_PUBLISH_TIMEOUT_MS: envInt({ min: 100, max: 120_000 }).default(10_000),
  SCHEDULES_URL: envUrl(['http', 'https']).optional(),
});

export type ResultsIngestConfig = InferConfig<typeof resultsIngestConfigSchema>;

/**
 * True when the demo key `demo-venue-key` is configured: only with the local opt-in (PODIUM_LOCAL_DEV=true, which the
 * platform accepts only when NODE_ENV is development or test), then INGEST_DEMO_KEYS, by default on with AUTH_MODE=dev.
 */
export function demoKeysEnabled(config: Pick<ResultsIngestConfig, 'INGEST_DEMO_KEYS' | 'AUTH_MODE' | 'PODIUM_LOCAL_DEV'>): boolean {
  return config.PODIUM_LOCAL_DEV && (config.INGEST_DEMO_KEYS ?? config.AUTH_MODE === 'dev');
}

export const resultsIngestConfig = defineConfig(resultsIngestConfigSchema, {
  rules: [
    (config) =>
      config.INGEST_DEMO_KEYS === true && !config.PODIUM_LOCAL_DEV
        ? [
            {
              variable: 'INGEST_DEMO_KEYS',
              message:
                "the public demo key 'demo-venue-key' is local only: it needs PODIUM_LOCAL_DEV=true " +
                '(with NODE_ENV=development or test); configure venue keys in INGEST_API_KEYS',
            },
          ]
        : [],
    (config) =>
      config.INGEST_API_KEYS === undefined && !demoKeysEnabled(config) && config.INGEST_DEMO_KEYS !== true
        ? [
            {
              variable: 'INGEST_API_KEYS',
              message:
                'is required: a JSON object mapping each venue API key to its Sources (or "*"); ' +
                'the demo key (INGEST_DEMO_KEYS) is for local development only (PODIUM_LOCAL_DEV=true)',
            },
          ]
        : [],
    (config) =>
      config.HTTP_BODY_LIMIT < config.INGEST_MAX_BYTES
        ? [
            {
              variable: 'HTTP_BODY_LIMIT',
              message: `must be at least INGEST_MAX_BYTES (${config.INGEST_MAX_BYTES} bytes): JSON messages are parsed with it`,
            },
          ]
        : [],
  ],
});

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const RESULTS_INGEST_DEFAULTS = { HTTP_BODY_LIMIT: '10mb' } as const;

/** Role allowed to resend stored versions; readers of the audit API need it or oc-admin. */
export const OPERATOR_ROLE = 'ods-operator';
export const READER_ROLES = [OPERATOR_ROLE, 'oc-admin'] as const;
