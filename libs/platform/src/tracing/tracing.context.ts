import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import { getTraceContext, runWithTraceContext } from '../logging/correlation';

/**
 * The OpenTelemetry context manager of the platform: the active context lives in the platform's one AsyncLocalStorage,
 * next to the correlation id (logging/correlation.ts), instead of an AsyncLocalStorage of its own as the SDK's
 * AsyncLocalStorageContextManager has: every AsyncLocalStorage enabled in a process costs each promise and callback
 * something (~50 ns per promise for a second one, measured in isolation; docs/tracing.md#cost).
 */
export class PlatformContextManager implements ContextManager {
  active(): Context {
    return (getTraceContext() as Context | undefined) ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return runWithTraceContext(context, () => fn.call(thisArg, ...args));
  }

  /** Binds a function to `context`; anything else (an event emitter) is returned as it is: the platform binds none. */
  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function bound(this: unknown, ...args: unknown[]) {
      return runWithTraceContext(context, () => fn.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
