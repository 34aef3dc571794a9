import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/** Base of every problem `type`: `https://podium.dev/problems/<slug>`. */
export const PROBLEM_TYPE_BASE = 'https://podium.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemFieldErrorSchema = z.object({
  /** Where the bad value is, prefixed by its location: `body.units[0].rsc`, `query.limit`, `path.rsc`. */
  field: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details as Podium services render them (never a stack trace). */
export const problemDetailsSchema = z
  .object({
    type: z.string().describe('https://podium.dev/problems/<slug>, stable per kind of error'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().describe('Path of the request'),
    errors: z.array(problemFieldErrorSchema).optional(),
    correlationId: z.string().describe('Quote it when reporting the error'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export type ProblemFieldError = z.infer<typeof problemFieldErrorSchema>;
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

/** Standard title of a status ('Not Found'). */
export function titleForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Default slug of a status: 'not-found', 'payload-too-large'...; 500 is 'internal'. */
export function slugForStatus(status: number): string {
  if (status === 500) return 'internal';
  return titleForStatus(status)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface ProblemInit {
  status: number;
  /** Stable machine-readable kind, e.g. 'unit-not-found'; defaults to the status's slug. */
  slug?: string;
  /** Short human summary; defaults to the status title. */
  title?: string;
  /** What went wrong for this request. */
  detail?: string;
  errors?: ProblemFieldError[];
  /** Response headers to send with the problem (WWW-Authenticate, Retry-After, Allow...). */
  headers?: Record<string, string>;
  /** Extra members of the problem body (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An HTTP error rendered as application/problem+json by the platform filter:
 * `throw new ProblemException({ status: 404, slug: 'unit-not-found', detail: 'No unit ATHM...' })`
 * or `throw ProblemException.notFound('No unit ATHM...', 'unit-not-found')`.
 */
export class ProblemException extends HttpException {
  readonly slug: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: ProblemFieldError[];
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit);
  constructor(status: number, slug: string, title?: string, detail?: string, errors?: ProblemFieldError[]);
  constructor(
    initOrStatus: ProblemInit | number,
    slug?: string,
    title?: string,
    detail?: string,
    errors?: ProblemFieldError[],
  ) {
    const init: ProblemInit =
      typeof initOrStatus === 'number' ? { status: initOrStatus, slug, title, detail, errors } : initOrStatus;
    const resolvedTitle = init.title ?? titleForStatus(init.status);
    const resolvedDetail = init.detail ?? resolvedTitle;
    super(resolvedDetail, init.status, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProblemException';
    this.slug = init.slug ?? slugForStatus(init.status);
    this.title = resolvedTitle;
    this.detail = resolvedDetail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  get type(): string {
    return problemType(this.slug);
  }

  /** The problem body without the request-specific members (instance, correlationId). */
  override getResponse(): Record<string, unknown> {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.getStatus(),
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }

  static badRequest(detail: string, slug = 'bad-request', errors?: ProblemFieldError[]): ProblemException {
    return new ProblemException({ status: 400, slug, detail, errors });
  }

  /** 400 'validation-failed' with one entry per bad field. */
  static validation(errors: ProblemFieldError[], detail?: string): ProblemException {
    const summary = errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid.`;
    return new ProblemException({
      status: 400,
      slug: 'validation-failed',
      title: 'Validation failed',
      detail: detail ?? summary,
      errors,
    });
  }

  static unauthorized(detail: string, slug = 'unauthorized'): ProblemException {
    return new ProblemException({ status: 401, slug, detail, headers: { 'WWW-Authenticate': 'Bearer realm="podium"' } });
  }

  static forbidden(detail: string, slug = 'forbidden'): ProblemException {
    return new ProblemException({ status: 403, slug, detail });
  }

  static notFound(detail: string, slug = 'not-found'): ProblemException {
    return new ProblemException({ status: 404, slug, detail });
  }

  static conflict(detail: string, slug = 'conflict'): ProblemException {
    return new ProblemException({ status: 409, slug, detail });
  }

  static preconditionFailed(detail: string, slug = 'precondition-failed'): ProblemException {
    return new ProblemException({ status: 412, slug, detail });
  }

  static unprocessable(detail: string, slug = 'unprocessable-entity', errors?: ProblemFieldError[]): ProblemException {
    return new ProblemException({ status: 422, slug, detail, errors });
  }

  static serviceUnavailable(detail: string, slug = 'service-unavailable', retryAfterSeconds?: number): ProblemException {
    const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
    return new ProblemException({ status: 503, slug, detail, headers });
  }
}
