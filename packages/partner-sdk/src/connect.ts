import { connect, credsAuthenticator, type NatsConnection } from 'nats';
import { messageOf, PartnerSdkError } from './errors';

export interface ConnectPartnerOptions {
  /** NATS server URL(s), e.g. `tls://nats.og2024.example.org:4222`. */
  servers: string | string[];
  /** The partner's NATS user, `partner-<name>` (e.g. `partner-acme`). */
  user?: string;
  /** Its password (with `user`). */
  pass?: string;
  /** Or a NATS `.creds` file's content (JWT + seed), instead of user/password. */
  creds?: string | Uint8Array;
  /** The connection's name as the server's monitoring shows it (default the user, or `podium-partner`). */
  name?: string;
  /**
   * The inbox prefix: the only one a partner may subscribe to (replies to JetStream requests and pulls arrive there).
   * Default `_INBOX_partner_<name>` for a user `partner-<name>`, else NATS's `_INBOX`.
   */
  inboxPrefix?: string;
  /**
   * The deployment's NATS_PREFIX (default none): prepended to every subject, and with '.' replaced by '_' to the
   * stream names. Production deployments have none; isolated test runs do.
   */
  prefix?: string;
  /** Give up the first connection after this long (default 10 s). NATS reconnects by itself afterwards. */
  timeoutMs?: number;
}

/** A partner's connection: the NATS connection and what the partner's identity implies. */
export interface PartnerConnection {
  readonly nc: NatsConnection;
  /** The partner's name (`acme` for `partner-acme`), null for another user. */
  readonly partner: string | null;
  /** The partner's durable on RESULTS (`partner_<name>`), null for a user that is not `partner-<name>`. */
  readonly durable: string | null;
  /** The subject prefix ('' or ending with '.') and the stream name prefix ('' or ending with '_'). */
  readonly subjectPrefix: string;
  readonly namePrefix: string;
  /** Drains the connection (lets what is in flight finish), then closes it. */
  close(): Promise<void>;
}

const PARTNER_USER = /^partner-([A-Za-z0-9_-]+)$/;
const PREFIX = /^([A-Za-z0-9_-]+\.)*$/;

/** `acme` for `partner-acme`. */
export function partnerNameOf(user: string | undefined): string | null {
  return user === undefined ? null : (PARTNER_USER.exec(user)?.[1] ?? null);
}

/** The durable the organiser declares for a partner: `partner_<name>`. */
export function partnerDurable(partner: string): string {
  return `partner_${partner}`;
}

/** The inbox prefix a partner connects with: `_INBOX_partner_<name>`. */
export function partnerInboxPrefix(partner: string): string {
  return `_INBOX_partner_${partner}`;
}

/** '' stays ''; 'og2024' and 'og2024.' both become 'og2024.'. */
export function normalizeSubjectPrefix(prefix = ''): string {
  const trimmed = prefix.trim();
  if (trimmed === '') return '';
  const withDot = trimmed.endsWith('.') ? trimmed : `${trimmed}.`;
  if (!PREFIX.test(withDot)) {
    throw new PartnerSdkError('invalid-options', `prefix ${JSON.stringify(prefix)}: dot-separated tokens of letters, digits, '-' or '_'`);
  }
  return withDot;
}

/**
 * Connects to NATS as a partner: user and password (or a creds file), the partner's inbox prefix. Rejects with a
 * {@link PartnerSdkError} `connection-failed` (the server's reason, e.g. `Authorization Violation`, in the message).
 */
export async function connectPartner(options: ConnectPartnerOptions): Promise<PartnerConnection> {
  if (options.creds !== undefined && (options.user !== undefined || options.pass !== undefined)) {
    throw new PartnerSdkError('invalid-options', 'give either creds or user/pass, not both');
  }
  if (options.pass !== undefined && options.user === undefined) {
    throw new PartnerSdkError('invalid-options', 'pass needs user');
  }
  const partner = partnerNameOf(options.user);
  const subjectPrefix = normalizeSubjectPrefix(options.prefix);
  const creds = typeof options.creds === 'string' ? new TextEncoder().encode(options.creds) : options.creds;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.servers,
      name: options.name ?? options.user ?? 'podium-partner',
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.pass === undefined ? {} : { pass: options.pass }),
      ...(creds === undefined ? {} : { authenticator: credsAuthenticator(creds) }),
      inboxPrefix: options.inboxPrefix ?? (partner === null ? '_INBOX' : partnerInboxPrefix(partner)),
      timeout: options.timeoutMs ?? 10_000,
      maxReconnectAttempts: -1,
    });
  } catch (error) {
    throw new PartnerSdkError('connection-failed', `NATS connection to ${String(options.servers)} failed: ${messageOf(error)}`, { cause: error });
  }
  return {
    nc,
    partner,
    durable: partner === null ? null : partnerDurable(partner),
    subjectPrefix,
    namePrefix: subjectPrefix.replace(/\./g, '_'),
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
