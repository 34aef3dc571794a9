import { type INestApplication, applyDecorators } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiExtension, ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema, titleForStatus } from './problem';
import { PUBLIC_ROUTE, PUBLIC_ROUTE_EXTENSION } from './public.decorator';

export type OpenApiSchema = SchemaObject | ReferenceObject;

/** Name of the bearer security scheme in the documents. */
export const BEARER_SCHEME = 'bearer';

/*
 * Schemas with an id (`.meta({ id: 'ScheduleUnit' })`) become named components. They are collected
 * here when decorators run (at import) and added to the document by setupOpenApi.
 */
const components = new Map<string, { schema: SchemaObject; fingerprint: string }>();

const DEFINITIONS_REF = '#/definitions/';
const COMPONENTS_REF = '#/components/schemas/';

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith(DEFINITIONS_REF)) {
      const name = item.slice(DEFINITIONS_REF.length);
      out[key] = `${COMPONENTS_REF}${names.get(name) ?? name}`;
    } else {
      out[key] = rewriteRefs(item, names);
    }
  }
  return out;
}

/** A free component name: the id itself, or `<id>Input`/`<id>Output` when the two shapes differ. */
function componentName(id: string, fingerprint: string, io: 'input' | 'output'): string {
  const candidates = [id, `${id}${io === 'input' ? 'Input' : 'Output'}`];
  for (let n = 2; candidates.length < 12; n++) candidates.push(`${id}${n}`);
  for (const name of candidates) {
    const existing = components.get(name);
    if (existing === undefined || existing.fingerprint === fingerprint) return name;
  }
  throw new Error(`Too many different OpenAPI schemas named '${id}'`);
}

/**
 * OpenAPI 3.0 schema of a zod schema (z.toJSONSchema). `io: 'input'` for what clients send
 * (defaults optional, coercions accepted), 'output' for what the API returns.
 */
export function zodToOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'output'): OpenApiSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  const { definitions, $schema: _dialect, ...root } = json;
  const defs = (definitions ?? {}) as Record<string, Record<string, unknown>>;
  const names = new Map<string, string>();
  for (const [id, def] of Object.entries(defs)) {
    names.set(id, componentName(id, JSON.stringify(def), io));
  }
  for (const [id, def] of Object.entries(defs)) {
    const name = names.get(id) ?? id;
    if (!components.has(name)) {
      components.set(name, { schema: rewriteRefs(def, names) as SchemaObject, fingerprint: JSON.stringify(def) });
    }
  }
  return rewriteRefs(root, names) as OpenApiSchema;
}

/** The named components collected so far (by name). */
export function zodOpenApiComponents(): Record<string, SchemaObject> {
  return Object.fromEntries([...components.entries()].map(([name, { schema }]) => [name, schema]));
}

const problemSchemaRef = zodToOpenApi(problemDetailsSchema);

/** Statuses documented by `ApiProblemResponses()` without arguments. */
export const DEFAULT_PROBLEM_STATUSES = [400, 401, 403, 500] as const;

/** Documents application/problem+json responses for the given statuses (default 400, 401, 403, 500). */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  const list = statuses.length > 0 ? statuses : [...DEFAULT_PROBLEM_STATUSES];
  return applyDecorators(
    ...list.map((status) =>
      ApiResponse({
        status,
        description: `${titleForStatus(status)} (problem details)`,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchemaRef } },
      }),
    ),
  );
}

export interface ApiZodResponseOptions {
  status?: number;
  description?: string;
  contentType?: string;
}

/** Documents a response whose body is `schema` (output side), e.g. `@ApiZodResponse(scheduleUnitSchema)`. */
export function ApiZodResponse(schema: z.ZodType, options: ApiZodResponseOptions = {}): MethodDecorator & ClassDecorator {
  const status = options.status ?? 200;
  return ApiResponse({
    status,
    description: options.description ?? titleForStatus(status),
    content: { [options.contentType ?? 'application/json']: { schema: zodToOpenApi(schema, 'output') } },
  });
}

export interface OpenApiOptions {
  title: string;
  description?: string;
  version?: string;
  /** Where the UI is served; the JSON is at `<path>-json`. Default 'docs'. */
  path?: string;
}

type Operation = Record<string, unknown> & { security?: unknown };

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(COMPONENTS_REF)) into.add(item.slice(COMPONENTS_REF.length));
      else collectRefs(item, into);
    }
  }
}

/**
 * Adds the zod components the document references (transitively) and gives @Public() operations
 * `security: []`. Idempotent.
 */
export function finalizeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const zodComponents = zodOpenApiComponents();
  const schemas: Record<string, OpenApiSchema> = { ...(document.components?.schemas ?? {}) };
  const pending = new Set<string>();
  collectRefs(document.paths, pending);
  const seen = new Set<string>();
  while (pending.size > 0) {
    const [name] = pending;
    pending.delete(name);
    if (seen.has(name)) continue;
    seen.add(name);
    const schema = schemas[name] ?? zodComponents[name];
    if (schema === undefined) continue;
    schemas[name] = schema;
    collectRefs(schema, pending);
  }
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem as Record<string, unknown>)) {
      if (typeof operation !== 'object' || operation === null) continue;
      const op = operation as Operation;
      if (op[PUBLIC_ROUTE_EXTENSION] === true) {
        op.security = [];
        delete op[PUBLIC_ROUTE_EXTENSION];
      }
    }
  }
  document.components = { ...document.components, schemas };
  return document;
}

/**
 * Gives every handler carrying the PUBLIC_ROUTE metadata the OpenAPI extension that becomes
 * `security: []`, whichever library's @Public() set it (the metadata key is shared).
 */
function markPublicOperations(app: INestApplication): void {
  for (const moduleRef of app.get(ModulesContainer).values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (typeof controller !== 'function') continue;
      const classIsPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
      const prototype = controller.prototype as object;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
        if (key === 'constructor' || typeof descriptor?.value !== 'function') continue;
        if (classIsPublic || Reflect.getMetadata(PUBLIC_ROUTE, descriptor.value) === true) {
          ApiExtension(PUBLIC_ROUTE_EXTENSION, true)(prototype, key, descriptor);
        }
      }
    }
  }
}

/** The OpenAPI document of an app: bearer JWT required unless @Public(), zod schemas as components. */
export function createOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  markPublicOperations(app);
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setVersion(options.version ?? '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  return finalizeOpenApiDocument(SwaggerModule.createDocument(app, config));
}

/** Serves the UI at /docs and the JSON at /docs-json (and YAML at /docs-yaml). */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const path = (options.path ?? 'docs').replace(/^\/+|\/+$/g, '');
  const document = createOpenApiDocument(app, options);
  SwaggerModule.setup(path, app, document, {
    jsonDocumentUrl: `${path}-json`,
    yamlDocumentUrl: `${path}-yaml`,
    customSiteTitle: options.title,
  });
  return document;
}
