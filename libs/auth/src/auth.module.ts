import { type DynamicModule, type ModuleMetadata, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CONFIG, type PlatformConfig } from '@podium/platform';
import { AUTH_OPTIONS } from './auth.constants';
import { AuthGuard } from './auth.guard';
import { type AuthOptionsInput, authOptionsFromEnv, parseAuthOptions } from './auth.options';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  /** Providers passed to useFactory, in order. */
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  /** Returns the options (validated at boot: the app fails fast with every bad field listed). */
  useFactory: (...args: never[]) => AuthOptionsInput | Promise<AuthOptionsInput>;
}

/**
 * Bearer-JWT authentication for a service. Global: registers {@link AuthGuard} as APP_GUARD,
 * so every route needs a token unless @Public(). Exports TokenVerifier and AUTH_OPTIONS.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptionsInput): DynamicModule {
    return AuthModule.forRootAsync({ useFactory: () => options });
  }

  /**
   * Auth for a service built on PlatformModule: the AUTH_* variables, NODE_ENV and PODIUM_LOCAL_DEV of its validated
   * config (AUTH_ALGORITHMS from the environment).
   */
  static forService(): DynamicModule {
    return AuthModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: PlatformConfig) =>
        authOptionsFromEnv({
          AUTH_MODE: config.AUTH_MODE,
          AUTH_JWKS_URL: config.AUTH_JWKS_URL,
          AUTH_PUBLIC_KEY: config.AUTH_PUBLIC_KEY,
          AUTH_DEV_SECRET: config.AUTH_DEV_SECRET,
          AUTH_ISSUER: config.AUTH_ISSUER,
          AUTH_AUDIENCE: config.AUTH_AUDIENCE,
          AUTH_ALGORITHMS: process.env['AUTH_ALGORITHMS'],
          NODE_ENV: config.NODE_ENV,
          PODIUM_LOCAL_DEV: String(config.PODIUM_LOCAL_DEV),
        }),
    });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (...args: unknown[]) => AuthOptionsInput | Promise<AuthOptionsInput>;
    const providers: Provider[] = [
      {
        provide: AUTH_OPTIONS,
        inject: options.inject ?? [],
        useFactory: async (...args: unknown[]) => parseAuthOptions(await factory(...args)),
      },
      TokenVerifier,
      { provide: APP_GUARD, useClass: AuthGuard },
    ];
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [AUTH_OPTIONS, TokenVerifier],
    };
  }
}
