import { type DynamicModule, Inject, Module } from '@nestjs/common';
import {
  type AnyConfigSchema,
  type ConfigDefaults,
  type ConfigDefinition,
  type EnvSource,
  type InferConfig,
  defineConfig,
  isConfigDefinition,
} from './config.define';

/** Injection token of the validated config object (see {@link InjectConfig}). */
export const CONFIG = Symbol.for('podium.platform.config');

/**
 * Injection token of the lowest-priority defaults (SERVICE_NAME, PORT) that `bootstrapService`
 * provides from its options. Precedence: environment > ConfigModule defaults > boot defaults.
 */
export const CONFIG_BOOT_DEFAULTS = Symbol.for('podium.platform.config.boot-defaults');

/** Injects the typed config: `constructor(@InjectConfig() private readonly config: PlatformConfig) {}`. */
export const InjectConfig = (): PropertyDecorator & ParameterDecorator => Inject(CONFIG);

export interface ConfigModuleOptions<S extends AnyConfigSchema> {
  /** Per-service defaults (e.g. `{ PORT: 3001 }`), used when the environment leaves a variable unset. */
  defaults?: ConfigDefaults<S>;
  /** Variables to read instead of `process.env` (tests). */
  env?: EnvSource;
}

/**
 * Validates the environment against the service's schema when the application is created and
 * provides the frozen typed object under {@link CONFIG} to every module (global). A bad
 * environment fails the boot with a ConfigValidationError naming each variable.
 */
@Module({})
export class ConfigModule {
  static forRoot<S extends AnyConfigSchema>(
    schema: S | ConfigDefinition<S>,
    options: ConfigModuleOptions<S> = {},
  ): DynamicModule {
    const definition = isConfigDefinition(schema) ? schema : defineConfig(schema);
    return {
      module: ConfigModule,
      global: true,
      providers: [
        {
          provide: CONFIG,
          inject: [{ token: CONFIG_BOOT_DEFAULTS, optional: true }],
          useFactory: (bootDefaults?: Readonly<Record<string, string | number | boolean>>): InferConfig<S> => {
            const defaults = { ...bootDefaults, ...options.defaults } as ConfigDefaults<S>;
            return definition.load(options.env ?? process.env, defaults);
          },
        },
      ],
      exports: [CONFIG],
    };
  }
}
