import { isOrganisingCommittee, type Principal } from '@podium/auth';

import { OC_ROLES, ROLE } from '../app/config';

/**
 * The OC's roles, the security role (which vets every organisation's people), the data protection officer (GDPR
 * export and erasure, its only routes) and the pick-up desk (accreditation-centre: activates any organisation's
 * cards, its only routes besides reading a card) see every organisation.
 */
const SEE_ALL_ROLES: readonly string[] = [...OC_ROLES, ROLE.security, ROLE.dataProtection, ROLE.centre];

/**
 * The Responsible Organisations a principal acts for, with the mechanism entries uses for NOC officials
 * (`@podium/auth`'s organising-committee roles, and the token's organisation claim): the OC roles and the security
 * role act for every organisation (what each may do is its routes' roles); a `noc-official` for the organisation whose code is its `noc` claim; an `ro-officer` for the one of
 * its `org` claim; anyone else for none.
 */
export type OrganisationScope = { kind: 'all' } | { kind: 'one'; organisation: string } | { kind: 'none' };

export function organisationScope(principal: Principal): OrganisationScope {
  if (isOrganisingCommittee(principal, SEE_ALL_ROLES)) return { kind: 'all' };
  if (principal.roles.includes(ROLE.nocOfficial) && principal.noc !== undefined) return { kind: 'one', organisation: principal.noc };
  if (principal.roles.includes(ROLE.roOfficer) && principal.org !== undefined) return { kind: 'one', organisation: principal.org.toUpperCase() };
  return { kind: 'none' };
}

/** The principal may see and act for `organisation` (else a record of it answers 404: no existence leak). */
export function canActFor(principal: Principal, organisation: string): boolean {
  const scope = organisationScope(principal);
  return scope.kind === 'all' || (scope.kind === 'one' && scope.organisation === organisation);
}
