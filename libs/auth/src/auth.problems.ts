import { HttpException, HttpStatus } from '@nestjs/common';

export const PROBLEM_BASE = 'https://podium.dev/problems/';

/** RFC 9457 body produced for authentication/authorisation failures (correlationId is added by the platform filter). */
export interface AuthProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/**
 * An HttpException whose response is already a problem body, so the platform's problem filter
 * renders it as-is (type/title/status/detail) and adds the correlation id.
 * `wwwAuthenticate` is the RFC 6750 challenge; the guard also sets it on the response before throwing.
 */
export class AuthProblemException extends HttpException {
  constructor(
    readonly problem: AuthProblem,
    readonly wwwAuthenticate?: string,
  ) {
    super(problem, problem.status);
    this.name = 'AuthProblemException';
  }
}

function problem(status: number, slug: string, title: string, detail: string): AuthProblem {
  return { type: `${PROBLEM_BASE}${slug}`, title, status, detail };
}

/** Quotes a value for an auth-param (RFC 9110 quoted-string), dropping characters that cannot appear. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '')}"`;
}

export function bearerChallenge(realm: string, params: Record<string, string> = {}): string {
  const parts = [`realm=${quoted(realm)}`, ...Object.entries(params).map(([k, v]) => `${k}=${quoted(v)}`)];
  return `Bearer ${parts.join(', ')}`;
}

/** 401: no credentials (no `error` in the challenge, RFC 6750 §3.1) or an invalid one. */
export function unauthorized(detail: string, realm = 'podium', tokenPresented = true): AuthProblemException {
  const challenge = tokenPresented
    ? bearerChallenge(realm, { error: 'invalid_token', error_description: detail })
    : bearerChallenge(realm);
  return new AuthProblemException(problem(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail), challenge);
}

/** 403: authenticated, but not allowed. `scopes` adds an insufficient_scope challenge. */
export function forbidden(detail: string, realm = 'podium', scopes?: readonly string[]): AuthProblemException {
  const challenge =
    scopes && scopes.length > 0 ? bearerChallenge(realm, { error: 'insufficient_scope', scope: scopes.join(' ') }) : undefined;
  return new AuthProblemException(problem(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', detail), challenge);
}

/** 503: the identity provider's key set cannot be fetched; retrying with the same token may succeed. */
export function authUnavailable(detail: string): AuthProblemException {
  return new AuthProblemException(
    problem(HttpStatus.SERVICE_UNAVAILABLE, 'auth-unavailable', 'Authentication unavailable', detail),
  );
}
