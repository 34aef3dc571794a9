import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PLATFORM_APP_OPTIONS, configureApp } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { AppLifecycle } from './app-lifecycle';
import { HealthRegistry } from './health.registry';
import { HealthCheckError, runReadinessChecks } from './readiness';

const env = {
  SERVICE_NAME: 'health-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium@127.0.0.1:5432/podium',
  // The probes need no auth; a local config (NODE_ENV=test) with jwks needs no opt-in to anything insecure.
  NODE_ENV: 'test',
  AUTH_JWKS_URL: 'https://idp.test/.well-known/jwks.json',
  LOG_LEVEL: 'silent',
};

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, env, health: { checkTimeoutMs: 50 } })],
})
class HealthTestModule {}

describe('health probes', () => {
  let app: PlatformApp;
  let registry: HealthRegistry;
  let dbUp: boolean;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HealthTestModule] }).compile();
    app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
    configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    registry = app.get(HealthRegistry);
    dbUp = true;
    registry.register('db', async () => {
      if (!dbUp) throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (user podium)');
    });
    registry.register('nats', () => undefined);
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers startup and readiness with 503 until the app has started, liveness always 200', async () => {
    const startup = await request(app.getHttpServer()).get('/health/startup');
    expect(startup.status).toBe(503);
    expect(startup.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(startup.body).toMatchObject({ type: 'https://podium.dev/problems/not-started', status: 503 });
    expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(503);
    const live = await request(app.getHttpServer()).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
  });

  it('answers startup 200 once the app has started', async () => {
    app.get(AppLifecycle).markStarted();
    const res = await request(app.getHttpServer()).get('/health/startup');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready when every registered check passes', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { db: 'up', nats: 'up' } });
  });

  it('is not ready (503) when a check fails, naming the check and a reason code, never the error text', async () => {
    dbUp = false;
    const res = await request(app.getHttpServer()).get('/health/ready');
    dbUp = true;
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://podium.dev/problems/not-ready',
      status: 503,
      detail: 'db: error',
      checks: { db: 'down', nats: 'up' },
      failures: { db: 'error' },
    });
    for (const leak of ['ECONNREFUSED', '10.1.2.3', '5432', 'podium)']) expect(res.text).not.toContain(leak);
    expect(typeof res.body.correlationId).toBe('string');
    // Liveness does not depend on the database.
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });

  it('counts a check that hangs past the timeout as down', async () => {
    registry.register('slow', () => new Promise<void>(() => undefined));
    const res = await request(app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.failures).toEqual({ slow: 'timeout' });
    registry.register('slow', () => undefined);
  });

  it("shows a check's own HealthCheckError code, not its message", async () => {
    registry.register('state', () => {
      throw new HealthCheckError('replaying', 'replaying RESULTS from nats://10.1.2.3:4222');
    });
    const res = await request(app.getHttpServer()).get('/health/ready');
    registry.register('state', () => undefined);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ detail: 'state: replaying', failures: { state: 'replaying' } });
    expect(res.text).not.toContain('10.1.2.3');
  });
});

describe('runReadinessChecks', () => {
  it('runs checks concurrently and reports synchronous throws', async () => {
    const started: string[] = [];
    const report = await runReadinessChecks(
      [
        { name: 'a', check: async () => void started.push('a') },
        {
          name: 'b',
          check: () => {
            started.push('b');
            throw new Error('boom');
          },
        },
      ],
      100,
    );
    expect(started.sort()).toEqual(['a', 'b']);
    expect(report).toEqual({
      ready: false,
      checks: { a: 'up', b: 'down' },
      failures: { b: 'error' },
      errors: { b: { code: 'error', message: 'boom' } },
    });
  });

  it('is ready with no checks', async () => {
    expect(await runReadinessChecks([], 100)).toEqual({ ready: true, checks: {}, failures: {}, errors: {} });
  });

  it('takes only safe reason codes from HealthCheckError', () => {
    expect(new HealthCheckError('not-caught-up', 'x').code).toBe('not-caught-up');
    for (const bad of ['', 'Replaying', 'host:5432', 'a b', 'x'.repeat(41)]) {
      expect(() => new HealthCheckError(bad, 'x')).toThrow(/reason code must be lowercase words/);
    }
  });
});
