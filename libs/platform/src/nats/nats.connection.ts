import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  connect,
  DebugEvents,
  Events,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type Status,
} from 'nats';
import { HealthRegistry } from '../health/health.registry';
import { NATS_OPTIONS } from './nats.constants';
import {
  consumerTarget,
  deadLetterStream,
  ensureConsumer,
  ensureStream,
  streamConfig,
} from './nats.declarations';
import { NatsNaming, serviceInboxPrefix } from './nats.naming';
import { redactServer, type ResolvedNatsOptions } from './nats.options';
import { errorMessage, sleep, withTimeout } from './timing';

/**
 * The service's NATS connection. Connects at module init and fails boot with a clear error naming the server when
 * NATS cannot be reached within `connectTimeoutMs`; once connected it reconnects forever. Declares the dead-letter
 * stream and the configured streams and consumers, registers the 'nats' readiness check, and drains on shutdown
 * (after the consumer runner and the outbox relay have stopped, in `beforeApplicationShutdown`).
 */
@Injectable()
export class NatsConnectionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  readonly naming: NatsNaming;
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private jsm?: JetStreamManager;
  private connecting?: Promise<void>;
  private disconnected = false;
  private shuttingDown = false;
  private readonly readyWaiters: (() => void)[] = [];

  constructor(
    @Inject(NATS_OPTIONS) readonly options: ResolvedNatsOptions,
    @Optional() private readonly health?: HealthRegistry,
  ) {
    this.naming = new NatsNaming(options.prefix);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  /** Connects, checks JetStream and declares streams and consumers; idempotent. */
  connect(): Promise<void> {
    this.connecting ??= this.doConnect().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    return this.connecting;
  }

  /** Resolves once connected and declared (immediately when already). */
  ready(): Promise<void> {
    if (this.jsm) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Connected right now (declared, not closed, not between a disconnect and a reconnect). */
  get isConnected(): boolean {
    return this.jsm !== undefined && this.nc !== undefined && !this.nc.isClosed() && !this.disconnected;
  }

  get connection(): NatsConnection {
    if (!this.nc)
      throw new Error('NATS is not connected yet (NatsConnectionService.connect() has not completed)');
    return this.nc;
  }

  get jetstream(): JetStreamClient {
    if (!this.js)
      throw new Error('NATS is not connected yet (NatsConnectionService.connect() has not completed)');
    return this.js;
  }

  get manager(): JetStreamManager {
    if (!this.jsm)
      throw new Error('NATS is not connected yet (NatsConnectionService.connect() has not completed)');
    return this.jsm;
  }

  /** Readiness: connected (not reconnecting) and the JetStream API answers. */
  async check(): Promise<void> {
    const nc = this.nc;
    const jsm = this.jsm;
    if (!nc || !jsm) throw new Error('NATS not connected yet');
    if (nc.isClosed()) throw new Error('NATS connection closed');
    if (this.disconnected) throw new Error(`NATS disconnected, reconnecting to ${this.serversLabel()}`);
    await withTimeout(
      jsm.getAccountInfo(),
      this.options.requestTimeoutMs,
      'JetStream did not answer in time',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    try {
      await withTimeout(nc.drain(), this.options.drainTimeoutMs, 'NATS drain timed out');
      this.logger.log('NATS connection drained and closed');
    } catch (err) {
      this.logger.warn(`NATS drain failed (${errorMessage(err)}); closing the connection`);
      await nc.close().catch(() => undefined);
    }
  }

  private async doConnect(): Promise<void> {
    const nc = await this.connectWithinDeadline();
    this.nc = nc;
    this.watchStatus(nc);
    let jsm: JetStreamManager;
    try {
      jsm = await nc.jetstreamManager({ timeout: this.options.requestTimeoutMs });
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw new Error(`JetStream is not available on ${this.serversLabel()}: ${errorMessage(err)}`);
    }
    this.js = nc.jetstream({ timeout: this.options.requestTimeoutMs });
    try {
      await this.declare(jsm);
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
    this.jsm = jsm;
    this.health?.register('nats', () => this.check());
    if (!this.health)
      this.logger.warn("No HealthRegistry provided: the 'nats' readiness check is not registered");
    this.logger.log(`Connected to NATS ${nc.getServer()} as ${this.options.name}`);
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
  }

  private async connectWithinDeadline(): Promise<NatsConnection> {
    const deadline = Date.now() + this.options.connectTimeoutMs;
    let lastError: unknown;
    let attempt = 0;
    while (Date.now() < deadline) {
      attempt++;
      try {
        return await connect({
          servers: this.options.servers,
          name: this.options.name,
          // Replies (requests, JetStream API calls, pulls) come back on the service's own inbox prefix, the only one
          // its NATS user may subscribe to.
          inboxPrefix: serviceInboxPrefix(this.options.name),
          // nats.js ignores credentials in the URL: they come from NATS_USER / NATS_PASSWORD.
          ...(this.options.user ? { user: this.options.user, pass: this.options.pass } : {}),
          maxReconnectAttempts: -1,
          reconnectTimeWait: this.options.reconnectTimeWaitMs,
          waitOnFirstConnect: false,
          timeout: Math.max(500, Math.min(2_000, deadline - Date.now())),
        });
      } catch (err) {
        lastError = err;
        if (attempt === 1)
          this.logger.warn(`NATS ${this.serversLabel()} not reachable yet (${errorMessage(err)}), retrying`);
        await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
      }
    }
    throw new Error(
      `NATS unreachable at ${this.serversLabel()} after ${this.options.connectTimeoutMs} ms: ${errorMessage(lastError)}`,
    );
  }

  private async declare(jsm: JetStreamManager): Promise<void> {
    // NATS_DECLARE_STREAMS=false: the deployment made every stream this service uses (see NatsModuleOptions).
    const streams = this.options.declareStreams ? [deadLetterStream(this.options.deadLetterMaxAgeMs), ...this.options.streams] : [];
    for (const definition of streams) {
      const config = streamConfig(definition, this.naming, this.options.streamReplicas);
      const outcome = await ensureStream(jsm, config).catch((err: unknown) => {
        throw new Error(`Cannot declare stream ${config.name}: ${errorMessage(err)}`);
      });
      if (outcome !== 'unchanged') this.logger.log(`Stream ${config.name} ${outcome}`);
    }
    for (const definition of this.options.consumers) {
      const target = consumerTarget(definition, this.naming);
      const outcome = await ensureConsumer(jsm, target).catch((err: unknown) => {
        throw new Error(
          `Cannot declare consumer ${target.config.durable_name} on ${target.stream}: ${errorMessage(err)}`,
        );
      });
      if (outcome !== 'unchanged')
        this.logger.log(`Consumer ${target.stream}/${target.config.durable_name} ${outcome}`);
    }
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) this.onStatus(status);
    })().catch((err: unknown) => this.logger.error(`NATS status watcher failed: ${errorMessage(err)}`));
    void nc.closed().then((err) => {
      if (err) this.logger.error(`NATS connection closed with an error: ${errorMessage(err)}`);
      else if (!this.shuttingDown) this.logger.warn('NATS connection closed');
    });
  }

  private onStatus(status: Status): void {
    switch (status.type) {
      case Events.Disconnect:
        this.disconnected = true;
        this.logger.warn(`NATS disconnected from ${String(status.data)}; reconnecting`);
        break;
      case Events.Reconnect:
        this.disconnected = false;
        this.logger.log(`NATS reconnected to ${String(status.data)}`);
        break;
      case Events.LDM:
        this.logger.warn(
          `NATS server ${String(status.data)} entered lame duck mode; will move to another server`,
        );
        break;
      case Events.Error:
        this.logger.error(`NATS async error: ${String(status.data)}`);
        break;
      case DebugEvents.StaleConnection:
        this.logger.warn('NATS connection stale (missed pings)');
        break;
      case DebugEvents.Reconnecting:
        this.logger.debug(`NATS reconnecting to ${String(status.data)}`);
        break;
      default:
        break;
    }
  }

  private serversLabel(): string {
    return this.options.servers.map(redactServer).join(', ');
  }
}
