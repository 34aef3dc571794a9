import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveCorrelationId, runWithCorrelationId } from './correlation';

/** Resolves the request's correlation id, echoes it, and runs the rest of the request inside it. */
@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const correlationId = resolveCorrelationId(req, res);
    runWithCorrelationId(correlationId, () => next());
  }
}
