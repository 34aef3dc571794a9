import { AuthConfigError, authOptionsFromEnv, parseAuthOptions } from './auth.options';
import { LOCAL_DEV_SECRET } from './dev-defaults';

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----';
/** A local, opted-in environment: where dev mode is accepted. */
const LOCAL = { NODE_ENV: 'test', PODIUM_LOCAL_DEV: 'true' };

describe('authOptionsFromEnv', () => {
  it('reads jwks mode with defaults', () => {
    const options = authOptionsFromEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'https://idp.test/jwks.json', AUTH_ISSUER: 'https://idp.test' });
    expect(options).toEqual(
      expect.objectContaining({
        mode: 'jwks',
        jwksUrl: 'https://idp.test/jwks.json',
        issuer: 'https://idp.test',
        algorithms: ['RS256', 'ES256', 'EdDSA'],
        clockToleranceSeconds: 5,
        realm: 'podium',
      }),
    );
  });

  it('infers jwks or public-key from the variables present, never dev', () => {
    expect(authOptionsFromEnv({ AUTH_JWKS_URL: 'https://idp.test/jwks.json' }).mode).toBe('jwks');
    expect(authOptionsFromEnv({ AUTH_PUBLIC_KEY: PEM }).mode).toBe('public-key');
    expect(() => authOptionsFromEnv({})).toThrow(AuthConfigError);
    expect(() => authOptionsFromEnv({ AUTH_DEV_SECRET: LOCAL_DEV_SECRET })).toThrow(/set AUTH_MODE/);
  });

  it('accepts a PEM with literal \\n, an algorithm list and several audiences', () => {
    const options = authOptionsFromEnv({
      AUTH_MODE: 'public-key',
      AUTH_PUBLIC_KEY: PEM.replace(/\n/g, '\\n'),
      AUTH_ALGORITHMS: 'EdDSA, ES256',
      AUTH_AUDIENCE: 'podium-api,podium-admin',
      AUTH_CLOCK_TOLERANCE_SECONDS: '10',
    });
    expect(options).toEqual(
      expect.objectContaining({ publicKey: PEM, algorithms: ['EdDSA', 'ES256'], audience: ['podium-api', 'podium-admin'], clockToleranceSeconds: 10 }),
    );
  });

  it('refuses a dev secret outside dev mode', () => {
    expect(() =>
      authOptionsFromEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'https://idp.test/jwks.json', AUTH_DEV_SECRET: LOCAL_DEV_SECRET }),
    ).toThrow(/AUTH_DEV_SECRET is set but AUTH_MODE is 'jwks'/);
  });

  it('uses the local dev secret in explicit dev mode, and refuses a short one', () => {
    expect(authOptionsFromEnv({ ...LOCAL, AUTH_MODE: 'dev' })).toEqual(expect.objectContaining({ mode: 'dev', devSecret: LOCAL_DEV_SECRET }));
    expect(authOptionsFromEnv({ ...LOCAL, NODE_ENV: 'development', AUTH_MODE: 'dev' }).mode).toBe('dev');
    let message = '';
    try {
      authOptionsFromEnv({ ...LOCAL, AUTH_MODE: 'dev', AUTH_DEV_SECRET: 'too-short-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/devSecret: must be at least 32 characters/);
    expect(message).not.toContain('too-short-secret'); // a secret is never echoed
  });

  it('refuses dev mode unless the env is local and opted in (PODIUM_LOCAL_DEV=true, NODE_ENV development or test)', () => {
    const refused = (env: Record<string, string>) => () => authOptionsFromEnv({ AUTH_MODE: 'dev', ...env });
    const localOnly = 'Invalid auth configuration: AUTH_MODE=dev is for local development only: it needs PODIUM_LOCAL_DEV=true with NODE_ENV=development or test';
    expect(refused({ NODE_ENV: 'test' })).toThrow(`${localOnly} (PODIUM_LOCAL_DEV=unset, NODE_ENV=test)`);
    expect(refused({ NODE_ENV: 'development', PODIUM_LOCAL_DEV: 'false' })).toThrow(`${localOnly} (PODIUM_LOCAL_DEV=false, NODE_ENV=development)`);
    expect(refused({ NODE_ENV: 'staging', PODIUM_LOCAL_DEV: 'true' })).toThrow(`${localOnly} (PODIUM_LOCAL_DEV=true, NODE_ENV=staging)`);
    expect(refused({ NODE_ENV: 'production', PODIUM_LOCAL_DEV: 'true' })).toThrow(AuthConfigError);
    expect(refused({ PODIUM_LOCAL_DEV: 'true' })).toThrow(`${localOnly} (PODIUM_LOCAL_DEV=true, NODE_ENV is not set)`);
    expect(refused({ NODE_ENV: 'test', PODIUM_LOCAL_DEV: 'maybe' })).toThrow(AuthConfigError);
  });

  it('refuses HS256 in asymmetric modes, unknown modes and bad URLs', () => {
    expect(() => authOptionsFromEnv({ AUTH_MODE: 'public-key', AUTH_PUBLIC_KEY: PEM, AUTH_ALGORITHMS: 'HS256' })).toThrow(/algorithms/);
    expect(() => authOptionsFromEnv({ AUTH_MODE: 'none' })).toThrow(/AUTH_MODE must be jwks, public-key or dev/);
    expect(() => authOptionsFromEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'file:///etc/keys' })).toThrow(/jwksUrl/);
    expect(() => parseAuthOptions({ mode: 'public-key', publicKey: 'not a pem' })).toThrow(/publicKey: must be an SPKI PEM/);
  });
});
