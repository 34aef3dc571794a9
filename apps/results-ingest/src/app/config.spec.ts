import { LOCAL_DEV_SECRET } from '@podium/auth';
import { serviceDefinition } from '@podium/contracts';
import { ConfigValidationError, redactConfig } from '@podium/platform';

import { sha256Hex } from '../intake/api-keys';
import { demoKeysEnabled, RESULTS_INGEST_DEFAULTS, resultsIngestConfig } from './config';

const BASE = { DATABASE_URL: 'postgres://u:pw@127.0.0.1:5432/podium_results_ingest', AUTH_JWKS_URL: 'https://idp.example/jwks' };
const KEYS = JSON.stringify({ 'venue-key-0123456789abcdef': ['SEQATH1'] });

/** As runService boots it: SERVICE_NAME and PORT from the service list, then the service's own defaults. */
const BOOT_DEFAULTS = { SERVICE_NAME: 'results-ingest', PORT: serviceDefinition('results-ingest').port, ...RESULTS_INGEST_DEFAULTS };

function load(env: Record<string, string>) {
  return resultsIngestConfig.load(env, BOOT_DEFAULTS);
}

function issues(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('results-ingest config', () => {
  it('defaults to port 3006, a 10 MB limit and a 10 s publish wait', () => {
    const config = load({ ...BASE, INGEST_API_KEYS: KEYS });
    expect(config).toMatchObject({
      SERVICE_NAME: 'results-ingest',
      PORT: 3006,
      INGEST_MAX_BYTES: 10 * 1024 * 1024,
      HTTP_BODY_LIMIT: 10 * 1024 * 1024,
      INGEST_PUBLISH_TIMEOUT_MS: 10_000,
    });
    expect(config.INGEST_API_KEYS).toEqual([{ hash: sha256Hex('venue-key-0123456789abcdef'), sources: ['SEQATH1'] }]);
    expect(demoKeysEnabled(config)).toBe(false);
  });

  it('requires API keys in production, never falling back to the demo key silently', () => {
    expect(issues(BASE)).toEqual([expect.stringMatching(/^INGEST_API_KEYS: is required/)]);
    expect(demoKeysEnabled(load({ ...BASE, INGEST_DEMO_KEYS: 'true' }))).toBe(true);
  });

  it('enables the demo key with AUTH_MODE=dev unless INGEST_DEMO_KEYS=false', () => {
    const dev = { DATABASE_URL: BASE.DATABASE_URL, AUTH_MODE: 'dev', AUTH_DEV_SECRET: LOCAL_DEV_SECRET };
    expect(demoKeysEnabled(load(dev))).toBe(true);
    expect(issues({ ...dev, INGEST_DEMO_KEYS: 'false' })).toEqual([expect.stringMatching(/^INGEST_API_KEYS: is required/)]);
  });

  it('keeps the JSON body limit at least the message limit', () => {
    expect(issues({ ...BASE, INGEST_API_KEYS: KEYS, HTTP_BODY_LIMIT: '1mb' })).toEqual([
      `HTTP_BODY_LIMIT: must be at least INGEST_MAX_BYTES (${10 * 1024 * 1024} bytes): JSON messages are parsed with it`,
    ]);
  });

  it('never shows the API keys', () => {
    const config = load({ ...BASE, INGEST_API_KEYS: KEYS });
    expect(JSON.stringify(redactConfig(config))).not.toContain(sha256Hex('venue-key-0123456789abcdef'));
    const error = issues({ ...BASE, INGEST_API_KEYS: '{"venue-key-0123456789abcdef": 3}' });
    expect(error.join()).not.toContain('venue-key-0123456789abcdef');
    expect(error[0]).toMatch(/^INGEST_API_KEYS: /);
  });
});
