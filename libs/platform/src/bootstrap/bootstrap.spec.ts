import { Controller, Get, Module } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { createServer } from 'node:net';
import request from 'supertest';
import { ConfigValidationError } from '../config/config.errors';
import { platformConfigSchema } from '../config/platform.config';
import { bootstrapService } from './bootstrap';
import { fastifyOf } from '../http/fastify';
import { PlatformModule } from './platform.module';

const logLines: Record<string, unknown>[] = [];
const destination = { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

@Module({
  imports: [PlatformModule.forRoot({ config: platformConfigSchema, logging: { destination } })],
  controllers: [PingController],
})
class BootAppModule {}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const ENV = {
  HOST: '127.0.0.1',
  DATABASE_URL: 'postgres://podium:boot-pw@127.0.0.1:5432/podium',
  // Dev auth is local only: NODE_ENV=test and the explicit opt-in (docs/auth.md#local-development-only).
  NODE_ENV: 'test',
  PODIUM_LOCAL_DEV: 'true',
  AUTH_MODE: 'dev',
  AUTH_DEV_SECRET: 'a-dev-secret-that-is-long-enough-1234',
  LOG_LEVEL: 'info',
};

describe('bootstrapService', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    logLines.length = 0;
    for (const key of ['PORT', 'SERVICE_NAME', 'HTTP_BODY_LIMIT']) delete process.env[key];
    Object.assign(process.env, ENV);
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  it('starts the service on its default port, serves docs, logs the redacted config and marks startup', async () => {
    const port = await freePort();
    const app = await bootstrapService(BootAppModule, {
      name: 'boot-test',
      defaultPort: port,
      openApi: { title: 'Boot test', description: 'bootstrap' },
      exitOnError: false,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await request(base).get('/ping')).body).toEqual({ pong: true });
      expect((await request(base).get('/health/startup')).status).toBe(200);
      const docs = await request(base).get('/docs-json');
      expect(docs.body.info.title).toBe('Boot test');

      const configLine = logLines.find((line) => line['msg'] === 'Effective configuration');
      expect(configLine).toMatchObject({
        service: 'boot-test',
        config: { SERVICE_NAME: 'boot-test', PORT: port, DATABASE_URL: '[redacted]', AUTH_DEV_SECRET: '[redacted]' },
      });
      expect(logLines.some((line) => line['msg'] === `boot-test listening on ${base} (API docs: ${base}/docs)`)).toBe(true);
      const everything = JSON.stringify(logLines);
      expect(everything).not.toContain('boot-pw');
      expect(everything).not.toContain('a-dev-secret-that-is-long-enough');
    } finally {
      await app.close();
    }
  });

  it('fails with the ConfigValidationError when the environment is invalid', async () => {
    process.env['PORT'] = 'abc';
    await expect(
      bootstrapService(BootAppModule, { name: 'boot-test', defaultPort: 3999, openApi: false, exitOnError: false }),
    ).rejects.toThrow(ConfigValidationError);
  });
});

describe('PlatformModule guards', () => {
  it('refuses an app that is not on the Fastify adapter, saying how to create it', () => {
    const express = { httpAdapter: { getType: () => 'express' } } as unknown as HttpAdapterHost;
    expect(() => fastifyOf(express)).toThrow(/Fastify adapter: create the application with bootstrapService/);
  });

  it('refuses a config schema that does not extend platformConfigSchema', () => {
    expect(() => PlatformModule.forRoot({ config: platformConfigSchema.pick({ PORT: true }) })).toThrow(
      /must extend platformConfigSchema \(missing SERVICE_NAME, HOST/,
    );
  });
});
