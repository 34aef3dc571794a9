import type { ConfigIssue } from './config.errors';
import type { ConfigRule } from './config.define';

type AnyConfig = Readonly<Record<string, unknown>>;

function isSet(value: unknown): boolean {
  return value !== undefined && value !== '';
}

/**
 * AUTH_* consistency: each AUTH_MODE needs its key material, the dev secret is only accepted in dev
 * mode, and dev mode is refused when NODE_ENV=production. Ignores configs without AUTH_MODE.
 */
export const authConfigRule: ConfigRule<AnyConfig> = (config, env) => {
  const mode = config['AUTH_MODE'];
  if (mode === undefined) return [];
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
    if (env['NODE_ENV'] === 'production') {
      issues.push({ variable: 'AUTH_MODE', message: "'dev' is refused when NODE_ENV=production" });
    }
  } else if (isSet(config['AUTH_DEV_SECRET'])) {
    issues.push({ variable: 'AUTH_DEV_SECRET', message: `only allowed with AUTH_MODE=dev (AUTH_MODE is '${String(mode)}')` });
  }
  return issues;
};

/** Rules applied to every loaded config (each ignores configs that lack its variables). */
export const platformConfigRules: readonly ConfigRule<AnyConfig>[] = [authConfigRule];
