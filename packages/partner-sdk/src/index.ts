/**
 * @podium/partner-sdk: follow the Games' official results as a partner (timing vendors, broadcasters, data feeds).
 *
 * - {@link connectPartner}: a NATS connection with the partner's credentials and inbox prefix.
 * - {@link followResults}: the results subjects through the partner's durable consumer (resumes where it stopped),
 *   every payload validated with the contracts' schema.
 * - {@link CisClient}: results-distribution's CIS WebSocket for commentators, with resume after a disconnection.
 */
export {
  connectPartner,
  normalizeSubjectPrefix,
  partnerDurable,
  partnerInboxPrefix,
  partnerNameOf,
  type ConnectPartnerOptions,
  type PartnerConnection,
} from './connect';
export {
  followResults,
  parseResult,
  resultsFilterSubject,
  RESULTS_STREAM,
  RESULTS_SUBJECT,
  type FollowResultsOptions,
  type InvalidResult,
  type ResultDelivery,
  type ResultDocument,
  type ResultEnvelope,
  type ResultsFilter,
  type ResultsFollower,
} from './results';
export { CisClient, type CisClientOptions, type CisDisconnect, type CisEvents, type CisInvalidMessage, type CisSubscription } from './cis';
/** The CIS protocol's messages (from @podium/contracts, bundled): the schemas every server message is validated with. */
export {
  CIS_CLOSE,
  CIS_PROTOCOL_VERSION,
  cisDocumentSchema,
  cisServerMessageSchema,
  medalTableSchema,
  type CisDocument,
  type CisMessageOf,
  type CisScheduleUnit,
  type CisServerMessage,
  type MedalTable,
} from '@podium/contracts';
export { backoffDelay, type BackoffOptions } from './backoff';
export { PartnerSdkError, type PartnerSdkErrorCode } from './errors';
/** The contract itself (from @podium/contracts, bundled): the subject definition with its example, and the payload schema. */
export { resultsDocumentPublished, resultsDocumentSchema } from '@podium/contracts';
