export { AUTH_OPTIONS, PUBLIC_ROUTE, ROLES_KEY, SCOPES_KEY } from './auth.constants';
export { CurrentPrincipal, Public, Roles, Scopes } from './auth.decorators';
export { AuthGuard } from './auth.guard';
export { AuthModule, type AuthModuleAsyncOptions } from './auth.module';
export {
  ASYMMETRIC_ALGORITHMS,
  AuthConfigError,
  DEFAULT_ALGORITHMS,
  authOptionsFromEnv,
  authOptionsSchema,
  parseAuthOptions,
  type AsymmetricAlgorithm,
  type AuthOptions,
  type AuthOptionsInput,
} from './auth.options';
export {
  AuthProblemException,
  PROBLEM_BASE,
  authUnavailable,
  bearerChallenge,
  forbidden,
  unauthorized,
  type AuthProblem,
} from './auth.problems';
export { LOCAL_DEV_SECRET, MIN_DEV_SECRET_LENGTH } from './dev-defaults';
export {
  ORGANISING_COMMITTEE_ROLES,
  assertCanActForNoc,
  canActForNoc,
  isOrganisingCommittee,
  nocScope,
  type NocScope,
} from './noc';
export {
  ROLES,
  canActAtVenue,
  hasAnyRole,
  missingScopes,
  principalClaimsSchema,
  principalFromClaims,
  principalSchema,
  venueCodeSchema,
  type KnownRole,
  type Principal,
  type PrincipalClaims,
  type PrincipalResult,
} from './principal';
export { principalOf, setPrincipal } from './principal.context';
export { TokenVerificationError, TokenVerifier } from './token-verifier';
