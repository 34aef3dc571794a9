export {
  type AnyConfigSchema,
  type ConfigDefaults,
  type ConfigDefinition,
  type ConfigRule,
  type EnvSource,
  type InferConfig,
  defineConfig,
  isConfigDefinition,
  loadConfig,
  redactConfig,
  redactUrlCredentials,
} from './config.define';
export { envBoolean, envByteSize, envInt, envPem, envPort, envUrl, envUrlList } from './config.env';
export { type ConfigIssue, ConfigValidationError } from './config.errors';
export { CONFIG, CONFIG_BOOT_DEFAULTS, ConfigModule, type ConfigModuleOptions, InjectConfig } from './config.module';
export { isSecretSchema, secret } from './config.secret';
export {
  AUTH_MODES,
  type AuthMode,
  LOG_LEVELS,
  type LogLevel,
  type PlatformConfig,
  type PlatformConfigSchema,
  platformConfig,
  platformConfigSchema,
} from './platform.config';
export { authConfigRule, platformConfigRules } from './platform.rules';
