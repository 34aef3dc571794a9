import { defineConfig, envInt, type InferConfig, type KeyRing, keyRingSchema, platformConfigSchema, secret } from '@podium/platform';

/**
 * The public development key-encryption key of the members' dates of birth and nationalities (local only:
 * PODIUM_LOCAL_DEV=true, as `npm start` and the tests run). Anyone can read it here, so a deployment refuses to start
 * without WORKFORCE_DATA_KEYS.
 */
export const DEV_DATA_KEYS = JSON.stringify({ current: 'dev-1', keys: { 'dev-1': 'c3Rvcmt3b3JrZm9yY2UtZGV2LW9ubHkta2V5LTMyYiE=' } });

/** The workforce service's configuration: the platform variables (docs/architecture.md), then its own. */
export const workforceConfigSchema = platformConfigSchema.extend({
  /**
   * The key-encryption keys of the members' personal data at rest (date of birth, nationality): JSON
   * `{"current": "<kid>", "keys": {"<kid>": "<base64 of 32 random bytes>"}}` (docs/workforce-api.md#personal-data).
   */
  WORKFORCE_DATA_KEYS: secret(keyRingSchema).optional(),
  /** Minutes after a shift's start before a check-in counts as late (docs/workforce-on-the-day.md#late). */
  WORKFORCE_LATE_GRACE_MINUTES: envInt({ min: 0, max: 240 }).default(10),
  /** Minutes after a shift's start before an assigned member not checked in is written down as a no-show (docs/workforce-on-the-day.md#no-shows). */
  WORKFORCE_NO_SHOW_MINUTES: envInt({ min: 1, max: 720 }).default(30),
});
export type WorkforceConfig = InferConfig<typeof workforceConfigSchema>;

export const workforceConfig = defineConfig(workforceConfigSchema, {
  rules: [
    (config: WorkforceConfig) =>
      config.WORKFORCE_DATA_KEYS === undefined && !config.PODIUM_LOCAL_DEV
        ? [
            {
              variable: 'WORKFORCE_DATA_KEYS',
              message:
                'is required: {"current":"<kid>","keys":{"<kid>":"<base64 of 32 random bytes>"}} (the personal data\'s key-encryption keys); ' +
                'the public development value is for local development only (PODIUM_LOCAL_DEV=true)',
            },
          ]
        : [],
  ],
});

/** The personal data's key-encryption keys: WORKFORCE_DATA_KEYS, or the development key once opted in. */
export function dataKeysOf(config: Pick<WorkforceConfig, 'WORKFORCE_DATA_KEYS' | 'PODIUM_LOCAL_DEV'>): KeyRing {
  if (config.WORKFORCE_DATA_KEYS) return config.WORKFORCE_DATA_KEYS;
  if (!config.PODIUM_LOCAL_DEV) throw new Error('WORKFORCE_DATA_KEYS is required outside local development');
  return keyRingSchema.parse(DEV_DATA_KEYS);
}

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const WORKFORCE_DEFAULTS = {} as const;

/**
 * The workforce roles (docs/workforce-api.md#roles). Supervisors and check-in desks may be limited to venues by the
 * token's `venues` claim (absent: every venue); the claim narrows any role that carries it.
 */
export const WORKFORCE_ROLES = {
  admin: 'oc-admin',
  manager: 'workforce-manager',
  supervisor: 'workforce-supervisor',
  checkin: 'workforce-checkin',
} as const;

/** Members, shifts, rule sets, roster plans, publishing; the members' date of birth and nationality. */
export const MANAGER_ROLES = [WORKFORCE_ROLES.admin, WORKFORCE_ROLES.manager] as const;
/** Assign, cancel, check in and out, no-shows, replacements, the live view; read members and shifts. */
export const SUPERVISOR_ROLES = [...MANAGER_ROLES, WORKFORCE_ROLES.supervisor] as const;
/** A venue's check-in desk: check-in and check-out only (and reading the shifts it checks people in to). */
export const CHECKIN_ROLES = [...SUPERVISOR_ROLES, WORKFORCE_ROLES.checkin] as const;
/** Who sees a member's date of birth and nationality (sealed at rest, never logged). */
export const PERSONAL_DATA_ROLES = MANAGER_ROLES;
