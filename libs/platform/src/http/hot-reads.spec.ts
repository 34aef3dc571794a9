import { Controller, Get, Injectable, Module, type OnModuleInit, Req, Res } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { z } from 'zod';
import { PLATFORM_APP_OPTIONS, configureApp } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { sendCached } from './etag';
import { createHttpAdapter, type HttpReply, type HttpRequest, type PlatformApp } from './fastify';
import { HotReads } from './hot-reads';
import { ProblemException } from './problem';
import { Public } from './public.decorator';
import { ZodParam } from './validation';

const env = {
  SERVICE_NAME: 'hot-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium:pw@127.0.0.1:5432/podium',
  // Dev auth is local only: NODE_ENV=test and the explicit opt-in (docs/auth.md#local-development-only).
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'silent',
};

const DOCS: Record<string, string> = { HOT: '{"code":"HOT"}', COLD: '{"code":"COLD"}' };
const etagOf = (code: string) => `"${code.toLowerCase()}-1"`;
let controllerCalls = 0;

@Public()
@Controller('docs')
class DocsController {
  @Get(':code')
  doc(@ZodParam('code', z.string().regex(/^[A-Z]{3,5}$/)) code: string, @Req() req: HttpRequest, @Res() reply: HttpReply): void {
    controllerCalls++;
    const body = DOCS[code];
    if (body === undefined) throw new ProblemException({ status: 404, slug: 'document-not-found', detail: `No ${code}` });
    sendCached(req, reply, body, { etag: etagOf(code), cacheControl: 'public, max-age=1' });
  }
}

/** Serves HOT from memory; every other code goes to the controller. */
@Injectable()
class DocsHotReads implements OnModuleInit {
  constructor(private readonly hot: HotReads) {}

  onModuleInit(): void {
    this.hot.serve('/docs/:code', (req) => {
      const { code } = req.params as { code?: string };
      return code === 'HOT' ? { body: DOCS['HOT']!, etag: etagOf('HOT'), cacheControl: 'public, max-age=1' } : undefined;
    });
  }
}

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, env })],
  controllers: [DocsController],
  providers: [DocsHotReads],
})
class HotTestModule {}

async function start(module: unknown): Promise<PlatformApp> {
  const moduleRef = await Test.createTestingModule({ imports: [module as typeof HotTestModule] }).compile();
  const app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('HotReads', () => {
  let app: PlatformApp;

  beforeAll(async () => {
    app = await start(HotTestModule);
  });

  afterAll(() => app.close());

  it('answers a hot read from memory without running the controller, with the headers the controller gives', async () => {
    const calls = controllerCalls;
    const hot = await request(app.getHttpServer()).get('/docs/HOT').set('x-correlation-id', 'hot-1');
    expect(controllerCalls).toBe(calls);
    const cold = await request(app.getHttpServer()).get('/docs/COLD');
    expect(controllerCalls).toBe(calls + 1);
    expect(hot.status).toBe(200);
    expect(hot.text).toBe(DOCS['HOT']);
    expect(hot.headers).toMatchObject({ etag: '"hot-1"', 'cache-control': 'public, max-age=1', 'x-correlation-id': 'hot-1' });
    // Same header names as the controller's answer (values aside).
    const names = (res: request.Response) => Object.keys(res.headers).filter((name) => name !== 'date').sort();
    expect(names(hot)).toEqual(names(cold));
  });

  it('answers 304 to a conditional hot read', async () => {
    const res = await request(app.getHttpServer()).get('/docs/HOT').set('If-None-Match', '"hot-1"');
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
  });

  it('leaves what it does not answer to the controller: validation and not-found problems are the same as without it', async () => {
    const bad = await request(app.getHttpServer()).get('/docs/bad!');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'https://podium.dev/problems/validation-failed' });
    const missing = await request(app.getHttpServer()).get('/docs/NONE');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: 'https://podium.dev/problems/document-not-found' });
  });

  it('counts hot reads in the HTTP metrics under the route template', async () => {
    await request(app.getHttpServer()).get('/docs/HOT');
    const metrics = await request(app.getHttpServer()).get('/metrics');
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/docs\/:code",status_code="200",service="hot-test"\} \d+/);
  });

  it('refuses to start when a hot read names a route that does not exist', async () => {
    @Injectable()
    class TypoHotReads implements OnModuleInit {
      constructor(private readonly hot: HotReads) {}
      onModuleInit(): void {
        this.hot.serve('/doc/:code', () => undefined);
      }
    }
    @Module({ imports: [PlatformModule.forRoot({ config: platformConfigSchema, env })], controllers: [DocsController], providers: [TypoHotReads] })
    class TypoModule {}
    await expect(start(TypoModule)).rejects.toThrow('HotReads: no GET route /doc/:code');
  });
});
