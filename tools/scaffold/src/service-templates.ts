/**
 * The files of a new service (apps/<name>/ and its contracts file), in the shape every Podium service has: a module
 * per feature (module, thin controller, service holding the writes, repository, pure logic with its unit spec), the
 * platform's config, health, metrics, NATS, outbox and Prisma wiring, and an integration test on startTestService.
 * The generated feature (`<entity>` records with a `created` event) is the worked example of that shape, with real
 * tests: rename it into the service's first own feature.
 */
import type { ServiceDefinition } from '@podium/contracts';
import { type Names, namesOf, plural } from './names';

export interface ServiceTemplateInput {
  service: ServiceDefinition;
  /** Singular, kebab-case name of the example feature's record (default `item`). */
  entity: string;
  /** The platform's outbox model block (libs/platform/src/outbox/outbox.prisma, without its header comment). */
  outboxModel: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Relative path (from the repository root) -> content. */
export function serviceFiles(input: ServiceTemplateInput): Map<string, string> {
  const { service, entity } = input;
  const s = namesOf(service.name);
  const e = namesOf(entity);
  const feature = namesOf(plural(entity));
  const app = `apps/${s.kebab}`;
  const src = `${app}/src`;
  const family = service.family.toLowerCase();
  /** The example event's subject template (the edition is a token, so consumers can filter one edition). */
  const subject = `${family}.${s.kebab}.v1.${e.kebab}.{edition}.created`;
  const eventType = `podium.${s.kebab}.${e.kebab}.created.v1`;
  const table = e.constant.toLowerCase();
  const files = new Map<string, string>();

  files.set(`${app}/project.json`, json(projectJson(s)));
  files.set(`${app}/eslint.config.mjs`, "import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig];\n");
  files.set(
    `${app}/jest.config.js`,
    `module.exports = {\n  displayName: '${s.kebab}',\n  preset: '../../jest.preset.js',\n  rootDir: __dirname,\n  testMatch: ['<rootDir>/src/**/*.spec.ts'],\n};\n`,
  );
  files.set(
    `${app}/jest.integration.config.js`,
    `module.exports = {\n  displayName: '${s.kebab}:integration',\n  preset: '../../jest.preset.js',\n  rootDir: __dirname,\n  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],\n  testTimeout: 60000,\n  maxWorkers: 2,\n};\n`,
  );
  files.set(
    `${app}/tsconfig.json`,
    json({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.spec.json' }] }),
  );
  files.set(
    `${app}/tsconfig.app.json`,
    json({
      extends: './tsconfig.json',
      compilerOptions: { outDir: '../../dist/out-tsc', types: ['node'] },
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.spec.ts', 'src/**/*.integration-spec.ts', 'src/test-support/**'],
    }),
  );
  files.set(
    `${app}/tsconfig.spec.json`,
    json({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', types: ['node', 'jest'] }, include: ['src/**/*.ts'] }),
  );
  files.set(`${app}/webpack.config.js`, "module.exports = require('../../tools/build/service-webpack')(__dirname);\n");

  files.set(
    `${app}/prisma/schema.prisma`,
    `// The ${s.kebab} service's own database. Migrations: ${app}/prisma/migrations (see docs/migrations.md).
generator client {
  provider     = "prisma-client"
  output       = "../src/generated/prisma"
  moduleFormat = "cjs"
}

datasource db {
  provider = "postgresql"
}

/// ${e.pascal} records of an edition (the generated example feature: rename it into the service's own).
model ${e.pascal} {
  id        String   @id @db.Uuid
  edition   String
  name      String
  createdBy String   @map("created_by")
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)

  @@unique([edition, name])
  @@map("${table}")
}

${input.outboxModel.trim()}
`,
  );

  files.set(
    `${src}/main.ts`,
    `import 'reflect-metadata';
import { join } from 'node:path';
import { runService } from '@podium/platform';
import { AppModule } from './app/app.module';

runService(AppModule, {
  name: '${s.kebab}',
  migrationsDir: join(__dirname, 'prisma', 'migrations'),
  openApi: {
    title: 'Podium ${s.kebab}',
    description: ${JSON.stringify(`${service.family}: ${service.purpose}. Events: ${family}.${s.kebab}.v1.* (see docs/asyncapi.yaml).`)},
    version: '1.0.0',
  },
});
`,
  );

  files.set(
    `${src}/app/config.ts`,
    `import { defineConfig, type InferConfig, platformConfigSchema } from '@podium/platform';

/** The ${s.kebab} service's configuration: the platform variables (docs/architecture.md), then its own. */
export const ${s.camel}ConfigSchema = platformConfigSchema.extend({});

export const ${s.camel}Config = defineConfig(${s.camel}ConfigSchema);
export type ${s.pascal}Config = InferConfig<typeof ${s.camel}ConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const ${s.constant}_DEFAULTS = {} as const;

/** Roles that may change ${feature.words}; reading needs a token with any role. */
export const WRITE_ROLES = ['oc-admin'] as const;
`,
  );

  files.set(
    `${src}/app/app.module.ts`,
    `import { Module } from '@nestjs/common';
import { AuthModule } from '@podium/auth';
import { ${s.camel}Stream } from '@podium/contracts';
import { DatabaseModule, NatsModule, OutboxModule, PlatformModule } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import { ${feature.pascal}Module } from '../${feature.kebab}/${feature.kebab}.module';
import { ${s.constant}_DEFAULTS, ${s.camel}Config } from './config';

@Module({
  imports: [
    PlatformModule.forRoot({ config: ${s.camel}Config, defaults: ${s.constant}_DEFAULTS }),
    AuthModule.forService(),
    DatabaseModule.forClient(PrismaService),
    NatsModule.forService({ streams: [${s.camel}Stream] }),
    OutboxModule.forService(),
    ${feature.pascal}Module,
  ],
})
export class AppModule {}
`,
  );

  files.set(
    `${src}/database/prisma.service.ts`,
    `import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client';

export type { ${e.pascal} } from '../generated/prisma/client';

/** The ${s.kebab} service's one Prisma client (driver adapter \`@prisma/adapter-pg\`). Lifecycle is managed by DatabaseModule. */
@Injectable()
export class PrismaService extends PrismaClient {}

/** A Prisma interactive-transaction client of this service. */
export type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
`,
  );

  const f = `${src}/${feature.kebab}`;
  files.set(
    `${f}/${feature.kebab}.module.ts`,
    `import { Module } from '@nestjs/common';

import { ${feature.pascal}Controller } from './${feature.kebab}.controller';
import { ${feature.pascal}Repository } from './${feature.kebab}.repository';
import { ${feature.pascal}Service } from './${feature.kebab}.service';

/** ${feature.pascal}: create and read ${feature.words}; each creation is published on ${subject}. */
@Module({
  controllers: [${feature.pascal}Controller],
  providers: [${feature.pascal}Service, ${feature.pascal}Repository],
})
export class ${feature.pascal}Module {}
`,
  );

  files.set(
    `${f}/${feature.kebab}.logic.ts`,
    `import { ${e.camel}StateSchema, type ${e.pascal}State } from '@podium/contracts';
import { z } from 'zod';

/** Body of POST /v1/editions/{edition}/${feature.kebab}. */
export const ${e.camel}InputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ description: 'Name, unique in the edition', examples: ['Main stadium'] }),
});
export type ${e.pascal}Input = z.infer<typeof ${e.camel}InputSchema>;

export { ${e.camel}StateSchema };

/** The published and served form of a stored ${e.words}. */
export function ${e.camel}State(row: { id: string; edition: string; name: string; createdBy: string; createdAt: Date }): ${e.pascal}State {
  return { id: row.id, edition: row.edition, name: row.name, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}
`,
  );

  files.set(
    `${f}/${feature.kebab}.logic.spec.ts`,
    `import { ${e.camel}StateSchema } from '@podium/contracts';
import { ${e.camel}InputSchema, ${e.camel}State } from './${feature.kebab}.logic';

describe('${e.words} logic', () => {
  it('serves and publishes a stored ${e.words} in the contract form', () => {
    const state = ${e.camel}State({
      id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
      edition: 'OG2024',
      name: 'Main stadium',
      createdBy: 'admin',
      createdAt: new Date('2024-07-01T10:00:00.000Z'),
    });
    expect(state).toEqual({
      id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
      edition: 'OG2024',
      name: 'Main stadium',
      createdBy: 'admin',
      createdAt: '2024-07-01T10:00:00.000Z',
    });
    expect(${e.camel}StateSchema.parse(state)).toEqual(state);
  });

  it('trims names and refuses empty ones and unknown fields', () => {
    expect(${e.camel}InputSchema.parse({ name: '  Hall A ' })).toEqual({ name: 'Hall A' });
    expect(${e.camel}InputSchema.safeParse({ name: '   ' }).success).toBe(false);
    expect(${e.camel}InputSchema.safeParse({ name: 'x', extra: 1 }).success).toBe(false);
  });
});
`,
  );

  files.set(
    `${f}/${feature.kebab}.repository.ts`,
    `import { Injectable } from '@nestjs/common';

import { type ${e.pascal}, PrismaService, type Tx } from '../database/prisma.service';

/** The ${table} table. */
@Injectable()
export class ${feature.pascal}Repository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Tx, row: { id: string; edition: string; name: string; createdBy: string }): Promise<${e.pascal}> {
    return tx.${e.camel}.create({ data: row });
  }

  existsByName(tx: Tx, edition: string, name: string): Promise<boolean> {
    return tx.${e.camel}.count({ where: { edition, name } }).then((n) => n > 0);
  }

  find(edition: string, id: string): Promise<${e.pascal} | null> {
    return this.prisma.${e.camel}.findFirst({ where: { edition, id } });
  }
}
`,
  );

  files.set(
    `${f}/${feature.kebab}.service.ts`,
    `import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import type { ${e.pascal}State } from '@podium/contracts';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { PrismaService } from '../database/prisma.service';
import { type ${e.pascal}Input, ${e.camel}State } from './${feature.kebab}.logic';
import { ${feature.pascal}Repository } from './${feature.kebab}.repository';

export const ${e.constant}_CREATED = '${subject}' as const;

/** ${feature.pascal}: every write is one serializable transaction with its outbox event. */
@Injectable()
export class ${feature.pascal}Service {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ${feature.pascal}Repository,
    private readonly outbox: OutboxWriter,
  ) {}

  create(edition: string, input: ${e.pascal}Input, principal: Principal): Promise<${e.pascal}State> {
    return serializableTransaction(this.prisma, async (tx) => {
      if (await this.repository.existsByName(tx, edition, input.name)) {
        throw new ProblemException({
          status: 409,
          slug: '${e.kebab}-exists',
          title: '${e.pascal} exists',
          detail: \`\${edition} already has a ${e.words} named "\${input.name}"\`,
          errors: [{ field: 'name', message: 'is already used in this edition' }],
        });
      }
      const row = await this.repository.create(tx, { id: randomUUID(), edition, name: input.name, createdBy: principal.sub });
      const state = ${e.camel}State(row);
      await this.outbox.enqueue(tx, ${e.constant}_CREATED, state, { tokens: { edition } });
      return state;
    });
  }

  async get(edition: string, id: string): Promise<${e.pascal}State> {
    const row = await this.repository.find(edition, id);
    if (!row) throw ProblemException.notFound(\`No ${e.words} \${id} in \${edition}\`, '${e.kebab}-not-found');
    return ${e.camel}State(row);
  }
}
`,
  );

  files.set(
    `${f}/${feature.kebab}.controller.ts`,
    `import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { WRITE_ROLES } from '../app/config';
import { type ${e.pascal}Input, ${e.camel}InputSchema, ${e.camel}StateSchema } from './${feature.kebab}.logic';
import { ${feature.pascal}Service } from './${feature.kebab}.service';

@ApiTags('${feature.kebab}')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/${feature.kebab}')
export class ${feature.pascal}Controller {
  constructor(private readonly ${feature.camel}: ${feature.pascal}Service) {}

  @Post()
  @Roles(...WRITE_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Create a ${e.words} (published on ${subject})' })
  @ApiZodResponse(${e.camel}StateSchema, { status: 201 })
  create(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(${e.camel}InputSchema) body: ${e.pascal}Input,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.${feature.camel}.create(edition, body, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One ${e.words}' })
  @ApiZodResponse(${e.camel}StateSchema)
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string) {
    return this.${feature.camel}.get(edition, id);
  }
}
`,
  );

  files.set(
    `${src}/test-support/harness.ts`,
    `/**
 * Test harness of the ${s.kebab} integration tests, on @podium/testing's startTestService: its own migrated database
 * and NATS prefix, the real AppModule on a random loopback port, dev tokens, and the ${s.constant} stream's messages.
 * Test-only code (excluded from the app build).
 */
import { startTestService, type TestService } from '@podium/testing';

import { AppModule } from '../app/app.module';

export type Harness = TestService;

export function start${s.pascal}(env: Record<string, string> = {}): Promise<Harness> {
  return startTestService({
    service: '${s.kebab}',
    module: AppModule,
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error', ...env },
  });
}
`,
  );

  files.set(
    `${f}/${feature.kebab}.integration-spec.ts`,
    `import { parseEnvelope } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { type Harness, start${s.pascal} } from '../test-support/harness';
import { ${e.constant}_CREATED } from './${feature.kebab}.service';

describe('${s.kebab}: ${feature.words}', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await start${s.pascal}();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is ready: database and NATS', async () => {
    const res = await h.request('/health/ready');
    expect(res.status).toBe(200);
  });

  it('answers 401 problem+json without a token, and 403 without a write role', async () => {
    const anonymous = await h.request('/v1/editions/OG2024/${feature.kebab}', { method: 'POST', json: { name: 'Hall A' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const reader = await h.request('/v1/editions/OG2024/${feature.kebab}', {
      method: 'POST',
      json: { name: 'Hall A' },
      token: await h.token(['ioc-observer']),
    });
    expect(reader.status).toBe(403);
  });

  it('creates a new ${e.words} and publishes it through the outbox, exactly once', async () => {
    const token = await h.token(['oc-admin'], { sub: 'admin-1' });
    const res = await h.request('/v1/editions/OG2024/${feature.kebab}', { method: 'POST', json: { name: 'Main stadium' }, token });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; name: string; createdBy: string };
    expect(created).toMatchObject({ name: 'Main stadium', createdBy: 'admin-1' });

    const read = await h.request(\`/v1/editions/OG2024/${feature.kebab}/\${created.id}\`, { token });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);

    const messages = await waitFor(
      async () => {
        const found = (await h.readStream('${s.constant}')).filter((m) => m.subject === '${family}.${s.kebab}.v1.${e.kebab}.OG2024.created');
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: '${e.words} created event on ${s.constant}' },
    );
    expect(messages).toHaveLength(1);
    const envelope = parseEnvelope(${e.constant}_CREATED, messages?.[0]?.json);
    expect(envelope.data).toEqual(created);
    expect(messages?.[0]?.msgId).toBe(envelope.id);
  });

  it('refuses bad input with the field, and a duplicate name with 409, writing nothing more', async () => {
    const token = await h.token(['oc-admin']);
    const bad = await h.request('/v1/editions/OG2024/${feature.kebab}', { method: 'POST', json: { name: '' }, token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('name');
    const hallB = async () => (await h.readStream('${s.constant}')).filter((m) => JSON.stringify(m.json).includes('Hall B'));
    const first = await h.request('/v1/editions/OG2024/${feature.kebab}', { method: 'POST', json: { name: 'Hall B' }, token });
    expect(first.status).toBe(201);
    await waitFor(async () => (await hallB()).length === 1, { timeoutMs: 15_000, description: 'Hall B published' });
    const again = await h.request('/v1/editions/OG2024/${feature.kebab}', { method: 'POST', json: { name: 'Hall B' }, token });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    // The relay publishes within its poll interval: a second event, had one been written, would be there by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await hallB()).toHaveLength(1);
  });

  it('answers 404 problem+json for an unknown ${e.words}', async () => {
    const res = await h.request('/v1/editions/OG2024/${feature.kebab}/5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11', { token: await h.token(['ioc-observer']) });
    expect(res.status).toBe(404);
  });
});
`,
  );

  files.set(`libs/contracts/src/subjects/${s.kebab}.ts`, contractsFile(service, s, e, subject, eventType));
  return files;
}

function projectJson(s: Names): Record<string, unknown> {
  const root = `apps/${s.kebab}`;
  return {
    name: s.kebab,
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    sourceRoot: `${root}/src`,
    projectType: 'application',
    tags: ['type:app', `scope:${s.kebab}`],
    targets: {
      'prisma-generate': {
        executor: 'nx:run-commands',
        options: { command: `node tools/db/cli.mjs generate ${s.kebab}` },
        inputs: ['{projectRoot}/prisma/schema.prisma'],
        outputs: ['{projectRoot}/src/generated'],
      },
      build: {
        executor: '@nx/webpack:webpack',
        outputs: ['{options.outputPath}'],
        defaultConfiguration: 'production',
        options: {
          target: 'node',
          compiler: 'tsc',
          outputPath: `dist/${root}`,
          main: `${root}/src/main.ts`,
          tsConfig: `${root}/tsconfig.app.json`,
          webpackConfig: `${root}/webpack.config.js`,
          generatePackageJson: true,
        },
        configurations: { production: {}, development: {} },
        dependsOn: ['prisma-generate'],
      },
      serve: { executor: 'nx:run-commands', dependsOn: ['build'], options: { command: `node dist/${root}/main.js` } },
      lint: { executor: '@nx/eslint:lint' },
      typecheck: {
        executor: 'nx:run-commands',
        dependsOn: ['prisma-generate'],
        options: { command: `tsc -p ${root}/tsconfig.app.json --noEmit && tsc -p ${root}/tsconfig.spec.json --noEmit` },
      },
      test: {
        executor: '@nx/jest:jest',
        options: { jestConfig: `${root}/jest.config.js`, passWithNoTests: false },
        dependsOn: ['prisma-generate'],
      },
      integration: {
        executor: '@nx/jest:jest',
        options: { jestConfig: `${root}/jest.integration.config.js`, passWithNoTests: false },
        dependsOn: ['prisma-generate'],
      },
    },
  };
}

function contractsFile(service: ServiceDefinition, s: Names, e: Names, template: string, eventType: string): string {
  const family = service.family.toLowerCase();
  return `/**
 * ${service.family} ${s.kebab}: ${service.purpose}. Published by the ${s.kebab} service.
 *
 * - \`${template}\`: a ${e.words} was created (its whole state).
 */
import { z } from 'zod';
import { editionCodeSchema, utcDateTimeSchema } from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** ${s.constant} stream: every ${s.kebab} event, kept so that late consumers can replay. */
export const ${s.camel}Stream = defineStream({
  name: '${s.constant}',
  subjects: ['${family}.${s.kebab}.v1.>'],
  description: ${JSON.stringify(`Events published by the ${s.kebab} service (${service.family}).`)},
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

export const ${e.camel}StateSchema = z
  .object({
    id: z.uuid(),
    edition: editionCodeSchema,
    name: z.string().min(1),
    createdBy: z.string().min(1).meta({ description: 'Who created it (user id)' }),
    createdAt: utcDateTimeSchema,
  })
  .meta({ title: '${s.pascal}${e.pascal}State' });

export type ${e.pascal}State = z.infer<typeof ${e.camel}StateSchema>;

const ${e.constant}_CREATED_TYPE = '${eventType}';

export const ${e.camel}Created = defineSubject({
  subject: '${template}',
  type: ${e.constant}_CREATED_TYPE,
  source: 'podium/${s.kebab}',
  stream: ${s.camel}Stream.name,
  title: '${e.pascal} created',
  description: 'A ${e.words} was created: its whole state.',
  version: 1,
  dataschema: dataschemaFor(${e.constant}_CREATED_TYPE),
  data: ${e.camel}StateSchema,
  tokens: { edition: { description: 'Edition code', example: 'OG2024' } },
  example: {
    id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
    edition: 'OG2024',
    name: 'Main stadium',
    createdBy: 'admin',
    createdAt: '2024-07-01T10:00:00.000Z',
  },
});

export const ${s.camel}Subjects = [${e.camel}Created] as const;
export const ${s.camel}Streams = [${s.camel}Stream] as const;
`;
}
