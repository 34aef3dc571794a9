import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { z } from 'zod';
import { resolveCorrelationId } from '../logging/correlation';
import { isBodyParserError, problemFromBodyParserError } from './body-parser';
import type { HttpReply, HttpRequest } from './fastify';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemFieldError,
  ProblemException,
  problemFieldErrorSchema,
  problemType,
  slugForStatus,
  titleForStatus,
} from './problem';
import { dependencyUnavailableProblem, unavailableDependency } from './problem.unavailable';
import { zodIssuesToFieldErrors } from './zod-issues';

/** A problem before the request-specific members (instance, correlationId) are added. */
export interface ResolvedProblem {
  status: number;
  body: Record<string, unknown> & { type: string; title: string; status: number; detail: string };
  headers: Record<string, string>;
  /** 'error': log with the stack (5xx); 'warn': log briefly; 'none': the access log line is enough. */
  log: 'error' | 'warn' | 'none';
}

const problemShape = z.looseObject({
  type: z.string().min(1),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  errors: z.array(problemFieldErrorSchema).optional(),
});

function fromProblemException(exception: ProblemException): ResolvedProblem {
  const status = exception.getStatus();
  return {
    status,
    body: exception.getResponse() as ResolvedProblem['body'],
    headers: exception.headers,
    log: status >= 500 ? 'error' : 'none',
  };
}

function detailOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return fallback;
}

function fromHttpException(exception: HttpException): ResolvedProblem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const log = status >= 500 ? 'error' : 'none';
  // Already a problem body (e.g. the auth library's AuthProblemException): rendered as is.
  const asProblem = problemShape.safeParse(response);
  if (asProblem.success && asProblem.data.status === status) {
    const { detail, ...rest } = asProblem.data;
    return { status, body: { ...rest, detail: detail ?? asProblem.data.title }, headers: {}, log };
  }
  const title = titleForStatus(status);
  return {
    status,
    body: { type: problemType(slugForStatus(status)), title, status, detail: detailOf(response, title) },
    headers: {},
    log,
  };
}

function internalProblem(): ResolvedProblem {
  return {
    status: 500,
    body: {
      type: problemType('internal'),
      title: titleForStatus(500),
      status: 500,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
    },
    headers: {},
    log: 'error',
  };
}

/** Maps anything thrown while handling a request to a problem (no stack, no internal message for 5xx). */
export function resolveProblem(exception: unknown): ResolvedProblem {
  if (exception instanceof ProblemException) return fromProblemException(exception);
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (exception instanceof z.ZodError) {
    const errors: ProblemFieldError[] = zodIssuesToFieldErrors(exception.issues);
    return { ...fromProblemException(ProblemException.validation(errors)), log: 'warn' };
  }
  if (isBodyParserError(exception)) return fromProblemException(problemFromBodyParserError(exception));
  // PostgreSQL or NATS went away for a moment (a restart, a failover): a retryable 503, logged briefly, not a 500.
  const dependency = unavailableDependency(exception);
  if (dependency) return { ...fromProblemException(dependencyUnavailableProblem(dependency)), log: 'warn' };
  return internalProblem();
}

function requestPath(request: HttpRequest): string {
  return request.url.split('?')[0];
}

/** Writes a problem+json response for `request` (adds instance and correlationId). */
export function sendProblem(request: HttpRequest, reply: HttpReply, problem: ResolvedProblem): void {
  const correlationId = resolveCorrelationId(request.raw, reply.raw);
  const body = { ...problem.body, instance: requestPath(request), correlationId };
  reply.code(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  reply.removeHeader('etag');
  void reply.header('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`).header('Cache-Control', 'no-store').send(JSON.stringify(body));
}

/**
 * Global exception filter: every error a handler, guard or pipe throws (and what Nest's Fastify error handler passes
 * on, e.g. a body rejected before the handler) becomes application/problem+json
 * `{ type, title, status, detail, instance, errors?, correlationId }`. 5xx are logged with their stack (server side
 * only); the client never sees a stack or an internal message.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const problem = resolveProblem(exception);
    const correlationId = resolveCorrelationId(request.raw, reply.raw);
    const context = { correlationId, status: problem.status, method: request.method, path: requestPath(request) };
    if (problem.log === 'error') {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ ...context, err }, `Request failed: ${err.message}`);
    } else if (problem.log === 'warn' && problem.status === 503) {
      const reason = exception instanceof Error ? exception.message : String(exception);
      this.logger.warn({ ...context, dependency: problem.body['dependency'] }, `Request refused, a dependency is unavailable: ${reason}`);
    } else if (problem.log === 'warn') {
      this.logger.warn({ ...context, errors: problem.body['errors'] }, 'Request rejected by a schema');
    }
    if (reply.sent || reply.raw.headersSent) {
      // Too late for a problem body: cut the response so the client sees it failed.
      reply.raw.destroy();
      return;
    }
    sendProblem(request, reply, problem);
  }
}
