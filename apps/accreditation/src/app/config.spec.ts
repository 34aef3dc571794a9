import { LOCAL_DEV_SECRET } from '@podium/auth';
import { generateSigningKey, publicJwk } from '@podium/accreditation-credential';
import { serviceDefinition } from '@podium/contracts';
import { ConfigValidationError, redactConfig } from '@podium/platform';
import { createPublicKey, randomBytes } from 'node:crypto';

import { ACCREDITATION_DEFAULTS, accreditationConfig, credentialKeysOf, dataKeysOf } from './config';

const BASE = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:pw@127.0.0.1:5432/podium_accreditation',
  AUTH_JWKS_URL: 'https://idp.example/jwks',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'podium',
  ACCREDITATION_DATA_KEYS: JSON.stringify({ current: 'og2024-d1', keys: { 'og2024-d1': randomBytes(32).toString('base64') } }),
};
const LOCAL_DEV = { NODE_ENV: 'development', PODIUM_LOCAL_DEV: 'true', DATABASE_URL: BASE.DATABASE_URL, AUTH_MODE: 'dev', AUTH_DEV_SECRET: LOCAL_DEV_SECRET };
const BOOT_DEFAULTS = { SERVICE_NAME: 'accreditation', PORT: serviceDefinition('accreditation').port, ...ACCREDITATION_DEFAULTS };

const der = (key: ReturnType<typeof generateSigningKey>) => key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const load = (env: Record<string, string>) => accreditationConfig.load(env, BOOT_DEFAULTS);
function issues(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('accreditation config', () => {
  it('signs with the named key and publishes every key, a retired public one included; never prints them', () => {
    const current = generateSigningKey('og2024-2');
    const retired = generateSigningKey('og2024-1');
    const retiredPublic = createPublicKey(retired.privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
    const config = load({ ...BASE, ACCREDITATION_SIGNING_KEYS: JSON.stringify({ signing: 'og2024-2', keys: { 'og2024-1': retiredPublic, 'og2024-2': der(current) } }) });
    const keys = credentialKeysOf(config);
    expect(keys.signing.kid).toBe('og2024-2');
    expect(keys.verification.map((k) => publicJwk(k))).toEqual([publicJwk(retired), publicJwk(current)]);
    expect(JSON.stringify(redactConfig(config))).not.toContain(der(current));
    expect(config.PORT).toBe(3003);
  });

  it('refuses to start in a deployment without keys, and never uses the public development key there', () => {
    expect(issues(BASE)).toEqual([expect.stringMatching(/^ACCREDITATION_SIGNING_KEYS: is required/)]);
    expect(credentialKeysOf(load(LOCAL_DEV)).signing.kid).toBe('dev-1');
  });

  it('reads the personal data key ring, refuses a deployment without one, never prints it', () => {
    const old = randomBytes(32).toString('base64');
    const current = randomBytes(32).toString('base64');
    const config = load({ ...BASE, ACCREDITATION_SIGNING_KEYS: JSON.stringify({ signing: 'k1', keys: { k1: der(generateSigningKey('k1')) } }), ACCREDITATION_DATA_KEYS: JSON.stringify({ current: 'd2', keys: { d1: old, d2: current } }) });
    const ring = dataKeysOf(config);
    expect(ring.current).toBe('d2');
    expect([...ring.keys.keys()]).toEqual(['d1', 'd2']);
    expect(JSON.stringify(redactConfig(config))).not.toContain(current);
    const { ACCREDITATION_DATA_KEYS: _, ...withoutDataKeys } = BASE;
    expect(issues(withoutDataKeys)).toContainEqual(expect.stringMatching(/^ACCREDITATION_DATA_KEYS: is required/));
    expect(dataKeysOf(load(LOCAL_DEV)).current).toBe('dev-1');
    const bad = issues({ ...BASE, ACCREDITATION_DATA_KEYS: JSON.stringify({ current: 'd1', keys: { d1: randomBytes(16).toString('base64') } }) });
    expect(bad).toContainEqual(expect.stringContaining('key d1 must be the base64 of exactly 32 random bytes'));
    expect(bad.join(' ')).toContain('(value hidden: secret)');
  });

  it('refuses a signing key that is not a private key of the set, and keys that are not Ed25519', () => {
    const key = generateSigningKey('k1');
    const publicOnly = createPublicKey(key.privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
    expect(issues({ ...BASE, ACCREDITATION_SIGNING_KEYS: JSON.stringify({ signing: 'k2', keys: { k1: der(key) } }) })).toEqual([expect.stringContaining('the signing key k2 must be one of the keys')]);
    expect(issues({ ...BASE, ACCREDITATION_SIGNING_KEYS: JSON.stringify({ signing: 'k1', keys: { k1: publicOnly } }) })).toEqual([expect.stringContaining('a private one')]);
    expect(issues({ ...BASE, ACCREDITATION_SIGNING_KEYS: JSON.stringify({ signing: 'k1', keys: { k1: 'bm90IGEga2V5' } }) })).toEqual([expect.stringContaining('neither a base64 PKCS#8')]);
    expect(issues({ ...BASE, ACCREDITATION_SIGNING_KEYS: 'not json' })).toEqual([expect.stringContaining('must be JSON')]);
  });
});
