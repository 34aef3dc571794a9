/** Facts about the workspace the deployment must match: apps, their ports, the platform's health routes. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '@podium/contracts';
import { listApps, WORKSPACE_ROOT } from './apps';

export { listApps, WORKSPACE_ROOT };

export interface HealthRoutes {
  startup: string;
  ready: string;
  live: string;
  /** Where the routes were read: the platform's health controller, or the documented convention. */
  source: string;
}

/** The documented routes (docs/architecture.md: GET /health/startup, /health/ready, /health/live). */
export const DOCUMENTED_HEALTH_ROUTES: HealthRoutes = {
  startup: '/health/startup',
  ready: '/health/ready',
  live: '/health/live',
  source: 'documented convention (docs/architecture.md)',
};

/**
 * The health routes the platform serves, read from its Nest controller (`@Controller('health')` with
 * `@Get('startup' | 'ready' | 'live')`) in libs/platform/src/health; the documented routes while it does not exist.
 */
export function platformHealthRoutes(root: string = WORKSPACE_ROOT): HealthRoutes {
  const dir = join(root, 'libs', 'platform', 'src', 'health');
  if (!existsSync(dir)) return DOCUMENTED_HEALTH_ROUTES;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.spec.'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const controller = /@Controller\(\s*['"`]([^'"`]*)['"`]/.exec(text);
    if (!controller) continue;
    const base = `/${(controller[1] ?? '').replace(/^\/|\/$/g, '')}`;
    const route = (name: string): string | undefined => {
      const match = new RegExp(`@Get\\(\\s*['"\`](/?${name})['"\`]`).exec(text);
      return match?.[1] ? `${base}/${match[1].replace(/^\//, '')}` : undefined;
    };
    const startup = route('startup');
    const ready = route('ready');
    const live = route('live');
    if (startup && ready && live) return { startup, ready, live, source: `libs/platform/src/health/${file}` };
    throw new Error(`libs/platform/src/health/${file} has a health controller without @Get('startup'|'ready'|'live'): update the chart probes`);
  }
  return DOCUMENTED_HEALTH_ROUTES;
}

/** The port of an app: its entry in the one service list (libs/contracts/src/services.json), if it has one. */
export function declaredPort(app: string): number | undefined {
  return SERVICES.find((s) => s.name === app)?.port;
}
