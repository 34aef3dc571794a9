import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import { Controller, Get, Logger, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { z } from 'zod';
import { PLATFORM_APP_OPTIONS, configureApp } from '../bootstrap/bootstrap';
import { PlatformModule } from '../bootstrap/platform.module';
import { platformConfigSchema } from '../config/platform.config';
import { ZodBody } from '../http/validation';
import { HTTP_CORRELATION_ID_HEADER, getCorrelationId, runWithCorrelationId } from './correlation';
import { createLogger, isQuietPath } from './logger.options';
import { installAccessLog, installCorrelation } from './request-hooks';
import fastify, { type FastifyInstance } from 'fastify';

const rawLines: string[] = [];
const destination = { write: (line: string) => void rawLines.push(line) };
const lines = () => rawLines.map((line) => JSON.parse(line) as Record<string, unknown>);

const env = {
  SERVICE_NAME: 'logging-test',
  PORT: '3999',
  DATABASE_URL: 'postgres://podium@127.0.0.1:5432/podium',
  // Dev auth is local only: NODE_ENV=test and the explicit opt-in (docs/auth.md#local-development-only).
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'info',
};

@Controller('echo')
class EchoController {
  private readonly logger = new Logger('Echo');

  @Get()
  get() {
    this.logger.log('handling a GET');
    return { correlationId: getCorrelationId() ?? null };
  }

  @Post()
  async post(@ZodBody(z.object({ n: z.number() })) body: { n: number }) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.log(`handling a POST of ${body.n}`);
    return { correlationId: getCorrelationId() ?? null };
  }
}

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, env, logging: { destination } })],
  controllers: [EchoController],
})
class LoggingTestModule {}

describe('correlation ids and logs', () => {
  let app: PlatformApp;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LoggingTestModule] }).compile();
    app = moduleRef.createNestApplication<PlatformApp>(createHttpAdapter(), PLATFORM_APP_OPTIONS);
    configureApp(app);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    rawLines.length = 0;
  });

  it('echoes the x-correlation-id header and exposes it to the handler', async () => {
    const res = await request(app.getHttpServer()).get('/echo').set(HTTP_CORRELATION_ID_HEADER, 'abc-123');
    expect(res.headers[HTTP_CORRELATION_ID_HEADER]).toBe('abc-123');
    expect(res.body).toEqual({ correlationId: 'abc-123' });
  });

  it('generates a uuid when the header is absent or unacceptable', async () => {
    const absent = await request(app.getHttpServer()).get('/echo');
    expect(absent.headers[HTTP_CORRELATION_ID_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
    expect(absent.body).toEqual({ correlationId: absent.headers[HTTP_CORRELATION_ID_HEADER] });
    const injected = await request(app.getHttpServer()).get('/echo').set(HTTP_CORRELATION_ID_HEADER, 'a b"}{');
    expect(injected.headers[HTTP_CORRELATION_ID_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the correlation id after the JSON body was parsed', async () => {
    const res = await request(app.getHttpServer()).post('/echo').set(HTTP_CORRELATION_ID_HEADER, 'post-1').send({ n: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ correlationId: 'post-1' });
  });

  it('keeps the correlation id when the body arrives after the headers (slow client)', async () => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/echo',
          headers: { 'content-type': 'application/json', [HTTP_CORRELATION_ID_HEADER]: 'slow-1' },
        },
        (res) => {
          let data = '';
          res.on('data', (chunk: Buffer) => (data += chunk.toString()));
          res.on('end', () => resolve(data));
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      req.write('{"n":');
      setTimeout(() => req.end('3}'), 30);
    });
    expect(JSON.parse(body)).toEqual({ correlationId: 'slow-1' });
  });

  it('writes JSON lines with service and exactly one correlationId, never the credentials', async () => {
    await request(app.getHttpServer())
      .post('/echo')
      .set(HTTP_CORRELATION_ID_HEADER, 'log-1')
      .set('Authorization', 'Bearer secret-token')
      .set('Cookie', 'session=secret-cookie')
      .send({ n: 2 });
    const handlerLine = lines().find((line) => line['msg'] === 'handling a POST of 2');
    expect(handlerLine).toMatchObject({ level: 'info', service: 'logging-test', correlationId: 'log-1', context: 'Echo' });
    // A success is logged at debug: at info, the handler's line is the only one.
    expect(lines().filter((line) => line['correlationId'] === 'log-1').map((line) => line['msg'])).toEqual(['handling a POST of 2']);
    for (const raw of rawLines.filter((line) => line.includes('log-1'))) {
      expect(raw.match(/"correlationId":/g)).toHaveLength(1);
    }
    const all = rawLines.join('\n');
    expect(all).not.toContain('secret-token');
    expect(all).not.toContain('secret-cookie');
  });

  it('logs a client error at info with method, route, path, status, duration and correlation id, never headers; no probes', async () => {
    await request(app.getHttpServer()).get('/nowhere?x=1').set(HTTP_CORRELATION_ID_HEADER, 'nf-1').set('Authorization', 'Bearer t0ken');
    await request(app.getHttpServer()).get('/health/live');
    await request(app.getHttpServer()).get('/metrics');
    const accessLines = lines().filter((line) => 'durationMs' in line);
    expect(accessLines).toHaveLength(1);
    expect(accessLines[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'logging-test',
      pid: process.pid,
      hostname: expect.any(String),
      correlationId: 'nf-1',
      method: 'GET',
      route: 'unmatched',
      path: '/nowhere',
      status: 404,
      durationMs: expect.any(Number),
      msg: expect.stringMatching(/^GET unmatched 404 [\d.]+ ms$/),
    });
    expect(rawLines.join('\n')).not.toContain('t0ken');
  });
});

describe('access log (installAccessLog on Fastify)', () => {
  const out: string[] = [];
  let server: FastifyInstance;

  beforeAll(async () => {
    const logger = createLogger({ service: 'access-test', level: 'debug', destination: { write: (line) => void out.push(line) } });
    server = fastify();
    installCorrelation(server);
    installAccessLog(server, logger);
    server.get('/items/:id', () => ({ ok: true }));
    server.get('/fail', () => {
      throw new Error('boom');
    });
    await server.ready();
  });

  afterAll(() => server.close());

  it('logs successes at debug with the route template, and server errors at error', async () => {
    await server.inject({ method: 'GET', url: '/items/42?secret=1', headers: { 'x-correlation-id': 'a-1', cookie: 'c=1' } });
    await server.inject({ method: 'GET', url: '/fail', headers: { 'x-correlation-id': 'a-2' } });
    const [ok, failed] = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ok).toMatchObject({ level: 'debug', correlationId: 'a-1', method: 'GET', route: '/items/:id', path: '/items/42', status: 200 });
    expect(failed).toMatchObject({ level: 'error', correlationId: 'a-2', route: '/fail', status: 500 });
    expect(out.join('')).not.toMatch(/cookie|secret|headers/);
  });
});

describe('runWithCorrelationId', () => {
  it('scopes the id to the callback and what it awaits', async () => {
    expect(getCorrelationId()).toBeUndefined();
    const seen = await runWithCorrelationId('outer', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const inner = runWithCorrelationId('inner', () => getCorrelationId());
      return [getCorrelationId(), inner];
    });
    expect(seen).toEqual(['outer', 'inner']);
    expect(getCorrelationId()).toBeUndefined();
  });

  it('adds the current correlation id to lines of a plain logger (e.g. a NATS consumer)', () => {
    const out: string[] = [];
    const logger = createLogger({ service: 'nats-test', level: 'info', destination: { write: (line) => void out.push(line) } });
    runWithCorrelationId('msg-7', () => logger.info('consumed'));
    logger.info('outside');
    expect(JSON.parse(out[0])).toMatchObject({ service: 'nats-test', correlationId: 'msg-7', msg: 'consumed' });
    expect(JSON.parse(out[1])).not.toHaveProperty('correlationId');
  });
});

describe('isQuietPath', () => {
  it('matches probes and scrapes only', () => {
    expect(isQuietPath('/health/ready?verbose=1')).toBe(true);
    expect(isQuietPath('/metrics')).toBe(true);
    expect(isQuietPath('/healthy')).toBe(false);
    expect(isQuietPath('/units')).toBe(false);
  });
});
