import { defineConfig, type InferConfig, platformConfigSchema } from '@podium/platform';

/** The workforce service's configuration: the platform variables (docs/architecture.md), then its own. */
export const workforceConfigSchema = platformConfigSchema.extend({});

export const workforceConfig = defineConfig(workforceConfigSchema);
export type WorkforceConfig = InferConfig<typeof workforceConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const WORKFORCE_DEFAULTS = {} as const;

/** Roles that may change members; reading needs a token with any role. */
export const WRITE_ROLES = ['oc-admin'] as const;
