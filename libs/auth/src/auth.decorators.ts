import { type ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ROLES_KEY, SCOPES_KEY } from './auth.constants';
import { unauthorized } from './auth.problems';
import type { Principal } from './principal';
import { principalOf } from './principal.context';

/** The route (or every route of the controller) needs no token (also marked so in OpenAPI). */
export { Public } from '@podium/platform';

/** The principal needs at least ONE of these roles (else 403). A handler's list replaces its controller's. */
export const Roles = (...roles: [string, ...string[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** The principal needs ALL of these scopes (else 403). A handler's list replaces its controller's. */
export const Scopes = (...scopes: [string, ...string[]]): MethodDecorator & ClassDecorator => SetMetadata(SCOPES_KEY, scopes);

/**
 * Injects the authenticated {@link Principal}. On a @Public() route there is none: the parameter
 * then throws a 401, so do not use it there.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<IncomingMessage>());
  if (!principal) throw unauthorized('authentication required', 'podium', false);
  return principal;
});
