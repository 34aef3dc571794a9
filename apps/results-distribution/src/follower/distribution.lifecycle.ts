import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { ContractViolationError, parseEnvelope, type PayloadOf, type ResultsMessage } from '@podium/contracts';
import {
  CONFIG,
  consumeWithSpan,
  DEAD_LETTER_HEADERS,
  HealthRegistry,
  JETSTREAM_ATTRIBUTES,
  MetricsService,
  NatsConnectionService,
  NatsMetrics,
} from '@podium/platform';
import { headers as natsHeaders, type JsMsg } from 'nats';
import type { DistributionConfig } from '../app/config';
import { DistributionHub } from '../fanout/hub';
import { CheckpointRepository } from '../checkpoint/checkpoint.repository';
import { ResultsState } from '../state/results-state';
import { feedSubjects, type FeedSubjects, followFilter } from './feed-subjects';
import { type BackloggedResult, ResultsBacklog } from './results-backlog';
import { errorMessage, lateMs, StreamFollower } from './stream-follower';

/**
 * Boot, run and shutdown of the in-memory state:
 * 1. module init: restore the latest checkpoint from PostgreSQL (documents, schedule units, entries, stream sequences);
 * 2. bootstrap: follow SCHEDULES, then RESULTS and ENTRIES from the checkpoint's sequences + 1 and RESULTS_CURRENT
 *    from the last message per unit; /health/ready reports not ready until the backlog is replayed;
 * 3. every SNAPSHOT_INTERVAL_MS: checkpoint what changed;
 * 4. shutdown: stop following, write a last checkpoint (the database and NATS close afterwards).
 * Every inbound payload is validated against the contracts; an invalid one is dead-lettered and skipped.
 */
@Injectable()
export class DistributionLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Distribution');
  private readonly subjects: FeedSubjects;
  private readonly followers: StreamFollower[] = [];
  private timer?: NodeJS.Timeout;
  private following?: Promise<void>;
  private failure: string | null = null;
  private stopping = false;
  private checkpointing?: Promise<void>;
  private readonly decoder = new TextDecoder();
  /** RESULTS messages taken in while behind, applied at the next fan-out round (see onResult). */
  private readonly backlog = new ResultsBacklog();
  /** The boot's replay is caught up and applied (see the readiness check). */
  private replayApplied = false;
  private readonly counters;
  private readonly lag;

  constructor(
    @Inject(CONFIG) private readonly config: DistributionConfig,
    private readonly state: ResultsState,
    private readonly checkpoints: CheckpointRepository,
    private readonly connection: NatsConnectionService,
    private readonly health: HealthRegistry,
    private readonly hub: DistributionHub,
    metrics: MetricsService,
    @Optional() private readonly natsMetrics?: NatsMetrics,
  ) {
    this.subjects = feedSubjects(config.FEED);
    hub.setBeforeRound(() => this.applyBacklog());
    this.counters = metrics.counter({
      name: 'results_distribution_messages_total',
      help: 'Stream messages taken into account, by stream and outcome (applied, stale, duplicate, invalid...).',
      labelNames: ['stream', 'outcome'],
    });
    this.lag = metrics.histogram({
      name: 'results_distribution_ingest_to_apply_seconds',
      help: 'From acceptance by results-ingest (receivedAt) to the update applied to the state (fan-out: results_distribution_fanout_lag_seconds).',
      labelNames: ['stream'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    const sequences = metrics.gauge({
      name: 'results_distribution_stream_sequence',
      help: 'Last stream sequence taken into account, by stream.',
      labelNames: ['stream'],
      collect() {
        sequences.set({ stream: 'results' }, state.resultsSeq);
        sequences.set({ stream: 'current' }, state.currentSeq);
        sequences.set({ stream: 'schedules' }, state.scheduleSeq);
        sequences.set({ stream: 'entries' }, state.entriesSeq);
      },
    });
    const documents = metrics.gauge({
      name: 'results_distribution_documents',
      help: 'Documents held in memory.',
      collect() {
        documents.set(state.documents.size);
      },
    });
  }

  private get streams() {
    return {
      results: this.subjects.documents.stream.name,
      schedules: this.subjects.schedules.stream.name,
      entries: this.subjects.entries.stream.name,
    };
  }

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    const restored = await this.checkpoints.read(this.streams);
    this.state.restore(restored, Math.max(0, restored.resultsSeq - this.config.RESTART_REPLAY_MESSAGES));
    this.logger.log(
      `Restored ${restored.documents.length} documents, ${restored.units.length} schedule units and ` +
        `${restored.entries.length} entries from the checkpoint (RESULTS #${restored.resultsSeq}, ` +
        `SCHEDULES #${restored.scheduleSeq}, ENTRIES #${restored.entriesSeq}) in ${Date.now() - started} ms`,
    );
    this.health.register('state', () => {
      const behind = this.followers.filter((f) => !f.caughtUp).map((f) => f.wireStream);
      if (this.failure !== null) throw new Error(`cannot follow the streams: ${this.failure}`);
      if (this.followers.length === 0) throw new Error('not following the streams yet');
      if (behind.length > 0) throw new Error(`replaying ${behind.join(', ')}`);
      // Caught up once includes having applied what the replay took in: then ready for good (a backlog under load
      // later must not take the instance out of service).
      if (!this.replayApplied && this.backlog.size > 0) throw new Error(`applying ${this.backlog.size} replayed messages`);
      this.replayApplied = true;
    });
  }

  /** Starts following in the background: the HTTP server listens meanwhile, /health/ready says when it is done. */
  onApplicationBootstrap(): void {
    const instance = this.config.INSTANCE_ID;
    const schedules = new StreamFollower(this.connection, this.natsMetrics, {
      stream: this.subjects.schedules.stream.name,
      filterSubject: followFilter(this.subjects.schedules.key),
      durable: `results-distribution-schedules-${instance}`,
      start: () => ({ after: this.state.scheduleSeq }),
      ack: 'explicit',
      handle: (msg) => this.onSchedule(msg),
    });
    const results = new StreamFollower(this.connection, this.natsMetrics, {
      stream: this.subjects.documents.stream.name,
      filterSubject: followFilter(this.subjects.documents.key),
      durable: `results-distribution-results-${instance}`,
      // From the replay buffer's end: at boot that is RESTART_REPLAY_MESSAGES before the checkpoint (to refill it).
      start: () => ({ after: this.state.replay.last }),
      ack: 'explicit',
      handle: (msg) => this.onResult(msg),
      onBacklog: (waiting, late) => this.hub.setBacklog('results', this.backlogOf(waiting, late)),
    });
    const current = new StreamFollower(this.connection, this.natsMetrics, {
      stream: this.subjects.current.stream.name,
      filterSubject: followFilter(this.subjects.current.key),
      durable: `results-distribution-current-${instance}`,
      start: () => 'last-per-subject',
      ack: 'none',
      handle: (msg) => this.onCurrent(msg),
      onBacklog: (waiting, late) => this.hub.setBacklog('current', this.backlogOf(waiting, late)),
    });
    const entries = new StreamFollower(this.connection, this.natsMetrics, {
      stream: this.subjects.entries.stream.name,
      filterSubject: followFilter(this.subjects.entries.key),
      durable: `results-distribution-entries-${instance}`,
      start: () => ({ after: this.state.entriesSeq }),
      ack: 'explicit',
      handle: (msg) => this.onEntry(msg),
    });
    this.followers.push(schedules, results, current, entries);
    this.following = this.follow(schedules, [results, current, entries]);
  }

  /** Starts the followers, retrying (1 s, 2 s… 30 s) while NATS or a stream is not there; readiness tells why. */
  private async follow(schedules: StreamFollower, others: StreamFollower[]): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        // The schedule first, so that medal units are known when the results are replayed.
        if (!schedules.started) await schedules.start();
        await schedules.whenCaughtUp();
        await Promise.all(others.filter((f) => !f.started).map((f) => f.start()));
        this.failure = null;
        this.timer = setInterval(() => void this.checkpoint(), this.config.SNAPSHOT_INTERVAL_MS);
        this.timer.unref();
        return;
      } catch (err) {
        this.failure = errorMessage(err);
        const delay = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
        this.logger.error(`Cannot follow the streams (${this.failure}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.following;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.followers.map((f) => f.stop()));
    // Messages taken in while behind go into this last checkpoint (and out to the clients still connected).
    this.hub.flush();
    // A periodic checkpoint still being written holds only what changed before it started: let it finish, then write
    // what changed since (joining it would leave that out, and the next instance would apply it again).
    await this.checkpointing;
    await this.checkpoint();
  }

  /** Writes what changed since the previous checkpoint (one at a time: during a write, joins it). */
  checkpoint(): Promise<void> {
    this.checkpointing ??= this.writeCheckpoint().finally(() => {
      this.checkpointing = undefined;
    });
    return this.checkpointing;
  }

  private async writeCheckpoint(): Promise<void> {
    const checkpoint = this.state.takeCheckpoint();
    if (!checkpoint) return;
    try {
      await this.checkpoints.write(checkpoint, this.streams);
    } catch (err) {
      this.state.requeue(checkpoint);
      this.logger.error(`Checkpoint at RESULTS #${checkpoint.resultsSeq} failed, retried next time: ${errorMessage(err)}`);
    }
  }

  /**
   * A RESULTS message. When this instance keeps up (nothing more waiting on the server, nothing taken in before it
   * still waiting), it is validated and applied at once. When it is behind, the message is only parsed (JSON, cheap)
   * and waits for the next fan-out round (the hub holds rounds while a backlog is read, see DistributionHub): then the
   * messages that waited are applied in stream order, except LIVE versions of full documents that a newer valid version
   * of the same document waiting with them supersedes: those are neither validated nor applied (counted as
   * `conflated`, a hole in the replay buffer that the partner feed reads from the stream). So a backlog costs about a
   * JSON parse per message plus one validation and apply per document, and the lag stays bounded even when more comes
   * in than this instance could validate. OFFICIAL versions and _UPDATE deltas are always applied, in order.
   */
  private onResult(msg: JsMsg): void {
    const subject = this.connection.naming.logicalSubject(msg.subject);
    if (msg.seq <= this.state.resultsSeq && this.backlog.size === 0) {
      // Before the checkpoint (read again at boot): only refills the replay buffer.
      const data = this.parse(msg, subject, this.subjects.documents.key, false);
      if (data !== null) this.state.refillReplay(data, msg.seq, subject);
      return;
    }
    if (this.backlog.size === 0 && this.backlogOf(msg.info.pending, lateMs(msg)) === 0) {
      this.applyResultMessage(msg, subject, this.parse(msg, subject, this.subjects.documents.key));
      return;
    }
    this.backlog.add(msg, subject);
    if (this.backlog.size >= this.config.FANOUT_BACKLOG_MESSAGES) this.applyBacklog();
    else this.hub.defer();
  }

  /**
   * How many messages this instance is behind by, for the fan-out: those waiting (on the server or received), or 1
   * when none is known to wait but the message came later than FANOUT_LATE_MS after it was stored (a backlog in the
   * socket or the pull window, which the server does not count).
   */
  private backlogOf(waiting: number, late: number): number {
    if (waiting > 0) return waiting;
    return late > this.config.FANOUT_LATE_MS ? 1 : 0;
  }

  /** Applies the RESULTS messages taken in while behind (called by the hub at the start of a fan-out round). */
  private applyBacklog(): void {
    const items = this.backlog.take();
    if (items.length === 0) return;
    const validated = new Map<BackloggedResult, ResultsMessage | null>();
    const validate = (item: BackloggedResult): ResultsMessage | null => {
      if (!validated.has(item)) validated.set(item, this.validateBacklogged(item));
      return validated.get(item) ?? null;
    };
    // Per document, the newest version that is valid: it supersedes the LIVE versions before it.
    const newest = new Map<string, BackloggedResult>();
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i] as BackloggedResult;
      if (item.key === null || newest.has(item.key)) continue;
      if (validate(item) !== null) newest.set(item.key, item);
    }
    for (const item of items) {
      const superseding = item.key === null ? undefined : newest.get(item.key);
      if (item.conflatable && superseding !== undefined && superseding.msg.seq > item.msg.seq && superseding.version > item.version) {
        this.state.conflateResult(item.msg.seq);
        this.counters.inc({ stream: 'results', outcome: 'conflated' });
        continue;
      }
      this.applyResultMessage(item.msg, item.subject, validate(item));
    }
  }

  private validateBacklogged(item: BackloggedResult): ResultsMessage | null {
    try {
      if (item.error !== null) throw item.error;
      return parseEnvelope(this.subjects.documents.key, item.envelope).data;
    } catch (err) {
      this.deadLetter(item.msg, item.subject, err);
      return null;
    }
  }

  /**
   * With tracing on, inside a CONSUMER span child of the message's traceparent (the relay's publish in results-ingest),
   * whichever way it came (at once or from the backlog): the fan-out of the document joins it (DistributionHub).
   */
  private applyResultMessage(msg: JsMsg, subject: string, data: ResultsMessage | null): void {
    consumeWithSpan(
      subject,
      msg.headers,
      { [JETSTREAM_ATTRIBUTES.stream]: msg.info.stream, [JETSTREAM_ATTRIBUTES.sequence]: msg.seq },
      () => this.applyResultData(msg, subject, data),
    );
  }

  private applyResultData(msg: JsMsg, subject: string, data: ResultsMessage | null): void {
    if (data === null) {
      this.state.skipResult(msg.seq);
      this.counters.inc({ stream: 'results', outcome: 'invalid' });
      return;
    }
    const outcome = this.state.applyResult(data, msg.seq, subject);
    this.counters.inc({ stream: 'results', outcome });
    if (outcome === 'applied') this.observeLag('results', data.receivedAt);
  }

  private onCurrent(msg: JsMsg): void {
    const subject = this.connection.naming.logicalSubject(msg.subject);
    const data = this.parse(msg, subject, this.subjects.current.key);
    if (data === null) {
      this.counters.inc({ stream: 'current', outcome: 'invalid' });
      return;
    }
    const outcome = this.state.applyCurrent(data, msg.seq, subject);
    this.counters.inc({ stream: 'current', outcome });
    if (outcome === 'applied') this.observeLag('current', data.receivedAt);
  }

  private onSchedule(msg: JsMsg): void {
    const unit = this.validated(msg, this.subjects.schedules.key, 'schedules');
    if (unit !== null) this.counters.inc({ stream: 'schedules', outcome: this.state.applyScheduleUnit(unit, msg.seq) });
  }

  private onEntry(msg: JsMsg): void {
    const entry = this.validated(msg, this.subjects.entries.key, 'entries');
    if (entry !== null) this.counters.inc({ stream: 'entries', outcome: this.state.applyEntry(entry, msg.seq) });
  }

  /** The payload of an OMS message, or null when invalid (dead-lettered and counted). */
  private validated<K extends FeedSubjects['schedules' | 'entries']['key']>(
    msg: JsMsg,
    key: K,
    stream: string,
  ): PayloadOf<K> | null {
    try {
      return parseEnvelope(key, JSON.parse(this.decoder.decode(msg.data))).data;
    } catch (err) {
      this.deadLetter(msg, this.connection.naming.logicalSubject(msg.subject), err);
      this.counters.inc({ stream, outcome: 'invalid' });
      return null;
    }
  }

  private parse(
    msg: JsMsg,
    subject: string,
    key: FeedSubjects['documents']['key'] | FeedSubjects['current']['key'],
    deadLetter = true,
  ): ResultsMessage | null {
    try {
      return parseEnvelope(key, JSON.parse(this.decoder.decode(msg.data))).data;
    } catch (err) {
      if (deadLetter) this.deadLetter(msg, subject, err);
      return null;
    }
  }

  private observeLag(stream: string, receivedAt: string): void {
    const seconds = (Date.now() - Date.parse(receivedAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) this.lag.observe({ stream }, seconds);
  }

  /** An invalid payload goes to `dlq.results-distribution.<subject>` with the reason; it is never retried. */
  private deadLetter(msg: JsMsg, subject: string, err: unknown): void {
    const detail = err instanceof ContractViolationError ? err.message : `unreadable message: ${errorMessage(err)}`;
    this.logger.warn(`Invalid message ${msg.info.stream}#${msg.seq} on ${subject}, dead-lettered: ${detail}`);
    const naming = this.connection.naming;
    const service = this.connection.options.name;
    const h = natsHeaders();
    h.set(DEAD_LETTER_HEADERS.reason, 'invalid-payload');
    h.set(DEAD_LETTER_HEADERS.error, detail.replace(/[\r\n]+/g, ' ').slice(0, 1024));
    h.set(DEAD_LETTER_HEADERS.service, service);
    h.set(DEAD_LETTER_HEADERS.subject, subject);
    h.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
    h.set(DEAD_LETTER_HEADERS.sequence, String(msg.seq));
    h.set(DEAD_LETTER_HEADERS.time, new Date().toISOString());
    void this.connection.jetstream
      .publish(naming.subject(naming.deadLetterSubject(service, subject)), msg.data, {
        msgID: `dlq:${msg.info.stream}:${msg.seq}:${service}`,
        headers: h,
      })
      .catch((publishErr: unknown) => this.logger.error(`Dead-lettering failed: ${errorMessage(publishErr)}`));
  }
}
