import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { resolveCorrelationId, runWithCorrelationId } from './correlation';
import { routeTemplate } from '../http/fastify';
import { isQuietPath } from './logger.options';

/**
 * Every request runs inside its correlation id (the `x-correlation-id` header when acceptable, else a new uuid,
 * echoed in the response), so that every line logged and every message published while handling it carries it.
 */
export function installCorrelation(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    runWithCorrelationId(resolveCorrelationId(request.raw, reply.raw), done);
  });
}

/**
 * One access line per finished request (probes and scrapes excepted) with what an operator needs and nothing more:
 * method, route template, path, status, duration and the correlation id (never headers or bodies). Successes are
 * logged at debug (LOG_LEVEL=debug shows them all), client errors at info, server errors at error: at the default
 * level a busy service writes a line only for what went wrong, and writing nothing costs nothing.
 */
export function installAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (logger.isLevelEnabled(level) && !isQuietPath(request.url)) {
      const route = routeTemplate(request);
      const durationMs = Math.round(reply.elapsedTime * 100) / 100;
      const line = { method: request.method, route, path: request.url.split('?')[0], status, durationMs };
      runWithCorrelationId(resolveCorrelationId(request.raw), () =>
        logger[level](line, `${request.method} ${route} ${status} ${durationMs} ms`),
      );
    }
    done();
  });
}
