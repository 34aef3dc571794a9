import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { JSON_MEDIA_TYPES, requestIs } from './body-parser';
import type { HttpRequest } from './fastify';
import { ApiProblemResponses, zodToOpenApi } from './openapi';
import { ProblemException } from './problem';
import { zodIssuesToFieldErrors } from './zod-issues';

/**
 * Parses `value` with `schema`; on failure throws a 400 'validation-failed' ProblemException whose
 * fields are prefixed with `prefix` (e.g. 'body' -> 'body.units[0].rsc').
 */
export async function parseRequestValue<S extends z.ZodType>(schema: S, value: unknown, prefix: string): Promise<z.output<S>> {
  const result = await schema.safeParseAsync(value, { reportInput: true });
  if (result.success) return result.data;
  throw ProblemException.validation(zodIssuesToFieldErrors(result.error.issues, prefix));
}

function hasBody(req: HttpRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Applies a method decorator from a parameter decorator (documentation of the same schema). */
function decorateMethod(target: object, propertyKey: string | symbol | undefined, decorator: MethodDecorator): void {
  if (propertyKey === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
  if (descriptor !== undefined) decorator(target, propertyKey, descriptor);
}

function requestOf(ctx: ExecutionContext): HttpRequest {
  return ctx.switchToHttp().getRequest<HttpRequest>();
}

/** The responses every Zod-validated input can produce: 400 'validation-failed' (problem details). */
const validationProblems = ApiProblemResponses(400);

/**
 * The JSON body, validated by `schema` (400 'validation-failed' with `body.`-prefixed fields; 415
 * when a body of another media type is sent) and documented as the OpenAPI request body, with those two responses.
 * Use `z.strictObject` to reject unknown fields.
 *
 *   create(@ZodBody(createUnitSchema) body: z.infer<typeof createUnitSchema>) {}
 */
export function ZodBody(schema: z.ZodType, options: { description?: string } = {}): ParameterDecorator {
  const extract = createParamDecorator(async (_data: unknown, ctx: ExecutionContext) => {
    const req = requestOf(ctx);
    if (hasBody(req) && !requestIs(req, JSON_MEDIA_TYPES)) {
      throw new ProblemException({
        status: 415,
        slug: 'unsupported-media-type',
        detail: `Expected a JSON body (application/json), got '${req.headers['content-type'] ?? 'no content type'}'.`,
        headers: { 'Accept-Post': 'application/json', 'Accept-Patch': 'application/json' },
      });
    }
    return parseRequestValue(schema, req.body, 'body');
  });
  const documented = ApiBody({ schema: zodToOpenApi(schema, 'input'), required: true, description: options.description });
  const problems = ApiProblemResponses(400, 415);
  return (target, propertyKey, parameterIndex) => {
    extract()(target, propertyKey, parameterIndex);
    decorateMethod(target, propertyKey, documented);
    decorateMethod(target, propertyKey, problems);
  };
}

/**
 * The query string, validated by an object schema (use z.coerce for numbers; `query.`-prefixed
 * fields) and documented as one OpenAPI query parameter per property, and the 400 response.
 */
export function ZodQuery(schema: z.ZodObject): ParameterDecorator {
  const extract = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
    parseRequestValue(schema, requestOf(ctx).query, 'query'),
  );
  const json = zodToOpenApi(schema, 'input') as SchemaObject;
  const required = new Set(json.required ?? []);
  const parameters = Object.entries(json.properties ?? {}).map(([name, property]) =>
    ApiQuery({
      name,
      required: required.has(name),
      schema: property,
      description: 'description' in property ? property.description : undefined,
    }),
  );
  return (target, propertyKey, parameterIndex) => {
    extract()(target, propertyKey, parameterIndex);
    for (const parameter of parameters) decorateMethod(target, propertyKey, parameter);
    decorateMethod(target, propertyKey, validationProblems);
  };
}

/** One path parameter, validated by `schema` (field `path.<name>`) and documented, with the 400 response. */
export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  const extract = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
    parseRequestValue(schema, (requestOf(ctx).params as Record<string, string | undefined>)[name], `path.${name}`),
  );
  const jsonSchema = zodToOpenApi(schema, 'input') as SchemaObject;
  const documented = ApiParam({
    name,
    required: true,
    schema: jsonSchema,
    description: 'description' in jsonSchema ? jsonSchema.description : undefined,
  });
  return (target, propertyKey, parameterIndex) => {
    extract()(target, propertyKey, parameterIndex);
    decorateMethod(target, propertyKey, documented);
    decorateMethod(target, propertyKey, validationProblems);
  };
}

/**
 * The `?dryRun=` query of every write that can be checked without writing: `true` runs every check and reports what
 * would happen, writes nothing; absent or `false` writes. Any other value is a 400.
 *
 *   create(@ZodQuery(dryRunQuerySchema) q: DryRunQuery) { ... q.dryRun ... }
 */
export const dryRunQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: 'true: check and report what would change, write nothing' }),
});
export type DryRunQuery = z.output<typeof dryRunQuerySchema>;
