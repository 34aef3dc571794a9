import { Logger } from '@nestjs/common';
import { subjectDefinition, subjectFilter, type StreamDefinition, type SubjectKey } from '@podium/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  nanos,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from 'nats';
import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT_ROOT, NatsNaming } from './nats.naming';
import { type ConsumerDefinition, consumerSettings } from './nats.options';

/**
 * The server keeps delivering a message up to `maxAttempts + SERVER_DELIVERY_MARGIN` times. The runner, not the server,
 * decides when to give up (it dead-letters at `maxAttempts`): the server silently stops redelivering at `max_deliver`,
 * so the margin leaves room for a crash or a failed dead-letter publish around the last attempt.
 */
export const SERVER_DELIVERY_MARGIN = 5;

/** The dead-letter stream every service declares (same config everywhere, so declaring it is idempotent). */
export function deadLetterStream(maxAgeMs: number): StreamDefinition {
  return {
    name: DEAD_LETTER_STREAM,
    subjects: [`${DEAD_LETTER_SUBJECT_ROOT}.>`],
    description:
      'Dead letters: messages a service could not process (invalid payload or attempts exhausted).',
    retention: 'limits',
    storage: 'file',
    maxAge: maxAgeMs,
    duplicateWindow: 2 * 60_000,
  };
}

const RETENTION: Record<StreamDefinition['retention'], RetentionPolicy> = {
  limits: RetentionPolicy.Limits,
  interest: RetentionPolicy.Interest,
  workqueue: RetentionPolicy.Workqueue,
};
const STORAGE: Record<StreamDefinition['storage'], StorageType> = {
  file: StorageType.File,
  memory: StorageType.Memory,
};

/** The stream settings Podium manages (anything else on the stream is left as the server has it). */
export type ManagedStreamConfig = Pick<
  StreamConfig,
  | 'name'
  | 'subjects'
  | 'description'
  | 'retention'
  | 'storage'
  | 'max_age'
  | 'duplicate_window'
  | 'max_msgs_per_subject'
  | 'num_replicas'
>;

/**
 * The JetStream config of a contracts stream. `replicas` (NATS_STREAM_REPLICAS, default 1) is how many servers of the
 * cluster hold it: with 3, the stream (and the durable consumers on it, which inherit its replicas) survives the loss
 * of any one server.
 */
export function streamConfig(definition: StreamDefinition, naming: NatsNaming, replicas = 1): ManagedStreamConfig {
  return {
    name: naming.name(definition.name),
    subjects: definition.subjects.map((s) => naming.subject(s)),
    description: definition.description,
    retention: RETENTION[definition.retention],
    storage: STORAGE[definition.storage],
    max_age: nanos(definition.maxAge),
    // 0 lets the server pick its default (2 min), which it then reports: compare against what it would store.
    duplicate_window: nanos(definition.duplicateWindow > 0 ? definition.duplicateWindow : 2 * 60_000),
    // -1: unlimited, as the server reports it.
    max_msgs_per_subject: definition.maxMsgsPerSubject ?? -1,
    num_replicas: replicas,
  };
}

/** The replicas a stream has (the server reports 1 for a single copy; absent or 0 means the same). */
function replicasOf(config: Partial<StreamConfig>): number {
  return Math.max(1, config.num_replicas ?? 1);
}

/**
 * Settings that differ between the desired and the existing stream; `immutable` ones cannot be updated in place.
 * Replicas count as changed only when the stream has fewer than desired: they are raised, never lowered (services
 * configured differently during a rollout would otherwise take turns resizing the stream, and lowering them gives up
 * the stream's survival of a node loss, which is an operator's decision: `nats stream edit <name> --replicas <n>`).
 */
export function streamDifferences(
  desired: ManagedStreamConfig,
  existing: Partial<StreamConfig>,
): { changed: string[]; immutable: string[] } {
  const changed: string[] = [];
  const immutable: string[] = [];
  if (!sameSet(desired.subjects, existing.subjects ?? [])) changed.push('subjects');
  if ((desired.description ?? '') !== (existing.description ?? '')) changed.push('description');
  if (desired.max_age !== (existing.max_age ?? 0)) changed.push('max_age');
  if (desired.duplicate_window !== existing.duplicate_window) changed.push('duplicate_window');
  if (desired.max_msgs_per_subject !== (existing.max_msgs_per_subject ?? -1)) changed.push('max_msgs_per_subject');
  if (desired.num_replicas > replicasOf(existing)) changed.push('num_replicas');
  if (desired.retention !== existing.retention) immutable.push('retention');
  if (desired.storage !== existing.storage) immutable.push('storage');
  return { changed, immutable };
}

/** The managed consumer settings (a pull consumer: no deliver_subject). */
export type ManagedConsumerConfig = Pick<
  ConsumerConfig,
  | 'durable_name'
  | 'description'
  | 'ack_policy'
  | 'deliver_policy'
  | 'replay_policy'
  | 'ack_wait'
  | 'max_deliver'
  | 'max_ack_pending'
  | 'filter_subject'
>;

export interface ConsumerTarget {
  /** JetStream stream name (prefixed). */
  stream: string;
  config: ManagedConsumerConfig;
}

/** The stream of a consumer: the definition's, else the one the contracts declare for the key. */
export function consumerStream(definition: ConsumerDefinition): string {
  return definition.stream ?? subjectDefinition(definition.key).stream;
}

/** The logical filter subject of a consumer (contract key with the unspecified tokens as '*'). */
export function consumerFilter<K extends SubjectKey>(definition: ConsumerDefinition<K>): string {
  return subjectFilter(definition.key, definition.filterTokens ?? {});
}

export function consumerTarget(definition: ConsumerDefinition, naming: NatsNaming): ConsumerTarget {
  const settings = consumerSettings(definition);
  return {
    stream: naming.name(consumerStream(definition)),
    config: {
      durable_name: naming.name(definition.durable),
      description: `Podium consumer of ${definition.key}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: settings.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxAttempts + SERVER_DELIVERY_MARGIN,
      max_ack_pending: settings.maxAckPending,
      filter_subject: naming.subject(consumerFilter(definition)),
    },
  };
}

/** Settings that differ; deliver_policy only matters when the durable is created, so it is not compared. */
export function consumerDifferences(
  desired: ManagedConsumerConfig,
  existing: Partial<ConsumerConfig>,
): string[] {
  const changed: string[] = [];
  const keys = [
    'description',
    'ack_wait',
    'max_deliver',
    'max_ack_pending',
    'filter_subject',
    'ack_policy',
  ] as const;
  for (const key of keys) {
    if ((desired[key] ?? null) !== (existing[key] ?? null)) changed.push(key);
  }
  return changed;
}

export type DeclarationOutcome = 'created' | 'updated' | 'unchanged';

function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const apiError = (err as { api_error?: { err_code?: number; code?: number } }).api_error;
  return apiError?.code === 404 || (err as { code?: unknown }).code === '404';
}

/**
 * Creates the stream, or updates it when a managed setting differs; fails clearly on immutable differences. Replicas are
 * raised to the desired count (JetStream moves the stream onto more servers in place) and never lowered: a stream with
 * more replicas than desired keeps them, with a warning.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  desired: ManagedStreamConfig,
): Promise<DeclarationOutcome> {
  let existing: Partial<StreamConfig> | undefined;
  try {
    existing = (await jsm.streams.info(desired.name)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!existing) {
    await jsm.streams.add({ ...desired }).catch((err: unknown) => {
      throw replicasHint(err, desired.num_replicas);
    });
    return 'created';
  }
  const { changed, immutable } = streamDifferences(desired, existing);
  if (immutable.length > 0) {
    throw new Error(
      `Stream ${desired.name} exists with a different ${immutable.join(', ')}, which JetStream cannot change in place: ` +
        'migrate it (create a new stream or delete this one) before deploying.',
    );
  }
  const replicas = Math.max(desired.num_replicas, replicasOf(existing));
  if (replicas > desired.num_replicas) {
    new Logger('Nats').warn(
      `Stream ${desired.name} has ${replicas} replicas, more than the ${desired.num_replicas} configured ` +
        `(NATS_STREAM_REPLICAS): left as is, a service never lowers them (\`nats stream edit ${desired.name} --replicas ` +
        `${desired.num_replicas}\` does)`,
    );
  }
  if (changed.length === 0) return 'unchanged';
  await jsm.streams
    .update(desired.name, {
      subjects: desired.subjects,
      description: desired.description,
      max_age: desired.max_age,
      duplicate_window: desired.duplicate_window,
      max_msgs_per_subject: desired.max_msgs_per_subject,
      num_replicas: replicas,
    })
    .catch((err: unknown) => {
      throw replicasHint(err, replicas);
    });
  return 'updated';
}

/**
 * JetStream's refusals of a replica count name neither the count nor the variable (a single server answers "replicas >
 * 1 not supported in non-clustered mode", a cluster too small "insufficient resources"): say what to change.
 */
function replicasHint(err: unknown, replicas: number): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (replicas <= 1 || !/replicas|insufficient resources|no suitable peers/i.test(message)) return err;
  return new Error(
    `${message}: NATS_STREAM_REPLICAS=${replicas} needs a JetStream cluster of at least ${replicas} servers ` +
      '(use 1 against a single nats-server)',
    { cause: err },
  );
}

/** Creates the durable consumer, or updates it when a managed setting differs. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  target: ConsumerTarget,
): Promise<DeclarationOutcome> {
  const durable = target.config.durable_name ?? '';
  let existing: Partial<ConsumerConfig> | undefined;
  try {
    existing = (await jsm.consumers.info(target.stream, durable)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!existing) {
    await jsm.consumers.add(target.stream, { ...target.config });
    return 'created';
  }
  if (consumerDifferences(target.config, existing).length === 0) return 'unchanged';
  await jsm.consumers.update(target.stream, durable, {
    description: target.config.description,
    ack_wait: target.config.ack_wait,
    max_deliver: target.config.max_deliver,
    max_ack_pending: target.config.max_ack_pending,
    filter_subject: target.config.filter_subject,
  });
  return 'updated';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
}
