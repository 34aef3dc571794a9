import { canActForNoc, type NocScope, nocScope, type Principal, ROLES } from '@podium/auth';

/** Every role that may read entries data (NOC officials only their own NOC's). */
export const READ_ROLES = [ROLES.ocAdmin, ROLES.ifOfficial, ROLES.nocOfficial, ROLES.iocObserver] as const;
/** Roles that see every NOC's data. */
export const SEE_ALL_ROLES: readonly string[] = [ROLES.ocAdmin, ROLES.ifOfficial, ROLES.iocObserver];
/** Roles that act for every NOC (the organising committee). */
export const ACT_FOR_ALL_ROLES: readonly string[] = [ROLES.ocAdmin];
/** Roles that make entries (NOC officials for their own NOC). */
export const WRITE_ROLES = [ROLES.ocAdmin, ROLES.nocOfficial] as const;

/** What the principal may read: every NOC, its own, or nothing. */
export function readScope(principal: Principal): NocScope {
  return nocScope(principal, SEE_ALL_ROLES);
}

/** A record of `noc` is visible to the principal (else it answers 404: no existence leak). */
export function canRead(principal: Principal, noc: string): boolean {
  return canActForNoc(principal, noc, SEE_ALL_ROLES);
}

/** The principal may change data of `noc`: the organising committee, or an NOC official of that NOC. */
export function canWrite(principal: Principal, noc: string): boolean {
  if (principal.roles.some((r) => ACT_FOR_ALL_ROLES.includes(r))) return true;
  return principal.roles.includes(ROLES.nocOfficial) && principal.noc === noc;
}

/**
 * The NOC a list read is restricted to for the principal, with an optional NOC filter: `{}` every NOC, `{ noc }` that
 * NOC only, null nothing (an NOC official asking for another NOC, or a principal with no NOC scope).
 */
export function listScope(principal: Principal, noc?: string): { noc?: string } | null {
  const scope = readScope(principal);
  if (scope.kind === 'all') return noc ? { noc } : {};
  if (scope.kind === 'none') return null;
  if (noc && noc !== scope.noc) return null;
  return { noc: scope.noc };
}
