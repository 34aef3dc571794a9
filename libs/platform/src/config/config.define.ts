import type { z } from 'zod';
import { type ConfigIssue, ConfigValidationError } from './config.errors';
import { isSecretSchema } from './config.secret';
import { platformConfigRules } from './platform.rules';

/** A flat object schema whose keys are environment variable names. */
export type AnyConfigSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** The typed, validated, frozen configuration object of a schema. */
export type InferConfig<S extends AnyConfigSchema> = Readonly<z.output<S>>;

/** Where variables are read from: `process.env` at boot, a plain object in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Fallback values per variable, used when the environment leaves the variable unset (or empty). */
export type ConfigDefaults<S extends AnyConfigSchema> = Partial<Record<Extract<keyof z.output<S>, string>, string | number | boolean>>;

/** A cross-variable rule, run after the schema accepted every variable (zod refinements would forbid `.extend()`). */
export type ConfigRule<T> = (config: T, env: EnvSource) => ConfigIssue[];

export interface ConfigDefinition<S extends AnyConfigSchema> {
  readonly kind: 'podium.config';
  readonly schema: S;
  readonly rules: readonly ConfigRule<InferConfig<S>>[];
  /** Variables marked with `secret()`. */
  readonly secretKeys: readonly string[];
  /** Validates `env` (default `process.env`) against the schema; throws a ConfigValidationError. */
  load(env?: EnvSource, defaults?: ConfigDefaults<S>): InferConfig<S>;
}

/** Non-enumerable property of a loaded config: its secret keys, so {@link redactConfig} needs no schema. */
const SECRET_KEYS = Symbol.for('podium.platform.config.secret-keys');

export function defineConfig<S extends AnyConfigSchema>(
  schema: S,
  options: { rules?: readonly ConfigRule<InferConfig<S>>[] } = {},
): ConfigDefinition<S> {
  const secretKeys = Object.entries(schema.shape)
    .filter(([, field]) => isSecretSchema(field))
    .map(([key]) => key);
  const definition: ConfigDefinition<S> = {
    kind: 'podium.config',
    schema,
    rules: options.rules ?? [],
    secretKeys,
    load: (env = process.env, defaults = {}) => loadConfig(definition, env, defaults),
  };
  return definition;
}

export function isConfigDefinition<S extends AnyConfigSchema>(value: S | ConfigDefinition<S>): value is ConfigDefinition<S> {
  return (value as Partial<ConfigDefinition<S>>).kind === 'podium.config';
}

const MAX_SHOWN_VALUE = 80;

function describeValue(value: string): string {
  const shown = value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}...` : value;
  return `'${shown.replace(/[\r\n]/g, ' ')}'`;
}

/**
 * Reads every variable of the schema from `env` (an empty string counts as unset), falls back to
 * `defaults`, validates, runs the rules and returns a frozen typed object. Throws a
 * ConfigValidationError listing every bad variable; a secret's value is never part of the message.
 */
export function loadConfig<S extends AnyConfigSchema>(
  schemaOrDefinition: S | ConfigDefinition<S>,
  env: EnvSource = process.env,
  defaults: ConfigDefaults<S> = {},
): InferConfig<S> {
  const definition = isConfigDefinition(schemaOrDefinition) ? schemaOrDefinition : defineConfig(schemaOrDefinition);
  const secrets = new Set(definition.secretKeys);
  const fallbacks: Partial<Record<string, string | number | boolean>> = defaults;
  const input: Record<string, string> = {};
  for (const key of Object.keys(definition.schema.shape)) {
    const fromEnv = env[key];
    const value = fromEnv === undefined || fromEnv === '' ? fallbacks[key] : fromEnv;
    if (value !== undefined) input[key] = String(value);
  }

  const parsed = definition.schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue): ConfigIssue => {
      const variable = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
      const raw = input[variable];
      if (raw === undefined) return { variable, message: 'required but not set' };
      const shown = secrets.has(variable) ? '(value hidden: secret)' : `got ${describeValue(raw)}`;
      return { variable, message: `${issue.message}, ${shown}` };
    });
    throw new ConfigValidationError(issues);
  }

  const config = parsed.data as InferConfig<S>;
  const ruleIssues = [
    ...platformConfigRules.flatMap((rule) => rule(config as Readonly<Record<string, unknown>>, env)),
    ...definition.rules.flatMap((rule) => rule(config, env)),
  ];
  if (ruleIssues.length > 0) throw new ConfigValidationError(ruleIssues);

  Object.defineProperty(config, SECRET_KEYS, { value: [...secrets], enumerable: false });
  return Object.freeze(config);
}

/** Names that are redacted even when nobody marked them secret (defence in depth). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|CREDENTIALS?|API_KEY)$/i;
const REDACTED = '[redacted]';

/** Hides the password (or a bare token) in the userinfo of every URL inside a string. */
export function redactUrlCredentials(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s,]+)@/gi, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
  });
}

/**
 * A copy of a config that is safe to log: secrets (marked with `secret()`, or passed in
 * `secretKeys`, or named like *_SECRET/*_PASSWORD/*_TOKEN) become '[redacted]', and credentials
 * inside URLs are masked.
 */
export function redactConfig(config: object, secretKeys: readonly string[] = []): Record<string, unknown> {
  const marked = (config as Record<symbol, unknown>)[SECRET_KEYS];
  const secrets = new Set([...secretKeys, ...(Array.isArray(marked) ? (marked as string[]) : [])]);
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (secrets.has(key) || SECRET_NAME.test(key)) redacted[key] = REDACTED;
    else redacted[key] = typeof value === 'string' ? redactUrlCredentials(value) : value;
  }
  return redacted;
}
