import { type DynamicModule, Global, Logger as NestLogger, Module, type NestApplicationOptions, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { redactConfig } from '../config/config.define';
import { ConfigValidationError } from '../config/config.errors';
import { CONFIG, CONFIG_BOOT_DEFAULTS } from '../config/config.module';
import type { PlatformConfig } from '../config/platform.config';
import { AppLifecycle } from '../health/app-lifecycle';
import { createHttpAdapter, type PlatformApp } from '../http/fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createOpenApiDocument, type OpenApiOptions, setupOpenApi } from '../http/openapi';
import { createLogger } from '../logging/logger.options';
import { PlatformLogger } from '../logging/platform-logger';

/**
 * Options to create a platform app with: logs buffered until pino takes over, and Nest's body parser off (the
 * platform parses bodies itself). Tests: `moduleRef.createNestApplication(createHttpAdapter(), PLATFORM_APP_OPTIONS)`.
 */
export const PLATFORM_APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, bodyParser: false };

export interface ConfigureAppOptions {
  /** Serve OpenAPI (UI /docs, JSON /docs-json); omitted: no docs. */
  openApi?: OpenApiOptions;
}

/**
 * What bootstrapService applies to an app before it listens: pino as the Nest logger (flushing the buffered lines)
 * and OpenAPI. Tests call it on their testing app too.
 */
export function configureApp(app: PlatformApp, options: ConfigureAppOptions = {}): void {
  app.useLogger(app.get(PlatformLogger));
  app.flushLogs();
  if (options.openApi) setupOpenApi(app, options.openApi);
}

export interface BootstrapServiceOptions {
  /** SERVICE_NAME default, and the service in the fatal line when the boot fails. */
  name: string;
  /** PORT default. */
  defaultPort: number;
  /** OpenAPI title/description/version; false for no docs. */
  openApi: OpenApiOptions | false;
  /** Extra setup before listening (e.g. a non-JSON body parser). */
  configure?: (app: PlatformApp) => void | Promise<void>;
  /** Log the failure and exit(1) when the boot fails (default true); false rethrows instead. */
  exitOnError?: boolean;
}

@Global()
@Module({})
class BootDefaultsModule {}

@Module({})
class ServiceRootModule {}

function withBootDefaults(rootModule: Type<unknown> | DynamicModule, defaults: Record<string, string | number>): DynamicModule {
  return {
    module: ServiceRootModule,
    imports: [
      {
        module: BootDefaultsModule,
        global: true,
        providers: [{ provide: CONFIG_BOOT_DEFAULTS, useValue: defaults }],
        exports: [CONFIG_BOOT_DEFAULTS],
      },
      rootModule,
    ],
  };
}

function listeningUrl(app: PlatformApp, host: string): string {
  const address = app.getHttpServer().address() as AddressInfo | string | null;
  const port = typeof address === 'object' && address !== null ? address.port : undefined;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}${port === undefined ? '' : `:${port}`}`;
}

function reportBootFailure(name: string, error: unknown): void {
  const logger = createLogger({ service: name, level: 'info' });
  if (error instanceof ConfigValidationError) {
    logger.fatal({ issues: error.issues }, error.message);
  } else {
    logger.fatal({ err: error }, `Boot failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The OpenAPI document of a service, from its modules alone: the app is created in Nest's preview mode, which reads
 * the module graph and the controllers' metadata without instantiating any provider, so no configuration is read, no
 * database or NATS connection is made and nothing listens (`node main.js openapi`, docs/openapi/<service>.json).
 * Provider-independent by construction: controllers and their decorators are all a document is made of.
 */
export async function createServiceOpenApiDocument(
  rootModule: Type<unknown> | DynamicModule,
  options: Pick<BootstrapServiceOptions, 'name' | 'defaultPort'> & { openApi: OpenApiOptions },
): Promise<OpenAPIObject> {
  const app = await NestFactory.create<PlatformApp>(
    withBootDefaults(rootModule, { SERVICE_NAME: options.name, PORT: options.defaultPort }),
    createHttpAdapter(),
    { ...PLATFORM_APP_OPTIONS, preview: true, logger: false, abortOnError: false },
  );
  return createOpenApiDocument(app, options.openApi);
}

/**
 * Creates, configures and starts a service: validated config (env > service defaults > these
 * options), pino logs, JSON body limit, problem+json errors, OpenAPI, shutdown hooks; listens on
 * HOST:PORT, logs the redacted config and the URL, then marks startup complete (/health/startup).
 *
 *   void bootstrapService(AppModule, { name: 'schedules', defaultPort: 3001,
 *     openApi: { title: 'Schedules', description: 'Competition schedule (OMS)' } });
 */
export async function bootstrapService(
  rootModule: Type<unknown> | DynamicModule,
  options: BootstrapServiceOptions,
): Promise<PlatformApp> {
  let app: PlatformApp | undefined;
  try {
    app = await NestFactory.create<PlatformApp>(
      withBootDefaults(rootModule, { SERVICE_NAME: options.name, PORT: options.defaultPort }),
      createHttpAdapter(),
      { ...PLATFORM_APP_OPTIONS, abortOnError: false },
    );
    configureApp(app, { openApi: options.openApi === false ? undefined : options.openApi });
    if (options.configure) await options.configure(app);
    app.enableShutdownHooks();

    const config = app.get<PlatformConfig>(CONFIG);
    // Idle connections outlive the proxies' (createHttpAdapter); the headers timeout must exceed the keep-alive one.
    app.getHttpServer().headersTimeout = 66_000;
    await app.listen({ port: config.PORT, host: config.HOST, backlog: config.HTTP_BACKLOG });

    const logger = new NestLogger('Bootstrap');
    logger.log({ config: redactConfig(config) }, 'Effective configuration');
    const url = listeningUrl(app, config.HOST);
    logger.log(`${config.SERVICE_NAME} listening on ${url}${options.openApi === false ? '' : ` (API docs: ${url}/docs)`}`);
    app.get(AppLifecycle).markStarted();
    return app;
  } catch (error) {
    reportBootFailure(options.name, error);
    await app?.close().catch(() => undefined);
    if (options.exitOnError ?? true) process.exit(1);
    throw error;
  }
}
