/** Injection token of the validated AuthOptions. */
export const AUTH_OPTIONS = Symbol.for('podium.auth.options');

/**
 * Metadata key of `@Public()`. The platform (health, metrics, docs) marks its routes with the same key,
 * so a route is public whichever library set it.
 */
export const PUBLIC_ROUTE = 'podium:public';
export const ROLES_KEY = 'podium:roles';
export const SCOPES_KEY = 'podium:scopes';
