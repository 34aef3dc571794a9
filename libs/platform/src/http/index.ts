export { JSON_MEDIA_TYPES, requestIs } from './body-parser';
export { type CachedBodyOptions, Etag, ifNoneMatchMatches, sendCached, stableStringify } from './etag';
export { type HotAnswer, type HotReader, HotReads } from './hot-reads';
export { clientAddress, normalizeAddress, type ParsedTrustedProxies, parseTrustedProxies, type TrustedProxies, trustedProxiesSchema } from './client-address';
export { createHttpAdapter, type HttpReply, type HttpRequest, type PlatformApp } from './fastify';
export { ApiProblemResponses, ApiZodResponse } from './openapi';
export { ProblemException } from './problem';
export { PUBLIC_ROUTE, Public } from './public.decorator';
export { type DryRunQuery, ZodBody, ZodParam, ZodQuery, dryRunQuerySchema } from './validation';
