/**
 * The errors the SDK throws or reports. Each has a stable `code`, so a partner's program can branch on it without
 * parsing messages.
 */

export type PartnerSdkErrorCode =
  /** The options given are wrong (e.g. neither `pass` nor `creds`, a filter token with a '.'). */
  | 'invalid-options'
  /** The NATS connection could not be made (wrong address, credentials refused, TLS). */
  | 'connection-failed'
  /** The RESULTS stream does not exist on this server (a wrong server or `prefix`). */
  | 'stream-not-found'
  /** The partner's durable consumer does not exist: the organiser declares it (`partner_<name>`); in local development pass `create: true`. */
  | 'consumer-not-found'
  /** The server refused an operation for this user (a stream or consumer that is not the partner's). */
  | 'permission-denied'
  /** A CIS server message that does not match the protocol (reported to `onInvalid`, never thrown). */
  | 'invalid-message';

export class PartnerSdkError extends Error {
  override readonly name = 'PartnerSdkError';

  constructor(
    readonly code: PartnerSdkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
