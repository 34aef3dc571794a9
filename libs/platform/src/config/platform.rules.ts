import type { ConfigIssue } from './config.errors';
import type { ConfigRule } from './config.define';

type AnyConfig = Readonly<Record<string, unknown>>;

/**
 * NODE_ENV values of a process on a developer's machine or in a test runner (Jest sets `test`). Anything else, unset
 * included, is a deployment: staging, rehearsal and production alike. See docs/auth.md#local-development-only.
 */
export const LOCAL_NODE_ENVS: readonly string[] = ['development', 'test'];

/** The variable that opts a local process in to the insecure conveniences (dev auth, demo keys). */
export const LOCAL_DEV_OPT_IN = 'PODIUM_LOCAL_DEV';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== '';
}

/** NODE_ENV from the config when its schema has it, else from the environment it was loaded from. */
function nodeEnvOf(config: AnyConfig, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = config['NODE_ENV'] ?? env['NODE_ENV'];
  return isSet(value) ? String(value) : undefined;
}

/** True when NODE_ENV says the process runs locally (development or test). */
export function isLocalNodeEnv(nodeEnv: string | undefined): boolean {
  return nodeEnv !== undefined && LOCAL_NODE_ENVS.includes(nodeEnv);
}

/** `NODE_ENV=staging`, or `NODE_ENV is not set`, for messages. */
function shownNodeEnv(nodeEnv: string | undefined): string {
  return nodeEnv === undefined ? 'NODE_ENV is not set' : `NODE_ENV=${nodeEnv.replace(/[\r\n]/g, ' ').slice(0, 40)}`;
}

/** A URL without its userinfo, for messages. */
function shownUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`.slice(0, 80);
  } catch {
    return '(not a URL)';
  }
}

const LOCAL_ONLY = `local only: NODE_ENV=development or test, with ${LOCAL_DEV_OPT_IN}=true`;

/**
 * PODIUM_LOCAL_DEV=true is accepted only when NODE_ENV is development or test: a config loaded with it true runs
 * locally, so its users (dev auth, results-ingest's demo key) only check the boolean.
 */
export const localDevConfigRule: ConfigRule<AnyConfig> = (config, env) => {
  if (config[LOCAL_DEV_OPT_IN] !== true) return [];
  const nodeEnv = nodeEnvOf(config, env);
  if (isLocalNodeEnv(nodeEnv)) return [];
  return [
    {
      variable: LOCAL_DEV_OPT_IN,
      message: `refused when ${shownNodeEnv(nodeEnv)}: the local conveniences it allows (AUTH_MODE=dev, demo keys) are ${LOCAL_ONLY}`,
    },
  ];
};

/**
 * AUTH_* consistency: each AUTH_MODE needs its key material; the dev secret is only accepted in dev mode; dev mode is
 * local only (NODE_ENV development or test, and PODIUM_LOCAL_DEV=true); a deployment (any other NODE_ENV, unset
 * included) needs AUTH_ISSUER, AUTH_AUDIENCE and, in jwks mode, an https AUTH_JWKS_URL. Ignores configs without
 * AUTH_MODE.
 */
export const authConfigRule: ConfigRule<AnyConfig> = (config, env) => {
  const mode = config['AUTH_MODE'];
  if (mode === undefined) return [];
  const nodeEnv = nodeEnvOf(config, env);
  const local = isLocalNodeEnv(nodeEnv);
  const issues: ConfigIssue[] = [];
  if (mode === 'jwks' && !isSet(config['AUTH_JWKS_URL'])) {
    issues.push({ variable: 'AUTH_JWKS_URL', message: 'required when AUTH_MODE=jwks' });
  }
  if (mode === 'public-key' && !isSet(config['AUTH_PUBLIC_KEY'])) {
    issues.push({ variable: 'AUTH_PUBLIC_KEY', message: 'required when AUTH_MODE=public-key' });
  }
  if (mode === 'dev') {
    if (!isSet(config['AUTH_DEV_SECRET'])) {
      issues.push({ variable: 'AUTH_DEV_SECRET', message: 'required when AUTH_MODE=dev' });
    }
    if (!local) {
      issues.push({ variable: 'AUTH_MODE', message: `'dev' is refused when ${shownNodeEnv(nodeEnv)}: use jwks or public-key (dev auth is ${LOCAL_ONLY})` });
    } else if (config[LOCAL_DEV_OPT_IN] !== true) {
      issues.push({
        variable: 'AUTH_MODE',
        message: `'dev' (HS256 with a shared, possibly public secret) needs the explicit local opt-in ${LOCAL_DEV_OPT_IN}=true`,
      });
    }
  } else if (isSet(config['AUTH_DEV_SECRET'])) {
    issues.push({ variable: 'AUTH_DEV_SECRET', message: `only allowed with AUTH_MODE=dev (AUTH_MODE is '${String(mode)}')` });
  }
  if (!local) {
    const deployed = `required when ${shownNodeEnv(nodeEnv)} (a deployment; only development and test are local)`;
    if (!isSet(config['AUTH_ISSUER'])) issues.push({ variable: 'AUTH_ISSUER', message: deployed });
    if (!isSet(config['AUTH_AUDIENCE'])) issues.push({ variable: 'AUTH_AUDIENCE', message: deployed });
    const jwksUrl = config['AUTH_JWKS_URL'];
    if (mode === 'jwks' && typeof jwksUrl === 'string' && isSet(jwksUrl) && !jwksUrl.toLowerCase().startsWith('https://')) {
      issues.push({
        variable: 'AUTH_JWKS_URL',
        message: `expected an https:// URL when ${shownNodeEnv(nodeEnv)} (keys fetched in clear can be swapped), got '${shownUrl(jwksUrl)}'`,
      });
    }
  }
  return issues;
};

/** Rules applied to every loaded config (each ignores configs that lack its variables). */
export const platformConfigRules: readonly ConfigRule<AnyConfig>[] = [localDevConfigRule, authConfigRule];
