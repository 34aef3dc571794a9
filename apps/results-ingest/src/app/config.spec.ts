import { LOCAL_DEV_SECRET } from '@podium/auth';
import { serviceDefinition } from '@podium/contracts';
import { ConfigValidationError, redactConfig } from '@podium/platform';

import { sha256Hex } from '../intake/api-keys';
import { demoKeysEnabled, RESULTS_INGEST_DEFAULTS, resultsIngestConfig } from './config';

/** A complete deployed configuration (NODE_ENV=production: issuer, audience, https JWKS URL). */
const BASE = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:pw@127.0.0.1:5432/podium_results_ingest',
  AUTH_JWKS_URL: 'https://idp.example/jwks',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'podium',
};
/** As `npm start` runs it: local, opted in, dev auth. */
const LOCAL_DEV = {
  NODE_ENV: 'development',
  PODIUM_LOCAL_DEV: 'true',
  DATABASE_URL: BASE.DATABASE_URL,
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: LOCAL_DEV_SECRET,
};
const DEMO_LOCAL_ONLY =
  "INGEST_DEMO_KEYS: the public demo key 'demo-venue-key' is local only: it needs PODIUM_LOCAL_DEV=true " +
  '(with NODE_ENV=development or test); configure venue keys in INGEST_API_KEYS';
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

  it('requires API keys in production, never falling back to the demo key', () => {
    expect(issues(BASE)).toEqual([expect.stringMatching(/^INGEST_API_KEYS: is required/)]);
    // Asking for the demo key in a deployment is a boot error, not a demo key.
    expect(issues({ ...BASE, INGEST_DEMO_KEYS: 'true' })).toEqual([DEMO_LOCAL_ONLY]);
    expect(issues({ ...BASE, NODE_ENV: 'staging', INGEST_API_KEYS: KEYS, INGEST_DEMO_KEYS: 'true' })).toEqual([DEMO_LOCAL_ONLY]);
    // ...and the opt-in that would allow it is refused there too.
    expect(issues({ ...BASE, NODE_ENV: 'staging', INGEST_DEMO_KEYS: 'true', PODIUM_LOCAL_DEV: 'true' })).toEqual([
      expect.stringMatching(/^PODIUM_LOCAL_DEV: refused when NODE_ENV=staging/),
    ]);
  });

  it('refuses the demo key without the local opt-in, even when NODE_ENV is development or test', () => {
    const local = { ...BASE, NODE_ENV: 'test', INGEST_API_KEYS: KEYS };
    expect(issues({ ...local, INGEST_DEMO_KEYS: 'true' })).toEqual([DEMO_LOCAL_ONLY]);
    expect(demoKeysEnabled(load(local))).toBe(false);
  });

  it('enables the demo key locally with the opt-in: by default with AUTH_MODE=dev unless INGEST_DEMO_KEYS=false, or asked for', () => {
    expect(demoKeysEnabled(load(LOCAL_DEV))).toBe(true);
    expect(demoKeysEnabled(load({ ...LOCAL_DEV, NODE_ENV: 'test' }))).toBe(true);
    expect(issues({ ...LOCAL_DEV, INGEST_DEMO_KEYS: 'false' })).toEqual([expect.stringMatching(/^INGEST_API_KEYS: is required/)]);
    const localJwks = { ...BASE, NODE_ENV: 'development', PODIUM_LOCAL_DEV: 'true' };
    expect(issues(localJwks)).toEqual([expect.stringMatching(/^INGEST_API_KEYS: is required/)]);
    expect(demoKeysEnabled(load({ ...localJwks, INGEST_DEMO_KEYS: 'true' }))).toBe(true);
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
