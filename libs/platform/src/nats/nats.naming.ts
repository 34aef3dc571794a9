/**
 * How logical names (those in contracts and module options) map onto the wire.
 *
 * NATS_PREFIX isolates deployments or test runs sharing one NATS account: it is prepended to every subject
 * (`t1a2b.` + `oms.schedules.v1.>`), and to every stream and consumer name with its dots replaced by
 * underscores (`t1a2b_` + `SCHEDULES`), since JetStream names may not contain dots.
 */
export class NatsNaming {
  /** The normalised subject prefix: '' or ending with a single '.'. */
  readonly subjectPrefix: string;
  /** The prefix for stream and consumer names: the subject prefix with '.' replaced by '_'. */
  readonly namePrefix: string;

  constructor(prefix = '') {
    this.subjectPrefix = normalizePrefix(prefix);
    this.namePrefix = this.subjectPrefix.replace(/\./g, '_');
  }

  /** Logical subject (or wildcard filter) to wire subject. */
  subject(logical: string): string {
    return `${this.subjectPrefix}${logical}`;
  }

  /** Wire subject back to the logical one (unchanged when it does not carry the prefix). */
  logicalSubject(wire: string): string {
    return this.subjectPrefix && wire.startsWith(this.subjectPrefix)
      ? wire.slice(this.subjectPrefix.length)
      : wire;
  }

  /** Logical stream or consumer name to the JetStream name. */
  name(logical: string): string {
    return `${this.namePrefix}${logical}`;
  }

  /** Logical dead-letter subject for a message a service gave up on: `dlq.<service>.<original logical subject>`. */
  deadLetterSubject(service: string, originalLogicalSubject: string): string {
    return `${DEAD_LETTER_SUBJECT_ROOT}.${service}.${originalLogicalSubject}`;
  }
}

/**
 * The inbox prefix of a service's connection (`_INBOX_<service>`): the replies to its requests, JetStream API calls and
 * pulls arrive there. In a deployment with NATS authorization each service may subscribe to its own prefix only
 * (charts/podium/files/nats-permissions.json), so no service can read another's replies on the shared `_INBOX.>`.
 */
export function serviceInboxPrefix(service: string): string {
  return `_INBOX_${service}`;
}

/** Root token of every dead-letter subject (logical, before the prefix). */
export const DEAD_LETTER_SUBJECT_ROOT = 'dlq';
/** Logical name of the dead-letter stream declared by the module (captures `dlq.>`). */
export const DEAD_LETTER_STREAM = 'DLQ';

const PREFIX_PATTERN = /^([A-Za-z0-9_-]+\.)*$/;

/** '' stays ''; 't1a2b' and 't1a2b.' both become 't1a2b.'. Rejects wildcards, spaces and empty tokens. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim();
  if (trimmed === '') return '';
  const withDot = trimmed.endsWith('.') ? trimmed : `${trimmed}.`;
  if (!PREFIX_PATTERN.test(withDot)) {
    throw new Error(
      `Invalid NATS prefix '${prefix}': use dot-separated tokens of letters, digits, '-' or '_' (e.g. 't1a2b.')`,
    );
  }
  return withDot;
}
