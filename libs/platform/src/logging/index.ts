export { getCorrelationId, isAcceptableCorrelationId, runWithCorrelationId } from './correlation';
