import { defineConfig, type InferConfig, platformConfigSchema } from '@podium/platform';

/** The accreditation service's configuration: the platform variables (docs/architecture.md), then its own. */
export const accreditationConfigSchema = platformConfigSchema.extend({});

export const accreditationConfig = defineConfig(accreditationConfigSchema);
export type AccreditationConfig = InferConfig<typeof accreditationConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const ACCREDITATION_DEFAULTS = {} as const;

/** Roles that may change items; reading needs a token with any role. */
export const WRITE_ROLES = ['oc-admin'] as const;
