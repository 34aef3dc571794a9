/** Injection token of the validated AuthOptions. */
export const AUTH_OPTIONS = Symbol.for('podium.auth.options');

/** Metadata key of `@Public()`: defined once by the platform (its health, metrics and docs routes use it too). */
export { PUBLIC_ROUTE } from '@podium/platform';
export const ROLES_KEY = 'podium:roles';
export const SCOPES_KEY = 'podium:scopes';
