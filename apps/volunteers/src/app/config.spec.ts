import { LOCAL_DEV_SECRET } from '@podium/auth';
import { serviceDefinition } from '@podium/contracts';
import { ConfigValidationError, redactConfig } from '@podium/platform';
import { randomBytes } from 'node:crypto';

import { dataKeysOf, duplicateSecretOf, VOLUNTEERS_DEFAULTS, volunteersConfig } from './config';

const DATA_KEY = randomBytes(32).toString('base64');
const DUPLICATE = randomBytes(32).toString('base64');
const BASE = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:pw@127.0.0.1:5432/podium_volunteers',
  AUTH_JWKS_URL: 'https://idp.example/jwks',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'podium',
  VOLUNTEERS_DATA_KEYS: JSON.stringify({ current: 'v1', keys: { v1: DATA_KEY } }),
  VOLUNTEERS_DUPLICATE_SECRET: DUPLICATE,
};
const LOCAL_DEV = { NODE_ENV: 'development', PODIUM_LOCAL_DEV: 'true', DATABASE_URL: BASE.DATABASE_URL, AUTH_MODE: 'dev', AUTH_DEV_SECRET: LOCAL_DEV_SECRET };
const load = (env: Record<string, string>) => volunteersConfig.load(env, { SERVICE_NAME: 'volunteers', PORT: serviceDefinition('volunteers').port, ...VOLUNTEERS_DEFAULTS });
function issues(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('volunteers config', () => {
  it('reads the data key ring and the duplicate secret, and never prints them', () => {
    const config = load(BASE);
    expect(dataKeysOf(config).current).toBe('v1');
    expect(duplicateSecretOf(config).equals(Buffer.from(DUPLICATE, 'base64'))).toBe(true);
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain(DATA_KEY);
    expect(shown).not.toContain(DUPLICATE);
  });

  it('refuses a deployment without them, or with a short duplicate secret; uses the public development values only in local development', () => {
    const { VOLUNTEERS_DATA_KEYS: _k, VOLUNTEERS_DUPLICATE_SECRET: _s, ...bare } = BASE;
    expect(issues(bare)).toEqual([expect.stringMatching(/^VOLUNTEERS_DATA_KEYS: is required/), expect.stringMatching(/^VOLUNTEERS_DUPLICATE_SECRET: is required/)]);
    const short = issues({ ...BASE, VOLUNTEERS_DUPLICATE_SECRET: randomBytes(16).toString('base64') });
    expect(short).toEqual([expect.stringContaining('at least 32 random bytes')]);
    expect(short.join()).not.toContain(BASE.VOLUNTEERS_DUPLICATE_SECRET);
    const dev = load(LOCAL_DEV);
    expect(dataKeysOf(dev).current).toBe('dev-1');
    expect(duplicateSecretOf(dev)).toHaveLength(37);
    expect(() => dataKeysOf({ PODIUM_LOCAL_DEV: false, VOLUNTEERS_DATA_KEYS: undefined })).toThrow('required outside local development');
  });
});
