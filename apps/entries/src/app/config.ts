import { defineConfig, envUrl, type InferConfig, platformConfigSchema } from '@podium/platform';

/**
 * The entries service's configuration: the platform variables plus
 * - SCHEDULES_URL: optional base URL of the schedules service; at boot the events it lists fill the local events
 *   table (the SCHEDULES stream, consumed durably, stays the source of truth).
 */
export const entriesConfigSchema = platformConfigSchema.extend({
  SCHEDULES_URL: envUrl(['http', 'https']).optional(),
});

export const entriesConfig = defineConfig(entriesConfigSchema);
export type EntriesConfig = InferConfig<typeof entriesConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const ENTRIES_DEFAULTS = { HTTP_BODY_LIMIT: '10mb' } as const;
