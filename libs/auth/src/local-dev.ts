import { ConfigValidationError, defineConfig, platformConfigSchema } from '@podium/platform';

/**
 * The platform's local-development switch, read with the platform's own schema and rules: PODIUM_LOCAL_DEV=true is
 * accepted only when NODE_ENV is development or test, so a true value here means a local, opted-in process.
 */
const localDevConfig = defineConfig(platformConfigSchema.pick({ NODE_ENV: true, PODIUM_LOCAL_DEV: true }));

type LocalDevEnv = Readonly<Record<string, string | undefined>>;

/**
 * Why dev auth (HS256 with a shared, possibly public secret) is refused in this environment, or undefined when the
 * process opted in to local development (PODIUM_LOCAL_DEV=true with NODE_ENV=development or test).
 */
export function devAuthRefusal(env: LocalDevEnv): string | undefined {
  const nodeEnv = env['NODE_ENV'];
  try {
    const config = localDevConfig.load({ NODE_ENV: nodeEnv, PODIUM_LOCAL_DEV: env['PODIUM_LOCAL_DEV'] });
    if (config.PODIUM_LOCAL_DEV) return undefined;
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
  }
  const shown = nodeEnv === undefined || nodeEnv === '' ? 'NODE_ENV is not set' : `NODE_ENV=${nodeEnv.slice(0, 40)}`;
  return (
    'AUTH_MODE=dev is for local development only: it needs PODIUM_LOCAL_DEV=true with NODE_ENV=development or test ' +
    `(PODIUM_LOCAL_DEV=${(env['PODIUM_LOCAL_DEV'] || 'unset').slice(0, 20)}, ${shown})`
  );
}
