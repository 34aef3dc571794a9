import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeTemplate } from '../http/fastify';
import { isQuietPath } from '../logging/logger.options';
import { extractTraceContext } from './tracing.propagation';
import { tracer } from './tracing.runtime';

const REQUEST_SPAN = Symbol.for('podium.platform.request-span');
type TracedRequest = FastifyRequest & { [REQUEST_SPAN]?: Span };

/**
 * A SERVER span per HTTP request (probes and scrapes excepted), child of the request's traceparent when it has one
 * (a root span otherwise, sampled by OTEL_TRACES_SAMPLER): `<METHOD> <route template>`, with the method, route, path
 * (never the query string) and status; 5xx marks it failed. The handler and everything it awaits run with the span
 * active. Installed by TracingModule only when tracing is on (a service with tracing off has no hook at all).
 */
export function installHttpTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const t = tracer();
    if (t === undefined || isQuietPath(request.url)) return done();
    const parent = extractTraceContext(request.headers);
    const span = t.startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_PATH]: request.url.split('?')[0],
          [ATTR_URL_SCHEME]: request.protocol,
        },
      },
      parent,
    );
    (request as TracedRequest)[REQUEST_SPAN] = span;
    context.with(trace.setSpan(parent, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request as TracedRequest, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    endRequestSpan(request as TracedRequest, undefined);
    done();
  });
}

function endRequestSpan(request: TracedRequest, status: number | undefined): void {
  const span = request[REQUEST_SPAN];
  if (span === undefined) return;
  request[REQUEST_SPAN] = undefined;
  const route = routeTemplate(request);
  span.updateName(`${request.method} ${route}`);
  span.setAttribute(ATTR_HTTP_ROUTE, route);
  if (status === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'aborted by the client' });
  } else {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
