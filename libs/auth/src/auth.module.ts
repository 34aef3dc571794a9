import { type DynamicModule, type ModuleMetadata, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS } from './auth.constants';
import { AuthGuard } from './auth.guard';
import { type AuthOptionsInput, parseAuthOptions } from './auth.options';
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
