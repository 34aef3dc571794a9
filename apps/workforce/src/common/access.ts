/**
 * Who may see and act where (pure). Roles are in app/config.ts; on top of them, a token's `venues` claim limits its
 * holder (a venue supervisor, a check-in desk) to those venues: a shift or assignment of another venue answers 404 to
 * them, as if it did not exist (docs/workforce-api.md#roles).
 */
import { canActAtVenue, hasAnyRole, type Principal } from '@podium/auth';
import { ProblemException } from '@podium/platform';

import { PERSONAL_DATA_ROLES } from '../app/config';

/** The venues a list is limited to: undefined (every venue) or the token's venues (perhaps none). */
export function venueScope(principal: Principal): readonly string[] | undefined {
  return principal.venues;
}

/** True when the principal may see and act on things of `venue`. */
export function seesVenue(principal: Principal, venue: string): boolean {
  return canActAtVenue(principal, venue);
}

/** The 404 of a shift the caller may not see (another edition, another venue than the token's, or none). */
export const shiftNotFound = (id: string): ProblemException => ProblemException.notFound(`No shift ${id}`, 'shift-not-found');
/** The 404 of an assignment the caller may not see. */
export const assignmentNotFound = (id: string): ProblemException => ProblemException.notFound(`No assignment ${id}`, 'assignment-not-found');
/** The 404 of a member of no such id in the edition. */
export const memberNotFound = (id: string): ProblemException => ProblemException.notFound(`No member ${id}`, 'member-not-found');

/** Throws the 404 unless the principal may see `venue`. */
export function assertSeesVenue(principal: Principal, venue: string, notFound: () => ProblemException): void {
  if (!seesVenue(principal, venue)) throw notFound();
}

/** True when the principal may read a member's date of birth and nationality. */
export function seesPersonalData(principal: Principal): boolean {
  return hasAnyRole(principal, PERSONAL_DATA_ROLES);
}

/** The 409 of a write made against an older version than the stored one. */
export function staleVersion(entity: string, id: string, given: number, current: number): ProblemException {
  return new ProblemException({
    status: 409,
    slug: 'stale-version',
    title: 'Stale version',
    detail: `${entity} ${id} is at version ${current}, the request was made against version ${given}; read it again and retry`,
    extensions: { currentVersion: current },
  });
}

/** Assignment statuses that hold a place on the shift and count for the member's rules (not cancelled, not a no-show). */
export const LIVE_ASSIGNMENT_STATUSES = ['assigned', 'checked-in', 'checked-out'] as const;
