import { hostname } from 'node:os';
import { defineConfig, envByteSize, envInt, type InferConfig, platformConfigSchema } from '@podium/platform';
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
  /** Which ODF feed this instance distributes: P (production, default) or T (test feed, for rehearsals). */
  FEED: z.enum(['P', 'T']).default('P'),
});

export const distributionConfig = defineConfig(distributionConfigSchema);
export type DistributionConfig = InferConfig<typeof distributionConfigSchema>;

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const DISTRIBUTION_DEFAULTS = {} as const;
