import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { getCorrelationId, resolveCorrelationId } from './correlation';

export interface LoggerSettings {
  /** SERVICE_NAME, on every line as `service`. */
  service: string;
  level: Level | 'silent';
  /** Where lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/** Request/response fields never written to logs. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Probe and scrape routes: not logged per request (they would drown the useful lines). */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

const chindingsSym = pino.symbols.chindingsSym;

/**
 * Adds the current correlation id (AsyncLocalStorage) to a line, unless the logger is already
 * bound to one (request loggers are), so a line never carries the key twice.
 */
function correlationMixin(_mergeObject: object, _level: number, logger: Logger): object {
  const correlationId = getCorrelationId();
  if (correlationId === undefined) return {};
  const bindings = (logger as unknown as Record<symbol, unknown>)[chindingsSym];
  if (typeof bindings === 'string' && bindings.includes('"correlationId":')) return {};
  return { correlationId };
}

/** pino options shared by the HTTP logger and {@link createLogger}: JSON, ISO time, `service`, correlation id. */
export function createPinoOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: correlationMixin,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  };
}

/** A logger for code outside Nest (scripts, fatal boot errors) with the same shape as the service logs. */
export function createLogger(settings: LoggerSettings): Logger {
  return settings.destination ? pino(createPinoOptions(settings), settings.destination) : pino(createPinoOptions(settings));
}

function requestLevel(_req: IncomingMessage, res: ServerResponse, error?: Error): 'info' | 'warn' | 'error' {
  if (error !== undefined || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/** pino-http options: one line per request (probes excluded), request id = correlation id. */
export function createPinoHttpOptions(settings: LoggerSettings): PinoHttpOptions {
  return {
    ...createPinoOptions(settings),
    genReqId: (req, res) => resolveCorrelationId(req, res),
    customAttributeKeys: { reqId: 'correlationId' },
    // Logs written while handling a request carry the correlation id, not the whole request.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => isQuietPath((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url) },
    customLogLevel: requestLevel,
    // For a 5xx, pino-http invents an Error('failed with status code 500') whose stack is its own:
    // the problem filter already logged the real error with its stack, so the access line omits it.
    customErrorObject: (_req, res, error, value: Record<string, unknown>) => {
      if (error.message !== `failed with status code ${res.statusCode}`) return value;
      const { err: _synthetic, ...rest } = value;
      return rest;
    },
    serializers: {
      req: (req: Record<string, unknown>) => {
        const { id: _id, ...rest } = req;
        return rest;
      },
    },
  };
}
