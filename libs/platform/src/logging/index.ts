export {
  HTTP_CORRELATION_ID_HEADER,
  getCorrelationId,
  isAcceptableCorrelationId,
  newCorrelationId,
  resolveCorrelationId,
  runWithCorrelationId,
} from './correlation';
export { CorrelationIdMiddleware } from './correlation.middleware';
export {
  type LoggerSettings,
  REDACTED_LOG_PATHS,
  createLogger,
  createPinoHttpOptions,
  createPinoOptions,
  isQuietPath,
} from './logger.options';
export { LoggingModule, type LoggingModuleOptions } from './logging.module';
