import { defineConfig, platformConfigSchema } from '@podium/platform';

/** The schedules service's configuration: the platform variables (see docs/architecture.md). */
export const schedulesConfig = defineConfig(platformConfigSchema);

export const SCHEDULES_DEFAULTS = { SERVICE_NAME: 'schedules', PORT: 3001, HTTP_BODY_LIMIT: '10mb' } as const;
