import { editionCodeSchema } from '@podium/contracts';
import { defineConfig, envInt, type InferConfig, type KeyRing, keyRingSchema, platformConfigSchema, secret, trustedProxiesSchema } from '@podium/platform';
import { z } from 'zod';

/**
 * VOLUNTEERS_DUPLICATE_SECRET: the key of the duplicate-application HMAC (applications/application.logic.ts
 * duplicateKey), the base64 of at least 32 random bytes (`openssl rand -base64 32`). Kept apart from the data key ring:
 * the ring's current key changes at each rotation, while a duplicate key must stay the same for the whole campaign
 * (docs/volunteers-core.md#duplicates). Never logged.
 */
export const duplicateSecretSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (openssl rand -base64 32)')
  .transform((text, ctx) => {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 32) {
      ctx.addIssue({ code: 'custom', message: `must be the base64 of at least 32 random bytes (openssl rand -base64 32); got ${bytes.length} bytes` });
      return z.NEVER;
    }
    return bytes;
  });

/**
 * The public development key-encryption key of the applicants' contact details and dates of birth (local only:
 * PODIUM_LOCAL_DEV=true, as `npm start` and the tests run). Anyone can read it here, so a deployment refuses to start
 * without VOLUNTEERS_DATA_KEYS.
 */
export const DEV_DATA_KEYS = JSON.stringify({ current: 'dev-1', keys: { 'dev-1': 'q2H4mV0o8b0Zt7CkR3xWJ9uYp1LsNfE6aGdTzK5iQwU=' } });
/** The public development duplicate secret (local only, like DEV_DATA_KEYS). */
export const DEV_DUPLICATE_SECRET = 'ZGV2LW9ubHkgdm9sdW50ZWVycyBkdXBsaWNhdGUgc2VjcmV0IQ==';

/** The volunteers service's configuration: the platform variables (docs/architecture.md), then its own. */
export const volunteersConfigSchema = platformConfigSchema.extend({
  /**
   * The key-encryption keys of the applicants' personal data at rest (email, phone, date of birth): JSON
   * `{"current": "<kid>", "keys": {"<kid>": "<base64 of 32 random bytes>"}}` (docs/volunteers-core.md#personal-data).
   */
  VOLUNTEERS_DATA_KEYS: secret(keyRingSchema).optional(),
  /** The duplicate-application HMAC key: base64 of at least 32 random bytes (docs/volunteers-core.md#duplicates). */
  VOLUNTEERS_DUPLICATE_SECRET: secret(duplicateSecretSchema).optional(),
  /** The edition the public portal (/apply, /status) serves (docs/volunteers-portal.md). */
  VOLUNTEERS_PORTAL_EDITION: editionCodeSchema.default('OG2024'),
  /** Form posts (POST /apply, the status page's answers) one client address may make per 10 minutes, then 429; 0: no limit. */
  VOLUNTEERS_PORTAL_POSTS_PER_ADDRESS: envInt({ min: 0, max: 1_000_000 }).default(20),
  /** Peers whose X-Forwarded-For names the client, for the portal's per-address limit (as results-distribution's). */
  TRUSTED_PROXIES: trustedProxiesSchema().default('loopback,private'),
});

const requiredOutsideLocalDev = (variable: 'VOLUNTEERS_DATA_KEYS' | 'VOLUNTEERS_DUPLICATE_SECRET', format: string) => (config: VolunteersConfig) =>
  config[variable] === undefined && !config.PODIUM_LOCAL_DEV
    ? [{ variable, message: `is required: ${format}; the public development value is for local development only (PODIUM_LOCAL_DEV=true)` }]
    : [];

export const volunteersConfig = defineConfig(volunteersConfigSchema, {
  rules: [
    requiredOutsideLocalDev('VOLUNTEERS_DATA_KEYS', `{"current":"<kid>","keys":{"<kid>":"<base64 of 32 random bytes>"}} (the personal data's key-encryption keys)`),
    requiredOutsideLocalDev('VOLUNTEERS_DUPLICATE_SECRET', 'the base64 of at least 32 random bytes (the duplicate-application HMAC key)'),
  ],
});
export type VolunteersConfig = InferConfig<typeof volunteersConfigSchema>;

/** The personal data's key-encryption keys: VOLUNTEERS_DATA_KEYS, or the development key once opted in. */
export function dataKeysOf(config: Pick<VolunteersConfig, 'VOLUNTEERS_DATA_KEYS' | 'PODIUM_LOCAL_DEV'>): KeyRing {
  if (config.VOLUNTEERS_DATA_KEYS) return config.VOLUNTEERS_DATA_KEYS;
  if (!config.PODIUM_LOCAL_DEV) throw new Error('VOLUNTEERS_DATA_KEYS is required outside local development');
  return keyRingSchema.parse(DEV_DATA_KEYS);
}

/** The duplicate-application HMAC key: VOLUNTEERS_DUPLICATE_SECRET, or the development secret once opted in. */
export function duplicateSecretOf(config: Pick<VolunteersConfig, 'VOLUNTEERS_DUPLICATE_SECRET' | 'PODIUM_LOCAL_DEV'>): Buffer {
  if (config.VOLUNTEERS_DUPLICATE_SECRET) return config.VOLUNTEERS_DUPLICATE_SECRET;
  if (!config.PODIUM_LOCAL_DEV) throw new Error('VOLUNTEERS_DUPLICATE_SECRET is required outside local development');
  return duplicateSecretSchema.parse(DEV_DUPLICATE_SECRET);
}

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const VOLUNTEERS_DEFAULTS = {} as const;

/** Roles that set the campaign and may do everything a recruiter does. */
export const MANAGER_ROLES = ['oc-admin', 'volunteer-manager'] as const;
/** Roles of the recruiting staff: the pipeline, searches, bulk actions, exports. */
export const RECRUITER_ROLES = [...MANAGER_ROLES, 'volunteer-recruiter'] as const;
/** Roles that export and erase one applicant's personal data (GDPR), as in accreditation. */
export const PERSONAL_DATA_ROLES = ['oc-admin', 'data-protection-officer'] as const;
/**
 * The role that opens an applicant's contact details (email, phone), e.g. to call them about an interview. Recruiters
 * and managers do not see them; each read is recorded in the application's history (docs/volunteers-core.md#contact-details).
 */
export const CONTACT_ROLES = ['volunteer-contact'] as const;
