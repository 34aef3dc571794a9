export { type InferConfig, defineConfig, redactConfig } from './config.define';
export { envBoolean, envByteSize, envInt, envUrl } from './config.env';
export { ConfigValidationError } from './config.errors';
export { CONFIG } from './config.module';
export { secret } from './config.secret';
export { type PlatformConfig, platformConfigSchema } from './platform.config';
