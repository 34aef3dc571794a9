import { defineConfig, type InferConfig, platformConfigSchema } from '@podium/platform';

/** The volunteers service's configuration: the platform variables (docs/architecture.md), then its own. */
export const volunteersConfigSchema = platformConfigSchema.extend({});

export const volunteersConfig = defineConfig(volunteersConfigSchema);
export type VolunteersConfig = InferConfig<typeof volunteersConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const VOLUNTEERS_DEFAULTS = {} as const;

/** Roles that set the campaign and may do everything a recruiter does. */
export const MANAGER_ROLES = ['oc-admin', 'volunteer-manager'] as const;
/** Roles of the recruiting staff: the pipeline, searches, bulk actions, exports. */
export const RECRUITER_ROLES = [...MANAGER_ROLES, 'volunteer-recruiter'] as const;
