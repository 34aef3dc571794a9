import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { PUBLIC_ROUTE, ROLES_KEY, SCOPES_KEY } from './auth.constants';
import { type AuthProblemException, authUnavailable, forbidden, unauthorized } from './auth.problems';
import { hasAnyRole, missingScopes } from './principal';
import { setPrincipal } from './principal.context';
import { TokenVerificationError, TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/**
 * Global guard: every HTTP route needs a valid bearer token unless it is @Public();
 * then @Roles (any of) and @Scopes (all of) are checked. Failures are problem+json 401/403
 * with an RFC 6750 WWW-Authenticate challenge.
 * Only HTTP is handled: any other context (WebSocket, RPC) is refused unless @Public(),
 * so a transport added later is closed until it authenticates on its own (see TokenVerifier).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return true;
    const realm = this.verifier.options.realm;
    if (context.getType() !== 'http') {
      throw forbidden(`the auth guard only authenticates HTTP requests (got '${context.getType()}'); mark the handler @Public() and authenticate it with TokenVerifier`, realm);
    }
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    // The services' HTTP stack is Fastify (@podium/platform): its reply sets headers with header().
    const reply = http.getResponse<{ header(name: string, value: string): unknown }>();
    const fail = (problem: AuthProblemException): never => {
      if (problem.wwwAuthenticate) reply.header('WWW-Authenticate', problem.wwwAuthenticate);
      throw problem;
    };

    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') return fail(unauthorized('a bearer token is required', realm, false));
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return fail(unauthorized("the Authorization header must be 'Bearer <token>'", realm));

    let principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenVerificationError && error.reason === 'unavailable') return fail(authUnavailable(error.message));
      if (error instanceof TokenVerificationError) return fail(unauthorized(error.message, realm));
      throw error;
    }
    setPrincipal(request, principal);

    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length > 0 && !hasAnyRole(principal, roles)) {
      return fail(forbidden(`requires one of the roles: ${roles.join(', ')}`, realm));
    }
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets);
    const missing = scopes ? missingScopes(principal, scopes) : [];
    if (scopes && missing.length > 0) {
      return fail(forbidden(`missing scopes: ${missing.join(' ')}`, realm, scopes));
    }
    return true;
  }
}
