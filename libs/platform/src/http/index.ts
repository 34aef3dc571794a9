export {
  JSON_MEDIA_TYPES,
  JsonBodyParserMiddleware,
  isBodyParserError,
  problemFromBodyParserError,
} from './body-parser';
export {
  ETAG_OPTIONS,
  Etag,
  EtagInterceptor,
  type EtagOptions,
  etagFor,
  ifNoneMatchMatches,
  sendWithEtag,
  stableStringify,
} from './etag';
export { HttpPlatformModule } from './http-platform.module';
export {
  ApiProblemResponses,
  ApiZodResponse,
  type ApiZodResponseOptions,
  BEARER_SCHEME,
  DEFAULT_PROBLEM_STATUSES,
  type OpenApiOptions,
  type OpenApiSchema,
  createOpenApiDocument,
  finalizeOpenApiDocument,
  setupOpenApi,
  zodOpenApiComponents,
  zodToOpenApi,
} from './openapi';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  type ProblemDetails,
  ProblemException,
  type ProblemFieldError,
  type ProblemInit,
  problemDetailsSchema,
  problemFieldErrorSchema,
  problemType,
  slugForStatus,
  titleForStatus,
} from './problem';
export { ProblemDetailsFilter, type ResolvedProblem, resolveProblem, sendProblem } from './problem.filter';
export { PUBLIC_ROUTE, PUBLIC_ROUTE_EXTENSION, Public } from './public.decorator';
export { type DryRunQuery, ZodBody, ZodParam, ZodQuery, dryRunQuerySchema, parseRequestValue } from './validation';
export { type RequestLocation, formatIssuePath, zodIssuesToFieldErrors } from './zod-issues';
