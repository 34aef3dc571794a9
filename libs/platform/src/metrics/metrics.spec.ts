import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Gauge } from 'prom-client';
import request from 'supertest';
import { PLATFORM_APP_OPTIONS, configureApp } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { MetricsService } from './metrics.service';

const env = {
  SERVICE_NAME: 'metrics-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium@127.0.0.1:5432/podium',
  // Dev auth is local only: NODE_ENV=test and the explicit opt-in (docs/auth.md#local-development-only).
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'silent',
};

@Controller('units')
class UnitsController {
  @Get(':rsc')
  one(@Param('rsc') rsc: string) {
    return { rsc };
  }
}

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, env })],
  controllers: [UnitsController],
})
class MetricsTestModule {}

/** Value of the sample `name{...}` whose labels include `labels` (label order does not matter). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('metrics', () => {
  let app: PlatformApp;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [MetricsTestModule] }).compile();
    app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
    configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('exposes the HTTP histogram by route template (not raw URL), plus process metrics', async () => {
    await request(app.getHttpServer()).get('/units/ATHM100M--------------FNL-000100--').expect(200);
    await request(app.getHttpServer()).get('/units/SWMW400MIM------------HEAT000200--').expect(200);
    await request(app.getHttpServer()).get('/nowhere').expect(404);
    await request(app.getHttpServer()).get('/health/live').expect(200);

    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const routeLabels = { method: 'GET', route: '/units/:rsc', status_code: '200', service: 'metrics-test' };
    expect(sample(text, 'http_request_duration_seconds_count', routeLabels)).toBe(2);
    expect(sample(text, 'http_requests_total', routeLabels)).toBe(2);
    expect(sample(text, 'http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).not.toContain('ATHM100M');
    expect(text).not.toContain('route="/health');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('lets services create their own metrics, get-or-create by name', async () => {
    const metrics = app.get(MetricsService);
    const lag = metrics.gauge({ name: 'outbox_lag_seconds', help: 'Age of the oldest unpublished event' });
    expect(lag).toBeInstanceOf(Gauge);
    expect(metrics.gauge({ name: 'outbox_lag_seconds', help: 'again' })).toBe(lag);
    lag.set(1.5);
    const published = metrics.counter({ name: 'outbox_published_total', help: 'Published events', labelNames: ['subject'] });
    expect(published).toBeInstanceOf(Counter);
    published.inc({ subject: 'oms.schedules.v1.unit.ath.updated' });
    expect(() => metrics.counter({ name: 'outbox_lag_seconds', help: 'wrong type' })).toThrow(/another type/);

    const text = (await request(app.getHttpServer()).get('/metrics')).text;
    expect(sample(text, 'outbox_lag_seconds', { service: 'metrics-test' })).toBe(1.5);
    expect(sample(text, 'outbox_published_total', { subject: 'oms.schedules.v1.unit.ath.updated' })).toBe(1);
  });
});
