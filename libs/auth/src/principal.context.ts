import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal';

const PRINCIPAL = Symbol.for('podium.auth.principal');
type WithPrincipal = IncomingMessage & { [PRINCIPAL]?: Principal };

/** Attaches the verified principal to the request (done by the guard). */
export function setPrincipal(request: IncomingMessage, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal of a request the guard authenticated; undefined on @Public() routes. */
export function principalOf(request: IncomingMessage): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}
