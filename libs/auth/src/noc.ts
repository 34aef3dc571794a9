import { forbidden } from './auth.problems';
import { type Principal, ROLES } from './principal';

/**
 * Roles of the Organising Committee (and IOC staff acting for it) that see and act for every NOC.
 * A service with a different rule passes its own list to the helpers below.
 */
export const ORGANISING_COMMITTEE_ROLES: readonly string[] = [ROLES.ocAdmin];

export function isOrganisingCommittee(principal: Principal, ocRoles: readonly string[] = ORGANISING_COMMITTEE_ROLES): boolean {
  return principal.roles.some((role) => ocRoles.includes(role));
}

/** True when the principal may read or change data of `noc` (its own NOC, or any NOC for OC roles). */
export function canActForNoc(principal: Principal, noc: string, ocRoles: readonly string[] = ORGANISING_COMMITTEE_ROLES): boolean {
  if (isOrganisingCommittee(principal, ocRoles)) return true;
  return principal.noc !== undefined && principal.noc === noc.toUpperCase();
}

/** Throws a 403 problem when {@link canActForNoc} is false. */
export function assertCanActForNoc(principal: Principal, noc: string, ocRoles: readonly string[] = ORGANISING_COMMITTEE_ROLES): void {
  if (!canActForNoc(principal, noc, ocRoles)) {
    throw forbidden(`Not allowed to act for NOC '${noc.toUpperCase()}'`);
  }
}

/**
 * What a list query may return: every NOC (OC roles), one NOC (its own), or nothing
 * (a principal with neither an OC role nor a `noc` claim). Use it to build a repository filter.
 */
export type NocScope = { kind: 'all' } | { kind: 'noc'; noc: string } | { kind: 'none' };

export function nocScope(principal: Principal, ocRoles: readonly string[] = ORGANISING_COMMITTEE_ROLES): NocScope {
  if (isOrganisingCommittee(principal, ocRoles)) return { kind: 'all' };
  if (principal.noc !== undefined) return { kind: 'noc', noc: principal.noc };
  return { kind: 'none' };
}
