export { getCorrelationId, isAcceptableCorrelationId, runWithCorrelationId } from './correlation';
export { createLogger, type LoggerSettings } from './logger.options';
export { ROOT_LOGGER } from './logging.module';
