import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { defineConfig, loadConfig, redactConfig, redactUrlCredentials } from './config.define';
import { ConfigValidationError } from './config.errors';
import { CONFIG_BOOT_DEFAULTS, ConfigModule, InjectConfig } from './config.module';
import { secret } from './config.secret';
import { type PlatformConfig, platformConfigSchema } from './platform.config';

/** A complete deployed configuration (NODE_ENV=production: issuer, audience and an https JWKS URL). */
const baseEnv = {
  NODE_ENV: 'production',
  SERVICE_NAME: 'schedules',
  PORT: '3001',
  DATABASE_URL: 'postgres://podium:s3cr3t-pw@db.internal:5432/schedules',
  AUTH_JWKS_URL: 'https://idp.podium.dev/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.podium.dev/',
  AUTH_AUDIENCE: 'podium',
};
const DEV_SECRET = 'x'.repeat(32);
/** What `npm start` and the tests run with: local, opted in, dev auth. */
const localDevEnv = {
  NODE_ENV: 'development',
  PODIUM_LOCAL_DEV: 'true',
  SERVICE_NAME: 'schedules',
  PORT: '3001',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/podium_schedules',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: DEV_SECRET,
};

function issuesOf(env: Record<string, string | undefined>): string[] {
  return errorOf(() => loadConfig(platformConfigSchema, env)).issues.map((issue) => `${issue.variable}: ${issue.message}`);
}

function errorOf(fn: () => unknown): ConfigValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('parses the platform variables and applies defaults', () => {
    const config = loadConfig(platformConfigSchema, baseEnv);
    expect(config).toMatchObject({
      SERVICE_NAME: 'schedules',
      HOST: '0.0.0.0',
      PORT: 3001,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_PREFIX: '',
      LOG_LEVEL: 'info',
      AUTH_MODE: 'jwks',
      HTTP_BODY_LIMIT: 1024 * 1024,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('prefers the environment over defaults, and treats an empty variable as unset', () => {
    const config = loadConfig(platformConfigSchema, { ...baseEnv, PORT: '', HTTP_BODY_LIMIT: '512kb' }, { PORT: 3005 });
    expect(config.PORT).toBe(3005);
    expect(config.HTTP_BODY_LIMIT).toBe(512 * 1024);
    expect(loadConfig(platformConfigSchema, baseEnv, { PORT: 3005 }).PORT).toBe(3001);
  });

  it('names the bad variable, why, and the value it got', () => {
    const error = errorOf(() => loadConfig(platformConfigSchema, { ...baseEnv, PORT: 'abc' }));
    expect(error.message).toBe("Invalid configuration: PORT: expected a number between 1 and 65535, got 'abc'");
    expect(error.issues).toEqual([{ variable: 'PORT', message: "expected a number between 1 and 65535, got 'abc'" }]);
  });

  it('lists every bad variable, including missing ones', () => {
    const { SERVICE_NAME: _omitted, ...env } = baseEnv;
    const error = errorOf(() => loadConfig(platformConfigSchema, { ...env, PORT: '70000', NATS_PREFIX: 'no-dot', LOG_LEVEL: 'loud' }));
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['LOG_LEVEL', 'NATS_PREFIX', 'PORT', 'SERVICE_NAME']);
    expect(error.message).toContain('SERVICE_NAME: required but not set');
    expect(error.message).toContain("PORT: expected a number between 1 and 65535, got '70000'");
  });

  it('never prints the value of a secret', () => {
    const error = errorOf(() =>
      loadConfig(platformConfigSchema, {
        ...baseEnv,
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        AUTH_MODE: 'dev',
        AUTH_DEV_SECRET: 'short-but-secret',
        AUTH_JWKS_URL: '',
      }),
    );
    expect(error.message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL, (value hidden: secret)');
    expect(error.message).toContain('AUTH_DEV_SECRET: expected at least 32 characters');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('short-but-secret');
  });

  it('checks that AUTH_MODE has its key material', () => {
    const { AUTH_JWKS_URL: _jwks, ...env } = baseEnv;
    expect(errorOf(() => loadConfig(platformConfigSchema, env)).message).toBe(
      'Invalid configuration: AUTH_JWKS_URL: required when AUTH_MODE=jwks',
    );
    expect(errorOf(() => loadConfig(platformConfigSchema, { ...env, AUTH_MODE: 'public-key' })).message).toContain(
      'AUTH_PUBLIC_KEY: required when AUTH_MODE=public-key',
    );
    expect(errorOf(() => loadConfig(platformConfigSchema, { ...baseEnv, AUTH_DEV_SECRET: DEV_SECRET })).message).toContain(
      "AUTH_DEV_SECRET: only allowed with AUTH_MODE=dev (AUTH_MODE is 'jwks')",
    );
    expect(issuesOf({ ...localDevEnv, AUTH_DEV_SECRET: undefined })).toEqual(['AUTH_DEV_SECRET: required when AUTH_MODE=dev']);
  });

  it('turns \\n escapes of a single-line PEM into newlines', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';
    const config = loadConfig(platformConfigSchema, { ...baseEnv, AUTH_MODE: 'public-key', AUTH_PUBLIC_KEY: pem });
    expect(config.AUTH_PUBLIC_KEY).toBe('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----');
  });

  it('extends the platform schema with service variables and rules', () => {
    const definition = defineConfig(
      platformConfigSchema.extend({
        EDITION: z.string().regex(/^[A-Z]+\d{4}$/),
        PARTNER_TOKEN: secret(z.string().min(10)).optional(),
      }),
      {
        rules: [(config) => (config.EDITION.startsWith('OG') ? [] : [{ variable: 'EDITION', message: 'expected an Olympic edition' }])],
      },
    );
    expect(definition.secretKeys).toEqual(['DATABASE_URL', 'NATS_PASSWORD', 'AUTH_DEV_SECRET', 'PARTNER_TOKEN']);
    expect(definition.load({ ...baseEnv, EDITION: 'OG2024' }).EDITION).toBe('OG2024');
    expect(errorOf(() => definition.load({ ...baseEnv, EDITION: 'PG2024' })).message).toBe(
      'Invalid configuration: EDITION: expected an Olympic edition',
    );
  });
});

describe('local-only conveniences and deployed auth (fail closed)', () => {
  it('accepts dev auth locally with the explicit opt-in: NODE_ENV=development or test and PODIUM_LOCAL_DEV=true', () => {
    const config = loadConfig(platformConfigSchema, localDevEnv);
    expect(config).toMatchObject({ NODE_ENV: 'development', PODIUM_LOCAL_DEV: true, AUTH_MODE: 'dev' });
    expect(loadConfig(platformConfigSchema, { ...localDevEnv, NODE_ENV: 'test' }).AUTH_MODE).toBe('dev');
  });

  it('accepts a complete deployed configuration, jwks or public-key, with the opt-in off', () => {
    const config = loadConfig(platformConfigSchema, baseEnv);
    expect(config).toMatchObject({ NODE_ENV: 'production', PODIUM_LOCAL_DEV: false, AUTH_MODE: 'jwks' });
    const pem = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';
    const { AUTH_JWKS_URL: _jwks, ...env } = baseEnv;
    expect(loadConfig(platformConfigSchema, { ...env, NODE_ENV: 'staging', AUTH_MODE: 'public-key', AUTH_PUBLIC_KEY: pem }).AUTH_MODE).toBe('public-key');
    expect(loadConfig(platformConfigSchema, { ...baseEnv, PODIUM_LOCAL_DEV: 'false' }).PODIUM_LOCAL_DEV).toBe(false);
  });

  it('keeps local jwks convenient: an http JWKS URL without issuer or audience, when NODE_ENV is development or test', () => {
    const env = { ...baseEnv, NODE_ENV: 'test', AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks', AUTH_ISSUER: '', AUTH_AUDIENCE: '' };
    expect(loadConfig(platformConfigSchema, env).AUTH_JWKS_URL).toBe('http://127.0.0.1:8080/jwks');
  });

  it('refuses dev auth without the opt-in, even locally', () => {
    expect(issuesOf({ ...localDevEnv, PODIUM_LOCAL_DEV: undefined })).toEqual([
      "AUTH_MODE: 'dev' (HS256 with a shared, possibly public secret) needs the explicit local opt-in PODIUM_LOCAL_DEV=true",
    ]);
    expect(issuesOf({ ...localDevEnv, NODE_ENV: 'test', PODIUM_LOCAL_DEV: 'false' })).toEqual([
      "AUTH_MODE: 'dev' (HS256 with a shared, possibly public secret) needs the explicit local opt-in PODIUM_LOCAL_DEV=true",
    ]);
  });

  it('refuses dev auth and the opt-in wherever NODE_ENV is not development or test (staging, rehearsal, production, unset)', () => {
    const localOnly = 'local only: NODE_ENV=development or test, with PODIUM_LOCAL_DEV=true';
    const deployed = (shown: string) => `required when ${shown} (a deployment; only development and test are local)`;
    expect(issuesOf({ ...localDevEnv, NODE_ENV: 'staging' })).toEqual([
      `PODIUM_LOCAL_DEV: refused when NODE_ENV=staging: the local conveniences it allows (AUTH_MODE=dev, demo keys) are ${localOnly}`,
      `AUTH_MODE: 'dev' is refused when NODE_ENV=staging: use jwks or public-key (dev auth is ${localOnly})`,
      `AUTH_ISSUER: ${deployed('NODE_ENV=staging')}`,
      `AUTH_AUDIENCE: ${deployed('NODE_ENV=staging')}`,
    ]);
    // Without the opt-in, the same: dev auth is refused, not waiting for an opt-in that would be refused too.
    expect(issuesOf({ ...localDevEnv, NODE_ENV: 'rehearsal', PODIUM_LOCAL_DEV: undefined })).toContain(
      `AUTH_MODE: 'dev' is refused when NODE_ENV=rehearsal: use jwks or public-key (dev auth is ${localOnly})`,
    );
    expect(issuesOf({ ...localDevEnv, NODE_ENV: 'production' })).toContain(
      `AUTH_MODE: 'dev' is refused when NODE_ENV=production: use jwks or public-key (dev auth is ${localOnly})`,
    );
    // Unset is not local: a process started by hand on a server fails closed.
    expect(issuesOf({ ...localDevEnv, NODE_ENV: undefined })).toEqual([
      `PODIUM_LOCAL_DEV: refused when NODE_ENV is not set: the local conveniences it allows (AUTH_MODE=dev, demo keys) are ${localOnly}`,
      `AUTH_MODE: 'dev' is refused when NODE_ENV is not set: use jwks or public-key (dev auth is ${localOnly})`,
      `AUTH_ISSUER: ${deployed('NODE_ENV is not set')}`,
      `AUTH_AUDIENCE: ${deployed('NODE_ENV is not set')}`,
    ]);
    // NODE_ENV is matched exactly: 'Development' or 'dev' are deployments.
    expect(issuesOf({ ...localDevEnv, NODE_ENV: 'dev' })[0]).toMatch(/^PODIUM_LOCAL_DEV: refused when NODE_ENV=dev:/);
  });

  it('refuses the opt-in in a deployment even when nothing uses it', () => {
    expect(issuesOf({ ...baseEnv, NODE_ENV: 'rehearsal', PODIUM_LOCAL_DEV: 'true' })).toEqual([
      'PODIUM_LOCAL_DEV: refused when NODE_ENV=rehearsal: the local conveniences it allows (AUTH_MODE=dev, demo keys) are ' +
        'local only: NODE_ENV=development or test, with PODIUM_LOCAL_DEV=true',
    ]);
    expect(issuesOf({ ...baseEnv, PODIUM_LOCAL_DEV: 'maybe' })).toEqual(["PODIUM_LOCAL_DEV: expected true or false, got 'maybe'"]);
  });

  it('requires an issuer, an audience and an https JWKS URL in a deployment', () => {
    expect(issuesOf({ ...baseEnv, AUTH_ISSUER: undefined, AUTH_AUDIENCE: '' })).toEqual([
      'AUTH_ISSUER: required when NODE_ENV=production (a deployment; only development and test are local)',
      'AUTH_AUDIENCE: required when NODE_ENV=production (a deployment; only development and test are local)',
    ]);
    expect(issuesOf({ ...baseEnv, NODE_ENV: 'staging', AUTH_JWKS_URL: 'http://user:pw@idp.internal/jwks.json' })).toEqual([
      "AUTH_JWKS_URL: expected an https:// URL when NODE_ENV=staging (keys fetched in clear can be swapped), got 'http://idp.internal/jwks.json'",
    ]);
    const pem = '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';
    expect(issuesOf({ ...baseEnv, AUTH_MODE: 'public-key', AUTH_JWKS_URL: undefined, AUTH_PUBLIC_KEY: pem, AUTH_AUDIENCE: undefined })).toEqual([
      'AUTH_AUDIENCE: required when NODE_ENV=production (a deployment; only development and test are local)',
    ]);
  });
});

describe('redactConfig', () => {
  it('hides secrets, secret-looking names and URL credentials', () => {
    const definition = defineConfig(platformConfigSchema.extend({ S3_SECRET: z.string() }));
    const config = definition.load({ ...baseEnv, NATS_URL: 'nats://app:nats-pw@nats-1:4222,nats://token123@nats-2:4222', S3_SECRET: 'zzz' });
    const redacted = redactConfig(config);
    expect(redacted).toMatchObject({
      DATABASE_URL: '[redacted]',
      S3_SECRET: '[redacted]',
      NATS_URL: 'nats://app:[redacted]@nats-1:4222,nats://[redacted]@nats-2:4222',
      PORT: 3001,
    });
    const text = JSON.stringify(redacted);
    for (const secretValue of ['s3cr3t-pw', 'nats-pw', 'token123', 'zzz']) expect(text).not.toContain(secretValue);
  });

  it('accepts extra secret keys and leaves URLs without credentials alone', () => {
    expect(redactConfig({ A: 'visible', B: 'hidden' }, ['B'])).toEqual({ A: 'visible', B: '[redacted]' });
    expect(redactUrlCredentials('https://idp.podium.dev/jwks')).toBe('https://idp.podium.dev/jwks');
  });
});

describe('ConfigModule', () => {
  @Injectable()
  class NeedsConfig {
    constructor(@InjectConfig() readonly config: PlatformConfig) {}
  }

  it('provides the typed config to any provider, with boot defaults below module defaults', async () => {
    // What bootstrapService does: a global provider of the boot defaults.
    @Global()
    @Module({
      providers: [{ provide: CONFIG_BOOT_DEFAULTS, useValue: { PORT: 9999, LOG_LEVEL: 'warn' } }],
      exports: [CONFIG_BOOT_DEFAULTS],
    })
    class BootDefaults {}
    @Module({
      imports: [
        BootDefaults,
        ConfigModule.forRoot(platformConfigSchema, { env: { ...baseEnv, PORT: undefined }, defaults: { PORT: 3002 } }),
      ],
      providers: [NeedsConfig],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const { config } = moduleRef.get(NeedsConfig);
    expect(config.PORT).toBe(3002);
    expect(config.LOG_LEVEL).toBe('warn');
    expect(config.SERVICE_NAME).toBe('schedules');
    await moduleRef.close();
  });

  it('fails the boot with the ConfigValidationError', async () => {
    @Module({ imports: [ConfigModule.forRoot(platformConfigSchema, { env: { ...baseEnv, PORT: 'abc' } })], providers: [NeedsConfig] })
    class AppModule {}
    await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
      "Invalid configuration: PORT: expected a number between 1 and 65535, got 'abc'",
    );
  });
});
