import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logger interface over the service's pino logger (app.useLogger), so `new Logger('Context').log(...)` writes
 * the same JSON lines as the rest: the context as `context`, an object first argument merged into the line, an Error
 * as `err`. No per-request child logger: the correlation id comes from the async context (see logger.options.ts).
 */
export class PlatformLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.call('trace', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.call('debug', message, optionalParams);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.call('info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.call('warn', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.call('error', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.call('fatal', message, optionalParams);
  }

  private call(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = {};
    // Nest passes the logger's context as the last argument.
    let params = optionalParams;
    if (params.length > 0) {
      line['context'] = params[params.length - 1];
      params = params.slice(0, -1);
    }
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) line['err'] = message;
      else Object.assign(line, message);
      this.pino[level](line, ...(params as [string?]));
    } else if (level === 'error' && typeof message === 'string' && params.length === 1 && isStack(params[0])) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(message);
      err.stack = params[0];
      this.pino.error({ ...line, err });
    } else {
      this.pino[level](line, String(message), ...params);
    }
  }
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s*at /.test(value);
}
