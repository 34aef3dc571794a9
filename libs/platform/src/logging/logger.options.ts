import { hostname } from 'node:os';
import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from 'pino';
import { activeTraceIds } from '../tracing/tracing.propagation';
import { getCorrelationId } from './correlation';

export interface LoggerSettings {
  /** SERVICE_NAME, on every line as `service`. */
  service: string;
  level: Level | 'silent';
  /** Where lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/**
 * The field names under which the services hold a person's data: never written to logs, wherever they sit in a logged
 * object (top level or up to three levels down, arrays included). Accreditation's sealed passport number and photo
 * reference (docs/accreditation.md#personal-data); the volunteers' sealed email, phone, date of birth and nationality
 * (docs/volunteers-core.md#personal-data), which workforce's members also hold (date of birth, nationality); and the
 * names every one of them keeps in clear (hand-overs, applications, members). A new personal field of a service joins
 * this list.
 */
export const PERSONAL_DATA_LOG_FIELDS = ['passportNumber', 'photoReference', 'email', 'phone', 'dateOfBirth', 'nationality', 'familyName', 'givenName'];

/** Request/response fields and personal data never written to logs. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...PERSONAL_DATA_LOG_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

/** Probe and scrape routes: not logged per request (they would drown the useful lines). */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/**
 * Adds the current correlation id (AsyncLocalStorage) to a line (no logger is bound to one, so it is never there twice),
 * and with tracing on, the trace and span ids of the active sampled span (docs/tracing.md).
 */
function correlationMixin(): object {
  const correlationId = getCorrelationId();
  const ids = activeTraceIds();
  if (ids === undefined) return correlationId === undefined ? {} : { correlationId };
  return correlationId === undefined ? ids : { correlationId, ...ids };
}

/** pino options of every logger of a service: JSON, ISO time, `service`, correlation id. */
function createPinoOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: correlationMixin,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  };
}

/** The service's logger (LoggingModule), and loggers for code outside Nest (scripts, fatal boot errors) of the same shape. */
export function createLogger(settings: LoggerSettings): Logger {
  return settings.destination ? pino(createPinoOptions(settings), settings.destination) : pino(createPinoOptions(settings));
}
