/**
 * The one local development secret (HS256) shared by `npm start` (AUTH_MODE=dev) and `npm run token`.
 * It is public on purpose: dev mode is for a laptop, never for a shared or production environment.
 * Keep this file free of imports so scripts can load it without Nest.
 */
export const LOCAL_DEV_SECRET = 'podium-local-dev-secret-change-me-0123456789';

/** Shortest HS256 secret dev mode accepts (256 bits of key material is the HS256 minimum worth having). */
export const MIN_DEV_SECRET_LENGTH = 32;
