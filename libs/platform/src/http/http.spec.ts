import { createHttpAdapter, type PlatformApp } from './fastify';
import { Controller, Get, HttpCode, Module, NotFoundException, Post, SetMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { z } from 'zod';
import { PLATFORM_APP_OPTIONS, configureApp } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { Etag } from './etag';
import { ApiProblemResponses, ApiZodResponse } from './openapi';
import { ProblemException } from './problem';
import { Public } from './public.decorator';
import { ZodBody, ZodParam, ZodQuery } from './validation';

const logLines: Record<string, unknown>[] = [];
const destination = { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };

const env = {
  SERVICE_NAME: 'http-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium:pw@127.0.0.1:5432/podium',
  // Dev auth is local only: NODE_ENV=test and the explicit opt-in (docs/auth.md#local-development-only).
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'info',
  HTTP_BODY_LIMIT: '200b',
};

const unitSchema = z.strictObject({ rsc: z.string().length(34), name: z.string().min(1) }).meta({ id: 'TestUnit' });
const createUnitsSchema = z.strictObject({ units: z.array(unitSchema).min(1) });
const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size'),
  discipline: z.string().length(3).optional(),
});
const rscParam = z.string().regex(/^[A-Z0-9-]{34}$/, 'expected a 34-character RSC');

@Controller('units')
class UnitsController {
  @Post()
  @HttpCode(201)
  @ApiProblemResponses(400, 413, 415)
  @ApiZodResponse(createUnitsSchema, { status: 201 })
  create(@ZodBody(createUnitsSchema) body: z.infer<typeof createUnitsSchema>) {
    return { created: body.units.length };
  }

  @Get()
  list(@ZodQuery(listQuerySchema) query: z.infer<typeof listQuerySchema>) {
    return { limit: query.limit, discipline: query.discipline ?? null };
  }

  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2 and this must stay server-side');
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('No unit with that code');
  }

  @Get('conflict')
  conflict(): never {
    throw new ProblemException({
      status: 409,
      slug: 'unit-version-conflict',
      title: 'Version conflict',
      detail: 'The unit changed since you read it.',
      headers: { 'Retry-After': '1' },
    });
  }

  @Get('raw-zod')
  rawZod() {
    return z.object({ count: z.number() }).parse({ count: 'x' });
  }

  @Get('auth-problem')
  authProblem(): never {
    // Shape thrown by @podium/auth: an HttpException whose response is already a problem body.
    throw new (class extends NotFoundException {})({
      type: 'https://podium.dev/problems/unauthorized',
      title: 'Unauthorized',
      status: 404,
      detail: 'no token',
    });
  }

  @Get('versioned')
  @Etag({ cacheControl: 'public, max-age=5' })
  versioned() {
    return { b: 2, a: 1, at: new Date('2024-07-27T19:30:00Z') };
  }

  @Get('open')
  @SetMetadata('podium:public', true) // what @podium/auth's @Public() sets
  open() {
    return { open: true };
  }

  @Get(':rsc')
  @Public()
  one(@ZodParam('rsc', rscParam) rsc: string) {
    return { rsc };
  }
}

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, env, logging: { destination } })],
  controllers: [UnitsController],
})
class TestAppModule {}

const RSC = 'ATHM100M--------------FNL-000100--';

describe('HTTP edge: problem+json, validation, ETag, OpenAPI', () => {
  let app: PlatformApp;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
    configureApp(app, { openApi: { title: 'Test API', description: 'for tests', version: '9.9.9' } });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  function expectProblem(res: request.Response, status: number, slug: string): Record<string, unknown> {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ type: `https://podium.dev/problems/${slug}`, status });
    expect(typeof body['title']).toBe('string');
    expect(typeof body['detail']).toBe('string');
    expect(body['correlationId']).toBe(res.headers['x-correlation-id']);
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
    return body;
  }

  it('accepts a valid JSON body', async () => {
    const res = await request(app.getHttpServer())
      .post('/units')
      .send({ units: [{ rsc: RSC, name: 'Final' }] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 1 });
  });

  it('answers malformed JSON with 400 malformed-json', async () => {
    const res = await request(app.getHttpServer())
      .post('/units')
      .set('Content-Type', 'application/json')
      .send('{"units": [');
    const body = expectProblem(res, 400, 'malformed-json');
    expect(body['instance']).toBe('/units');
  });

  it('names the bad field with its location prefix', async () => {
    const res = await request(app.getHttpServer())
      .post('/units')
      .send({ units: [{ rsc: 'SHORT', name: 'Final' }] });
    const body = expectProblem(res, 400, 'validation-failed');
    expect(body['errors']).toEqual([
      { field: 'body.units[0].rsc', message: 'Too small: expected string to have exactly 34 characters' },
    ]);
  });

  it('rejects unknown fields of a strict schema and reports missing ones as Required', async () => {
    const res = await request(app.getHttpServer())
      .post('/units')
      .send({ units: [{ rsc: RSC }], extra: true });
    const body = expectProblem(res, 400, 'validation-failed');
    expect(body['errors']).toEqual(
      expect.arrayContaining([
        { field: 'body.units[0].name', message: 'Required' },
        { field: 'body.extra', message: 'Unknown field' },
      ]),
    );
  });

  it('accepts application/*+json and refuses other media types with 415', async () => {
    const ok = await request(app.getHttpServer())
      .post('/units')
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ units: [{ rsc: RSC, name: 'x' }] }));
    expect(ok.status).toBe(201);
    const res = await request(app.getHttpServer()).post('/units').set('Content-Type', 'text/plain').send('units');
    expectProblem(res, 415, 'unsupported-media-type');
  });

  it('answers a body over HTTP_BODY_LIMIT with 413', async () => {
    const units = Array.from({ length: 10 }, () => ({ rsc: RSC, name: 'a long enough name' }));
    const res = await request(app.getHttpServer()).post('/units').send({ units });
    const body = expectProblem(res, 413, 'payload-too-large');
    expect(body['detail']).toContain('200 bytes');
  });

  it('validates and coerces the query string, with query.-prefixed fields', async () => {
    const ok = await request(app.getHttpServer()).get('/units?limit=5');
    expect(ok.body).toEqual({ limit: 5, discipline: null });
    const res = await request(app.getHttpServer()).get('/units?limit=500&colour=red');
    const body = expectProblem(res, 400, 'validation-failed');
    expect(body['errors']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'query.limit' }),
        { field: 'query.colour', message: 'Unknown field' },
      ]),
    );
  });

  it('validates path parameters as path.<name>', async () => {
    expect((await request(app.getHttpServer()).get(`/units/${RSC}`)).body).toEqual({ rsc: RSC });
    const body = expectProblem(await request(app.getHttpServer()).get('/units/bad'), 400, 'validation-failed');
    expect(body['errors']).toEqual([{ field: 'path.rsc', message: 'expected a 34-character RSC' }]);
  });

  it('renders unknown routes and NotFoundException as 404 not-found', async () => {
    const unknown = expectProblem(await request(app.getHttpServer()).get('/nowhere'), 404, 'not-found');
    expect(unknown['instance']).toBe('/nowhere');
    const thrown = expectProblem(await request(app.getHttpServer()).get('/units/missing'), 404, 'not-found');
    expect(thrown['detail']).toBe('No unit with that code');
  });

  it('renders a ProblemException with its slug, title and headers', async () => {
    const res = await request(app.getHttpServer()).get('/units/conflict?x=1');
    const body = expectProblem(res, 409, 'unit-version-conflict');
    expect(body).toMatchObject({ title: 'Version conflict', detail: 'The unit changed since you read it.', instance: '/units/conflict' });
    expect(res.headers['retry-after']).toBe('1');
  });

  it('passes through an HttpException whose response is already a problem body', async () => {
    const body = expectProblem(await request(app.getHttpServer()).get('/units/auth-problem'), 404, 'unauthorized');
    expect(body['detail']).toBe('no token');
  });

  it('maps a raw ZodError to 400 validation-failed', async () => {
    const body = expectProblem(await request(app.getHttpServer()).get('/units/raw-zod'), 400, 'validation-failed');
    expect(body['errors']).toEqual([expect.objectContaining({ field: 'count' })]);
  });

  it('answers an unexpected error with 500 internal, no stack or message, and logs the stack', async () => {
    logLines.length = 0;
    const res = await request(app.getHttpServer()).get('/units/boom').set('x-correlation-id', 'boom-1');
    const body = expectProblem(res, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body['correlationId']).toBe('boom-1');
    const logged = logLines.find((line) => line['context'] === 'ProblemDetails');
    expect(logged).toMatchObject({ level: 'error', correlationId: 'boom-1', service: 'http-test' });
    expect(String((logged?.['err'] as { stack?: string } | undefined)?.stack)).toContain('UnitsController.boom');
    const accessLine = logLines.find((line) => 'durationMs' in line);
    expect(accessLine).toMatchObject({ level: 'error', correlationId: 'boom-1', method: 'GET', route: '/units/boom', status: 500 });
    expect(accessLine).not.toHaveProperty('err');
  });

  it('sets a strong ETag and answers 304 when If-None-Match matches', async () => {
    const first = await request(app.getHttpServer()).get('/units/versioned');
    expect(first.status).toBe(200);
    const etag = first.headers['etag'];
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=5');
    const second = await request(app.getHttpServer()).get('/units/versioned').set('If-None-Match', etag);
    expect(second.status).toBe(304);
    expect(second.text).toBe('');
    const stale = await request(app.getHttpServer()).get('/units/versioned').set('If-None-Match', '"other"');
    expect(stale.status).toBe(200);
  });

  describe('OpenAPI', () => {
    let doc: unknown;
    /** The value at a path of the JSON document. */
    const at = (...path: Array<string | number>): unknown =>
      path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], doc);

    beforeAll(async () => {
      const res = await request(app.getHttpServer()).get('/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('serves the UI and declares the bearer scheme, required by default', async () => {
      expect((await request(app.getHttpServer()).get('/docs')).status).toBe(200);
      expect(at('info')).toMatchObject({ title: 'Test API', version: '9.9.9' });
      expect(at('components', 'securitySchemes', 'bearer')).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(at('security')).toEqual([{ bearer: [] }]);
      expect(at('paths', '/units/{rsc}', 'get', 'security')).toEqual([]);
      expect(at('paths', '/units/open', 'get', 'security')).toEqual([]);
      expect(at('paths', '/units', 'post', 'security')).toBeUndefined();
      expect(JSON.stringify(doc)).not.toContain('x-podium-public');
    });

    it('documents bodies, query and path parameters from the zod schemas', () => {
      const body = ['paths', '/units', 'post', 'requestBody', 'content', 'application/json', 'schema'];
      expect(at(...body)).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['units'],
      });
      expect(at(...body, 'properties', 'units', 'items')).toEqual({
        $ref: '#/components/schemas/TestUnit',
      });
      expect(at('components', 'schemas', 'TestUnit')).toMatchObject({ required: ['rsc', 'name'] });
      expect(at('paths', '/units', 'post', 'responses', '413', 'content', 'application/problem+json', 'schema')).toEqual({
        $ref: '#/components/schemas/Problem',
      });
      expect(at('components', 'schemas', 'Problem', 'required')).toEqual(
        expect.arrayContaining(['type', 'title', 'status', 'detail', 'correlationId']),
      );
      const params = at('paths', '/units', 'get', 'parameters');
      expect(params).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'limit', in: 'query', required: false, description: 'Page size' }),
          expect.objectContaining({ name: 'discipline', in: 'query', required: false }),
        ]),
      );
      const rsc = at('paths', '/units/{rsc}', 'get', 'parameters', 0);
      expect(rsc).toMatchObject({ name: 'rsc', in: 'path', required: true, schema: { type: 'string' } });
    });

    it('leaves health and metrics out', () => {
      expect(Object.keys(at('paths') as object).filter((path) => path.startsWith('/health') || path === '/metrics')).toEqual([]);
    });
  });
});
