export { JSON_MEDIA_TYPES } from './body-parser';
export { Etag, ifNoneMatchMatches, stableStringify } from './etag';
export { ApiProblemResponses, ApiZodResponse } from './openapi';
export { ProblemException } from './problem';
export { PUBLIC_ROUTE, Public } from './public.decorator';
export { type DryRunQuery, ZodBody, ZodParam, ZodQuery, dryRunQuerySchema } from './validation';
