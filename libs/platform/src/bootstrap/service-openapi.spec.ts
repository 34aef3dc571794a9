import SwaggerParser from '@apidevtools/swagger-parser';
import { Controller, Get, HttpCode, Module, type OnModuleInit, Post } from '@nestjs/common';
import { ApiOperation, ApiTags, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { platformConfigSchema } from '../config/platform.config';
import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import { ApiZodResponse, OPENAPI_VERSION } from '../http/openapi';
import { Public } from '../http/public.decorator';
import { ZodBody, ZodParam } from '../http/validation';
import { configureApp, createServiceOpenApiDocument, PLATFORM_APP_OPTIONS } from './bootstrap';
import { PlatformModule } from './platform.module';
import { parseOpenApiArgs, writeServiceOpenApi } from './service-main';

const destination = { write: () => undefined };
const ENV = {
  SERVICE_NAME: 'openapi-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium:pw@127.0.0.1:5432/podium',
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'info',
};

/** What a service's database or NATS connection stands for: counted when made (factory) and when connected (init). */
const connections = { made: 0, connected: 0 };
const CONNECTION = Symbol('CONNECTION');
class Connector implements OnModuleInit {
  onModuleInit(): void {
    connections.connected++;
  }
}

const itemSchema = z
  .strictObject({
    code: z.string().length(3),
    size: z.number().int().positive().nullable(),
    extra: z.custom<Record<string, unknown>>((v) => typeof v === 'object').nullable(),
  })
  .meta({ id: 'DocItem' });

@ApiTags('items')
@Controller('v1/items')
class ItemsController {
  @Post()
  @ApiOperation({ summary: 'Create an item' })
  create(@ZodBody(itemSchema) body: z.infer<typeof itemSchema>) {
    return body;
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One item' })
  @ApiZodResponse(itemSchema)
  one(@ZodParam('code', z.string().length(3)) code: string) {
    return { code, size: null, extra: null };
  }

  @Post(':code/archive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive an item' })
  archive(@ZodParam('code', z.string().length(3)) _code: string) {
    return undefined;
  }
}

/** An app module as a service has one: config read from the environment, a connection made by a factory. */
function appModule(env: Record<string, string>) {
  @Module({
    imports: [PlatformModule.forRoot({ config: platformConfigSchema, env, logging: { destination } })],
    controllers: [ItemsController],
    providers: [
      Connector,
      {
        provide: CONNECTION,
        useFactory: () => {
          connections.made++;
          return {};
        },
      },
    ],
  })
  class AppModule {}
  return AppModule;
}

const OPEN_API = { title: 'Items', description: 'for tests', version: '9.9.9' };
/** A deep copy (swagger-parser dereferences in place), typed as what it reads. */
const clone = (document: OpenAPIObject): OpenAPIObject => JSON.parse(JSON.stringify(document)) as OpenAPIObject;

describe('the OpenAPI document of a service without running it (main.js openapi)', () => {
  beforeEach(() => {
    connections.made = 0;
    connections.connected = 0;
  });

  it('needs no configuration, makes no connection, and equals the document the running service serves', async () => {
    // An empty environment: the running service would refuse to boot (no DATABASE_URL, no auth settings).
    const document = await createServiceOpenApiDocument(appModule({}), { name: 'openapi-test', defaultPort: 3999, openApi: OPEN_API });
    expect(connections).toEqual({ made: 0, connected: 0 });

    const moduleRef = await Test.createTestingModule({ imports: [appModule(ENV)] }).compile();
    const app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
    try {
      configureApp(app, { openApi: OPEN_API });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      expect(connections).toEqual({ made: 1, connected: 1 });
      const served = await request(app.getHttpServer()).get('/docs-json');
      expect(served.status).toBe(200);
      expect(clone(document)).toEqual(served.body);
    } finally {
      await app.close();
    }
  });

  describe('the document', () => {
    let document: OpenAPIObject;
    beforeAll(async () => {
      document = await createServiceOpenApiDocument(appModule({}), { name: 'openapi-test', defaultPort: 3999, openApi: OPEN_API });
    });

    it('is OpenAPI 3.1 (JSON Schema 2020-12, what zod 4 emits) and valid for swagger-parser', async () => {
      expect(document.openapi).toBe(OPENAPI_VERSION);
      expect(OPENAPI_VERSION).toBe('3.1.0');
      await expect(SwaggerParser.validate(clone(document) as unknown as Parameters<typeof SwaggerParser.validate>[0])).resolves.toBeDefined();
      // 2020-12 forms, which an OpenAPI 3.0 document may not carry: a null type in a type list, no `nullable`.
      expect(document.components?.schemas?.['DocItem']).toMatchObject({
        properties: { size: { anyOf: [{ type: 'integer', exclusiveMinimum: 0 }, { type: 'null' }] } },
      });
      expect(JSON.stringify(document)).not.toContain('"nullable"');
      // An unrepresentable type (z.custom) is any value: no `anyOf: [{}, ...]`, which linters call illogical.
      expect(document.components?.schemas?.['DocItem']).toMatchObject({ properties: { extra: {} } });
      expect(JSON.stringify(document.components?.schemas?.['DocItem'])).not.toContain('anyOf":[{}');
    });

    it('has a license, a server, and lists the operations\' tags', () => {
      expect(document.info.license).toEqual({ name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' });
      expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
      expect(document.tags).toEqual([{ name: 'items' }]);
    });

    it('documents the success status a handler answers with when it documents none, and validation problems', () => {
      const create = document.paths['/v1/items']?.post;
      expect(Object.keys(create?.responses ?? {}).sort()).toEqual(['201', '400', '415']);
      expect(create?.responses['400']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
      const archive = document.paths['/v1/items/{code}/archive']?.post;
      expect(Object.keys(archive?.responses ?? {}).sort()).toEqual(['204', '400']);
      // A documented success is kept as it is, with its schema.
      const one = document.paths['/v1/items/{code}']?.get;
      expect(one?.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/DocItem' } } } });
      expect(one?.security).toEqual([]);
      expect(one?.operationId).toBe('ItemsController_one');
    });
  });

  it('main.js openapi --out writes the document as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-spec-'));
    try {
      const out = join(dir, 'doc.json');
      await writeServiceOpenApi(appModule({}), { name: 'schedules', openApi: OPEN_API }, ['--out', out]);
      const text = readFileSync(out, 'utf8');
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toMatchObject({ openapi: '3.1.0', info: { title: 'Items' }, paths: { '/v1/items': {} } });
      await expect(writeServiceOpenApi(appModule({}), { name: 'schedules', openApi: false }, [])).rejects.toThrow(
        'schedules serves no OpenAPI document',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses its arguments: --out <file> or --out=<file>, nothing else', () => {
    expect(parseOpenApiArgs([])).toEqual({ out: undefined });
    expect(parseOpenApiArgs(['--out', 'a.json'])).toEqual({ out: 'a.json' });
    expect(parseOpenApiArgs(['--out=b.json'])).toEqual({ out: 'b.json' });
    expect(() => parseOpenApiArgs(['--out'])).toThrow(/Usage: main.js openapi \[--out <file>\]/);
    expect(() => parseOpenApiArgs(['--out', '--pretty'])).toThrow(/Unexpected argument '--out'/);
    expect(() => parseOpenApiArgs(['x.json'])).toThrow(/Unexpected argument 'x.json'/);
  });
});
