import { type INestApplication, RequestMethod, applyDecorators } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, REDIRECT_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiExtension, ApiResponse, DECORATORS, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema, titleForStatus } from './problem';
import { PUBLIC_ROUTE, PUBLIC_ROUTE_EXTENSION } from './public.decorator';

export type OpenApiSchema = SchemaObject | ReferenceObject;

/** Name of the bearer security scheme in the documents. */
export const BEARER_SCHEME = 'bearer';

/**
 * The OpenAPI version the documents declare: 3.1, whose schema dialect is JSON Schema 2020-12, the dialect zod 4's
 * z.toJSONSchema emits (`examples` arrays, `type: [..., 'null']`, numeric `exclusiveMinimum`, `$defs`).
 */
export const OPENAPI_VERSION = '3.1.0';

/*
 * Schemas with an id (`.meta({ id: 'ScheduleUnit' })`) become named components. They are collected
 * here when decorators run (at import) and added to the document by setupOpenApi.
 */
const components = new Map<string, { schema: SchemaObject; fingerprint: string }>();

const DEFINITIONS_REF = '#/$defs/';
const COMPONENTS_REF = '#/components/schemas/';

const isEmptySchema = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * Rewrites `$defs` refs to components, and drops an `anyOf` that has an empty member (`{}`, what an unrepresentable
 * zod type such as z.custom() becomes): it matches any value, as the schema does without it.
 */
function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'anyOf' && Array.isArray(item) && item.some(isEmptySchema)) continue;
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
 * OpenAPI 3.1 schema (JSON Schema 2020-12) of a zod schema (z.toJSONSchema); its `$defs` (schemas with an id, and
 * recursive ones) become named components. `io: 'input'` for what clients send (defaults optional, coercions
 * accepted), 'output' for what the API returns.
 */
export function zodToOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'output'): OpenApiSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  const { $defs, $schema: _dialect, ...root } = json;
  const defs = ($defs ?? {}) as Record<string, Record<string, unknown>>;
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

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The operations of a document's paths. */
function operationsOf(document: OpenAPIObject): Operation[] {
  const operations: Operation[] = [];
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, unknown>)) {
      if (HTTP_METHODS.has(method) && typeof operation === 'object' && operation !== null) operations.push(operation as Operation);
    }
  }
  return operations;
}

/**
 * Adds the zod components the document references (transitively), gives @Public() operations `security: []` and
 * lists the operations' tags at the top level (sorted). Idempotent.
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
  const tags = new Set((document.tags ?? []).map((tag) => tag.name));
  for (const op of operationsOf(document)) {
    if (op[PUBLIC_ROUTE_EXTENSION] === true) {
      op.security = [];
      delete op[PUBLIC_ROUTE_EXTENSION];
    }
    for (const tag of Array.isArray(op['tags']) ? (op['tags'] as unknown[]) : []) if (typeof tag === 'string') tags.add(tag);
  }
  const described = new Map((document.tags ?? []).map((tag) => [tag.name, tag]));
  document.tags = [...tags].sort((a, b) => a.localeCompare(b, 'en')).map((name) => described.get(name) ?? { name });
  document.components = { ...document.components, schemas };
  return document;
}

type Handler = (...args: never[]) => unknown;

/** The statuses an @ApiResponse (or ApiProblemResponses, ApiZodResponse...) documents on a handler or its class. */
function documentedStatuses(controller: object, handler: Handler): string[] {
  const own = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, unknown>;
  const inherited = (Reflect.getMetadata(DECORATORS.API_RESPONSE, controller) ?? {}) as Record<string, unknown>;
  return [...Object.keys(own), ...Object.keys(inherited)];
}

/** The status a route handler answers with on success: its @HttpCode, else 201 for POST and 200 otherwise (Nest's). */
export function successStatusOf(handler: Handler): number {
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (code !== undefined) return code;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? 201 : 200;
}

/**
 * Completes the controllers' OpenAPI metadata before the document is made:
 * - handlers carrying the PUBLIC_ROUTE metadata get the extension that becomes `security: []`, whichever library's
 *   @Public() set it (the metadata key is shared);
 * - a route handler that documents no success response gets the one it answers with (successStatusOf), as Nest does
 *   for a handler that documents no response at all (its error responses would otherwise hide it); its body is not
 *   described: an @ApiZodResponse on the handler says what it is.
 */
function completeOperationMetadata(app: INestApplication): void {
  for (const moduleRef of app.get(ModulesContainer).values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (typeof controller !== 'function') continue;
      const classIsPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
      const prototype = controller.prototype as object;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
        if (key === 'constructor' || typeof descriptor?.value !== 'function') continue;
        const handler = descriptor.value as Handler;
        if (classIsPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true) {
          ApiExtension(PUBLIC_ROUTE_EXTENSION, true)(prototype, key, descriptor);
        }
        const isRoute = Reflect.getMetadata(METHOD_METADATA, handler) !== undefined;
        const redirects = Reflect.getMetadata(REDIRECT_METADATA, handler) !== undefined;
        if (isRoute && !redirects && !documentedStatuses(controller, handler).some((status) => /^2/.test(status))) {
          const status = successStatusOf(handler);
          ApiResponse({ status, description: titleForStatus(status) })(prototype, key, descriptor);
        }
      }
    }
  }
}

/** The OpenAPI document of an app: bearer JWT required unless @Public(), zod schemas as components. */
export function createOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  completeOperationMetadata(app);
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setVersion(options.version ?? '1.0.0')
    .setOpenAPIVersion(OPENAPI_VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'The service itself: the origin this document is served from (under npm start, http://localhost:<port>)')
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
