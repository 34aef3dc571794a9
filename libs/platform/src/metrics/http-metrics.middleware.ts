import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isQuietPath } from '../logging/logger.options';
import { MetricsService } from './metrics.service';

/** Route label of requests that matched no route (404s, bodies rejected before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Catch-all paths under which Nest mounts module middleware (`forRoutes('*')`): when the last route
 * a request went through is one of them, no controller route matched it.
 */
const MIDDLEWARE_CATCH_ALL = new Set(['*', '/*', '{*path}', '/{*path}']);

/** The route template ('/units/:rsc'), never the raw URL (which would explode the label cardinality). */
export function routeTemplate(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || MIDDLEWARE_CATCH_ALL.has(path)) return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${path}`;
}

/** Times every request (probes and scrapes excepted) into http_request_duration_seconds / http_requests_total. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: () => void): void {
    if (isQuietPath(req.originalUrl)) {
      next();
      return;
    }
    const start = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.observeHttpRequest(
        { method: req.method, route: routeTemplate(req), status_code: String(res.statusCode) },
        seconds,
      );
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  }
}
