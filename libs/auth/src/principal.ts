import { nocCodeSchema } from '@podium/contracts';
import { z } from 'zod';

/** Roles known today (services may define more: a role is just a string in the token). */
export const ROLES = {
  scheduleManager: 'schedule-manager',
  ocAdmin: 'oc-admin',
  nocOfficial: 'noc-official',
  ifOfficial: 'if-official',
  iocObserver: 'ioc-observer',
} as const;
export type KnownRole = (typeof ROLES)[keyof typeof ROLES];

/** The `noc` claim: identity providers may send it in lowercase, so it is uppercased before the NOC code rule. */
const nocClaim = z
  .string()
  .transform((code) => code.toUpperCase())
  .pipe(nocCodeSchema);

const nonEmpty = z.string().trim().min(1);

/** A venue code as the schedules name venues (`STA`, `AQC`): letters, digits, `-` or `_`, at most 16, uppercased. */
export const venueCodeSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/, 'must be a venue code (letters, digits, - or _, at most 16)'));

/**
 * The optional `venues` claim: the venues a venue-bound principal (a venue supervisor, a check-in desk) may act at,
 * uppercased and deduplicated. Absent: every venue (the claim only ever narrows what the roles allow).
 */
const venuesClaim = z.array(venueCodeSchema).transform((codes) => [...new Set(codes)]);

/** Space-separated OAuth2 `scope` (RFC 6749/8693), or an array as some IdPs emit (`scp`). */
const scopeClaim = z.union([z.string(), z.array(nonEmpty)]).transform((value) =>
  typeof value === 'string' ? value.split(' ').filter((s) => s.length > 0) : value,
);

/** The claims Podium reads from a verified JWT payload; other claims are ignored. */
export const principalClaimsSchema = z.object({
  sub: nonEmpty,
  roles: z.array(nonEmpty).default([]),
  noc: nocClaim.optional(),
  org: nonEmpty.optional(),
  scope: scopeClaim.optional(),
  scp: scopeClaim.optional(),
  venues: venuesClaim.optional(),
});
export type PrincipalClaims = z.input<typeof principalClaimsSchema>;

/** Who is calling: built from a verified token, attached to the request by the guard. */
export const principalSchema = z.object({
  sub: nonEmpty,
  roles: z.array(nonEmpty),
  noc: nocCodeSchema.optional(),
  org: nonEmpty.optional(),
  scopes: z.array(nonEmpty),
  /** The venues the principal is limited to; absent: every venue. An empty list: no venue at all. */
  venues: z.array(venueCodeSchema).optional(),
});
export type Principal = z.infer<typeof principalSchema>;

export type PrincipalResult = { ok: true; principal: Principal } | { ok: false; error: string };

/** Validates the claims of an (already verified) token payload and maps them to a Principal. */
export function principalFromClaims(claims: unknown): PrincipalResult {
  const parsed = principalClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`);
    return { ok: false, error: `invalid claims (${issues.join('; ')})` };
  }
  const { sub, roles, noc, org, scope, scp, venues } = parsed.data;
  const scopes = [...new Set([...(scope ?? []), ...(scp ?? [])])];
  const principal: Principal = { sub, roles: [...new Set(roles)], scopes };
  if (noc !== undefined) principal.noc = noc;
  if (org !== undefined) principal.org = org;
  if (venues !== undefined) principal.venues = venues;
  return { ok: true, principal };
}

/** True when the principal may act at `venue`: it has no `venues` claim (every venue), or the claim names it. */
export function canActAtVenue(principal: Principal, venue: string): boolean {
  return principal.venues === undefined || principal.venues.includes(venue.toUpperCase());
}

export function hasAnyRole(principal: Principal, roles: readonly string[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}

export function missingScopes(principal: Principal, scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !principal.scopes.includes(scope));
}
