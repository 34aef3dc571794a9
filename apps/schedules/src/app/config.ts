import { defineConfig, platformConfigSchema } from '@podium/platform';

/** The schedules service's configuration: the platform variables (see docs/architecture.md). */
export const schedulesConfig = defineConfig(platformConfigSchema);

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const SCHEDULES_DEFAULTS = { HTTP_BODY_LIMIT: '10mb' } as const;
