import { hostname } from 'node:os';
import { defineConfig, envByteSize, envInt, type InferConfig, platformConfigSchema, trustedProxiesSchema } from '@podium/platform';
import { z } from 'zod';

/** A JetStream-safe token from the host name (pod name in Kubernetes). */
function defaultInstanceId(): string {
  return hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 48) || 'local';
}

/**
 * The results-distribution service's configuration: the platform variables plus the sizes that keep memory bounded.
 * See docs/results-distribution.md for each variable.
 */
export const distributionConfigSchema = platformConfigSchema.extend({
  /** Names this instance's durable consumers (`results-distribution-<INSTANCE_ID>`): each replica follows the whole stream. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,48}$/, "expected 1-48 characters A-Z, a-z, 0-9, '_' or '-'")
    .default(defaultInstanceId),
  /** How often changed documents are checkpointed to PostgreSQL (ms). */
  SNAPSHOT_INTERVAL_MS: envInt({ min: 100, max: 600_000 }).default(2_000),
  /** Updates kept in memory for CIS/SSE resume and GET /v1/feed (count and bytes; the oldest go first). */
  REPLAY_BUFFER_MESSAGES: envInt({ min: 10, max: 10_000_000 }).default(50_000),
  REPLAY_BUFFER_BYTES: envByteSize().prefault('256mb'),
  /**
   * At restart, this many messages before the checkpoint are read again into the replay buffer (not into the state,
   * which the checkpoint already holds), so that clients of the previous instance can resume instead of re-snapshotting.
   */
  RESTART_REPLAY_MESSAGES: envInt({ min: 0, max: 10_000_000 }).default(10_000),
  /** Per connection (CIS or SSE): messages and bytes queued for a client that reads slowly before it is disconnected. */
  CLIENT_QUEUE_MESSAGES: envInt({ min: 1, max: 1_000_000 }).default(2_000),
  CLIENT_QUEUE_BYTES: envByteSize().prefault('16mb'),
  /** Bytes the socket may hold before messages wait in the client's (conflating) queue instead. */
  CLIENT_SOCKET_HIGH_WATER: envByteSize().prefault('256kb'),
  /**
   * While the streams have a backlog for this instance (it is behind), how long an update may wait for the backlog to
   * be read before it is fanned out (ms). LIVE updates superseded meanwhile are never fanned out: the lag stays bounded.
   */
  FANOUT_MAX_HOLD_MS: envInt({ min: 0, max: 10_000 }).default(100),
  /**
   * A stream message handled later than this after the stream stored it (ms) means this instance is behind even when
   * nothing more is known to wait (the backlog is in its socket or pull window): the fan-out then holds and conflates.
   */
  FANOUT_LATE_MS: envInt({ min: 1, max: 60_000 }).default(50),
  /** RESULTS messages taken in while behind that may wait for the next fan-out round; more are applied at once. */
  FANOUT_BACKLOG_MESSAGES: envInt({ min: 1, max: 1_000_000 }).default(20_000),
  /** Maximum concurrent CIS + SSE connections; more are refused (503 / close 1013). */
  MAX_CONNECTIONS: envInt({ min: 1, max: 1_000_000 }).default(50_000),
  /**
   * Abuse limits (docs/results-distribution.md#abuse-limits). Concurrent CIS + SSE connections from one client address
   * (429 / close 1013); 0: no per-address cap. The address is the peer's, or the one a trusted proxy forwarded.
   */
  MAX_CONNECTIONS_PER_ADDRESS: envInt({ min: 0, max: 1_000_000 }).default(500),
  /**
   * Peers whose X-Forwarded-For is believed: `none`, or a comma-separated list of `loopback`, `private` (10/8,
   * 172.16/12, 192.168/16, fc00::/7), `linklocal`, addresses and CIDR blocks (e.g. `10.0.0.0/8,fd00::/8`).
   */
  TRUSTED_PROXIES: trustedProxiesSchema().default('loopback,private'),
  /** Subscriptions one CIS connection may hold at once (each costs a filter check per matching update). */
  CIS_MAX_SUBSCRIPTIONS: envInt({ min: 1, max: 10_000 }).default(32),
  /** A CIS connection without any subscription for this long is closed (4001). */
  CIS_SUBSCRIBE_TIMEOUT_MS: envInt({ min: 100, max: 3_600_000 }).default(30_000),
  /**
   * Bytes queued for all clients together (their queues and their sockets' user-space buffers): above it, the clients
   * with the most queued are disconnected as slow consumers. Default well below the pod's memory limit (768Mi in
   * production, 512Mi in the chart), next to the replay buffer (REPLAY_BUFFER_BYTES) and the state.
   */
  CLIENT_QUEUED_BYTES_BUDGET: envByteSize().prefault('128mb'),
  /** SSE comment line (`: ping`) period (ms): keeps proxies from closing a quiet stream. */
  SSE_HEARTBEAT_MS: envInt({ min: 100, max: 600_000 }).default(15_000),
  /** An SSE stream whose socket takes no byte for this long (the client stopped reading) is closed (ms; > SSE_HEARTBEAT_MS). */
  SSE_IDLE_TIMEOUT_MS: envInt({ min: 200, max: 3_600_000 }).default(45_000),
  /**
   * Time a client has to send a request's headers (ms), from their first byte (from the connection for its first
   * request): a slow-headers client, or one that never sends anything, is cut (408).
   */
  HTTP_HEADERS_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(10_000),
  /** Time a client has to send a whole request (ms; >= HTTP_HEADERS_TIMEOUT_MS). */
  HTTP_REQUEST_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(30_000),
  /**
   * A connection on which no byte moves either way for this long is closed (ms): a response the client does not read.
   * SSE streams and WebSockets have their own limits (SSE_IDLE_TIMEOUT_MS, pings).
   */
  HTTP_IDLE_TIMEOUT_MS: envInt({ min: 100, max: 3_600_000 }).default(30_000),
  /** Which ODF feed this instance distributes: P (production, default) or T (test feed, for rehearsals). */
  FEED: z.enum(['P', 'T']).default('P'),
});

export const distributionConfig = defineConfig(distributionConfigSchema, {
  rules: [
    (config) =>
      config.SSE_IDLE_TIMEOUT_MS > config.SSE_HEARTBEAT_MS
        ? []
        : [{ variable: 'SSE_IDLE_TIMEOUT_MS', message: `must exceed SSE_HEARTBEAT_MS (${config.SSE_HEARTBEAT_MS}), or quiet streams are cut` }],
    (config) =>
      config.HTTP_REQUEST_TIMEOUT_MS >= config.HTTP_HEADERS_TIMEOUT_MS
        ? []
        : [{ variable: 'HTTP_REQUEST_TIMEOUT_MS', message: `must be at least HTTP_HEADERS_TIMEOUT_MS (${config.HTTP_HEADERS_TIMEOUT_MS})` }],
  ],
});
export type DistributionConfig = InferConfig<typeof distributionConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const DISTRIBUTION_DEFAULTS = {} as const;
