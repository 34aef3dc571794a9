import type { StreamDefinition, SubjectKey, TokensOf } from '@podium/contracts';
import { z } from 'zod';

/**
 * A durable pull consumer on the stream that captures `key` (from the contracts registry).
 * Names are logical: the module applies NATS_PREFIX.
 */
export interface ConsumerDefinition<K extends SubjectKey = SubjectKey> {
  /** The contract subject key whose envelopes this consumer receives (validated with `parseEnvelope`). */
  key: K;
  /** Durable consumer name, e.g. 'results-distribution-schedule-units' (letters, digits, '-' and '_'). */
  durable: string;
  /** Stream to consume from; defaults to the stream the contracts declare for `key`. */
  stream?: string;
  /** Restrict to some token values (e.g. `{ discipline: 'ATH' }`); other tokens match any value. */
  filterTokens?: Partial<TokensOf<K>>;
  /** Time the server waits for an ack before redelivering. Default 30 s: keep it above the handler's worst case. */
  ackWaitMs?: number;
  /** Handler attempts before the message is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Delay before each redelivery after a failure (the last entry repeats). Default 1 s, 5 s, 15 s, 30 s, 60 s. */
  backoffMs?: readonly number[];
  /** Messages in flight (delivered, not acked) across all instances. Default 1000. */
  maxAckPending?: number;
  /** Where a new durable starts: every stored message ('all', default) or only new ones ('new'). */
  deliverPolicy?: 'all' | 'new';
  /** Messages pulled per request. Default 10. Messages are handled one at a time, in order. */
  batchSize?: number;
}

export interface NatsModuleOptions {
  /** NATS URL(s), e.g. 'nats://127.0.0.1:4222'. */
  servers: string | readonly string[];
  /** The service name (connection name, dead-letter subjects `dlq.<name>.<subject>`). */
  name: string;
  /** NATS_USER / NATS_PASSWORD: the service's NATS user (the Helm chart gives each service its own). */
  user?: string;
  pass?: string;
  /** NATS_PREFIX: '' in production; a unique prefix per test run (e.g. 't1a2b.'). */
  prefix?: string;
  /** Streams this service declares at boot (usually from `streams` of @podium/contracts). */
  streams?: readonly StreamDefinition[];
  /** Durable consumers this service declares at boot (each is also ensured when `consume()` starts it). */
  consumers?: readonly ConsumerDefinition[];
  /**
   * NATS_STREAM_REPLICAS: replicas (num_replicas) of every stream declared, the dead-letter stream included. Default 1;
   * 3 on a 3-node JetStream cluster. A stream with fewer is raised to it at boot, one with more is left as it is.
   */
  streamReplicas?: number;
  /**
   * NATS_DECLARE_STREAMS: whether the service declares its streams (and the dead-letter stream) at boot. Default true.
   * False where the deployment provides every stream the service uses: a service in a NATS account of its own
   * (results-distribution under the chart's NATS authorization) finds the streams it follows there as mirrors the
   * jetstream-admin Job made, and publishes its dead letters to the main account's stream through an import.
   */
  declareStreams?: boolean;
  /** How long boot waits for NATS before failing with a clear error. Default 10 s. */
  connectTimeoutMs?: number;
  /** Pause between reconnect attempts once connected (reconnection never gives up). Default 2 s. */
  reconnectTimeWaitMs?: number;
  /** Timeout of JetStream API calls, publishes and requests. Default 5 s. */
  requestTimeoutMs?: number;
  /** Maximum time shutdown waits for consumers to finish their in-flight messages and NATS to drain. Default 10 s. */
  drainTimeoutMs?: number;
  /** How long dead letters are kept. Default 30 days. */
  deadLetterMaxAgeMs?: number;
}

const positiveMs = z.number().int().positive();

export const consumerDefinitionSchema = z.object({
  key: z.string().min(1),
  durable: z.string().regex(/^[A-Za-z0-9_-]+$/, "durable must use letters, digits, '-' or '_'"),
  stream: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  filterTokens: z.record(z.string(), z.string()).optional(),
  ackWaitMs: z.number().int().min(1000).optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
  backoffMs: z.array(z.number().int().min(0)).optional(),
  maxAckPending: z.number().int().min(1).optional(),
  deliverPolicy: z.enum(['all', 'new']).optional(),
  batchSize: z.number().int().min(1).max(1000).optional(),
});

export const natsModuleOptionsSchema = z.object({
  servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "name must be a lowercase service name such as 'schedules'"),
  prefix: z.string().optional(),
  user: z.string().min(1).optional(),
  pass: z.string().min(1).optional(),
  streams: z.array(z.unknown()).optional(),
  consumers: z.array(consumerDefinitionSchema).optional(),
  streamReplicas: z.number().int().min(1).max(5).optional(),
  declareStreams: z.boolean().optional(),
  connectTimeoutMs: positiveMs.optional(),
  reconnectTimeWaitMs: positiveMs.optional(),
  requestTimeoutMs: positiveMs.optional(),
  drainTimeoutMs: positiveMs.optional(),
  deadLetterMaxAgeMs: positiveMs.optional(),
});

/** Consumer settings with every default applied. */
export interface ResolvedConsumerSettings {
  ackWaitMs: number;
  maxAttempts: number;
  backoffMs: readonly number[];
  maxAckPending: number;
  deliverPolicy: 'all' | 'new';
  batchSize: number;
}

export const CONSUMER_DEFAULTS: ResolvedConsumerSettings = {
  ackWaitMs: 30_000,
  maxAttempts: 5,
  backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  maxAckPending: 1_000,
  deliverPolicy: 'all',
  batchSize: 10,
};

export function consumerSettings(definition: ConsumerDefinition): ResolvedConsumerSettings {
  return {
    ackWaitMs: definition.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs,
    maxAttempts: definition.maxAttempts ?? CONSUMER_DEFAULTS.maxAttempts,
    backoffMs: definition.backoffMs ?? CONSUMER_DEFAULTS.backoffMs,
    maxAckPending: definition.maxAckPending ?? CONSUMER_DEFAULTS.maxAckPending,
    deliverPolicy: definition.deliverPolicy ?? CONSUMER_DEFAULTS.deliverPolicy,
    batchSize: definition.batchSize ?? CONSUMER_DEFAULTS.batchSize,
  };
}

/** Module options with every default applied (what the services read). */
export interface ResolvedNatsOptions {
  servers: string[];
  name: string;
  user?: string;
  pass?: string;
  prefix: string;
  streams: readonly StreamDefinition[];
  consumers: readonly ConsumerDefinition[];
  streamReplicas: number;
  declareStreams: boolean;
  connectTimeoutMs: number;
  reconnectTimeWaitMs: number;
  requestTimeoutMs: number;
  drainTimeoutMs: number;
  deadLetterMaxAgeMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Validates the options (throwing a message that names the wrong field) and applies defaults. */
export function resolveNatsOptions(options: NatsModuleOptions): ResolvedNatsOptions {
  const result = natsModuleOptionsSchema.safeParse(options);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid NATS module options: ${detail}`);
  }
  return {
    servers: typeof options.servers === 'string' ? splitServers(options.servers) : [...options.servers],
    name: options.name,
    user: options.user,
    pass: options.pass,
    prefix: options.prefix ?? '',
    streams: options.streams ?? [],
    consumers: options.consumers ?? [],
    streamReplicas: options.streamReplicas ?? 1,
    declareStreams: options.declareStreams ?? true,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    reconnectTimeWaitMs: options.reconnectTimeWaitMs ?? 2_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    deadLetterMaxAgeMs: options.deadLetterMaxAgeMs ?? 30 * DAY,
  };
}

/** 'nats://a:4222,nats://b:4222' -> two servers (NATS_URL may list several). */
function splitServers(servers: string): string[] {
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Strips credentials from a server URL for logs and error messages. */
export function redactServer(server: string): string {
  return server.replace(/\/\/[^@/]*@/, '//***@');
}
