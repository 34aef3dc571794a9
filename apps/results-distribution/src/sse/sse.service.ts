import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { cisDocumentFilterSchema } from '@podium/contracts';
import {
  clientAddress,
  CONFIG,
  type HttpReply,
  type HttpRequest,
  MetricsService,
  parseTrustedProxies,
  ProblemException,
  type TrustedProxies,
} from '@podium/platform';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { DistributionConfig } from '../app/config';
import { catchUp, currentsFor, framesOf, snapshotParts } from '../fanout/catch-up';
import { ClientSession } from '../fanout/client-session';
import { ConnectionBudget } from '../fanout/connection-budget';
import { sseDocumentMessage, sseEvent, sseMedalsFrame, sseScheduleUnitFrame } from '../fanout/frames';
import { DistributionHub } from '../fanout/hub';
import type { FrameSource, OutboundMessage, OutletContext, OutletOptions, Sink } from '../fanout/outlet';
import { QueuedBytesBudget } from '../fanout/queued-bytes-budget';
import type { DocumentEntry } from '../state/document';
import type { DocumentFilter } from '../state/filter';
import type { MedalTableView } from '../state/medal-tracker';
import { ResultsState, type ScheduleUnitView } from '../state/results-state';
import { CHANNEL_LANES } from '../fanout/write-batch';

const flag = z.stringbool({ error: 'expected true or false' }).optional();

/** GET /v1/stream query: a document filter (or all=true), medals=true, schedule=true; lastEventId for polyfills. */
export const streamQuerySchema = cisDocumentFilterSchema.extend({
  all: flag.meta({ description: 'Every document (when no discipline, rsc or documentType is given)' }),
  medals: flag.meta({ description: 'Also the medal table (event "medals", sent at once and on every change)' }),
  schedule: flag.meta({ description: 'Also the schedule with live status (event "schedule" per changed unit)' }),
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Same as the Last-Event-ID header, for clients that cannot set it' }),
});
export type StreamQuery = z.infer<typeof streamQuerySchema>;

/** Documents per `snapshot` event. */
const SNAPSHOT_PART_SIZE = 200;

/**
 * Writes events straight to the response's socket once the headers are out (the response has no chunked framing, so
 * the bytes are the same): http.ServerResponse would cork and schedule an uncork for every write, which costs more
 * than the write itself at tens of thousands of events per second.
 */
class ResponseSink implements Sink {
  constructor(private readonly res: ServerResponse) {}

  buffered(): number {
    return this.res.socket?.writableLength ?? 0;
  }

  write(frame: Buffer): void {
    const socket = this.writableSocket();
    if (socket) socket.write(frame);
  }

  writeMany(frames: readonly Buffer[]): void {
    const socket = this.writableSocket();
    if (!socket) return;
    socket.cork();
    for (const frame of frames) socket.write(frame);
    socket.uncork();
  }

  requestDrain(): void {
    // The socket emits 'drain' (listened to in SseService.open) once the buffer that made write() return false is flushed.
  }

  close(reason: string, immediate = false): void {
    if (this.res.writableEnded) return;
    this.res.end(sseEvent('error', { code: 'slow-consumer', reason }));
    if (immediate) this.res.destroy();
    else setTimeout(() => this.res.destroy(), 5_000).unref();
  }

  private writableSocket(): ServerResponse['socket'] {
    const socket = this.res.socket;
    return socket && !socket.destroyed && !this.res.writableEnded ? socket : null;
  }
}

class SseSession extends ClientSession {
  readonly channel = 'sse';

  constructor(id: number, sink: Sink, options: OutletOptions, onClosed: (reason: string) => void, context: OutletContext) {
    super(id, sink, options, onClosed, context);
  }

  protected documentMessage(entry: DocumentEntry): OutboundMessage {
    return sseDocumentMessage(entry);
  }

  protected medalsFrame(table: MedalTableView): Buffer {
    return sseMedalsFrame(table);
  }

  protected unitFrame(unit: ScheduleUnitView): Buffer {
    return sseScheduleUnitFrame(unit);
  }

  /** The snapshot or the resumed updates, written as the socket takes them (see ClientSession.sendCatchUp). */
  startCatchUp(source: FrameSource): void {
    this.sendCatchUp(source);
  }
}

/**
 * Server-Sent Events at GET /v1/stream for browsers. Events: `hello` (seq, resumed), `snapshot` (id = the sequence it
 * reflects), `document` (id = stream sequence), `current` (DT_CURRENT, no id), `medals`, `schedule`, `reset` (the
 * Last-Event-ID is no longer buffered: a snapshot follows), `error` (then the server ends the stream).
 * Reconnecting with Last-Event-ID replays what was missed from the replay buffer.
 */
@Injectable()
export class SseService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Sse');
  private readonly sessions = new Map<SseSession, ServerResponse>();
  private nextId = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly disconnects;
  private readonly delivered;
  private readonly proxies: TrustedProxies;

  constructor(
    private readonly hub: DistributionHub,
    private readonly state: ResultsState,
    private readonly budget: ConnectionBudget,
    private readonly queuedBytes: QueuedBytesBudget,
    @Inject(CONFIG) private readonly config: DistributionConfig,
    metrics: MetricsService,
  ) {
    this.delivered = hub.deliveries('sse');
    const proxies = parseTrustedProxies(config.TRUSTED_PROXIES);
    this.proxies = proxies.ok ? proxies.proxies : null;
    const sessions = this.sessions;
    const connections = metrics.gauge({
      name: 'results_distribution_sse_connections',
      help: 'Open SSE connections.',
      collect() {
        connections.set(sessions.size);
      },
    });
    this.disconnects = metrics.counter({
      name: 'results_distribution_disconnects_total',
      help:
        'Clients disconnected or refused by the server, by channel and reason (slow-consumer, full, address: ' +
        'MAX_CONNECTIONS_PER_ADDRESS, unresponsive, idle).',
      labelNames: ['channel', 'reason'],
    });
    this.heartbeat = setInterval(() => {
      const ping = Buffer.from(': ping\n\n');
      for (const session of this.sessions.keys()) session.sendControl(ping);
    }, config.SSE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  open(request: HttpRequest, reply: HttpReply, query: StreamQuery): void {
    const filter: DocumentFilter | null = hasFilter(query)
      ? {
          ...(query.discipline === undefined ? {} : { discipline: query.discipline }),
          ...(query.rsc === undefined ? {} : { rsc: query.rsc }),
          ...(query.documentType === undefined ? {} : { documentType: query.documentType }),
        }
      : query.all
        ? {}
        : null;
    if (filter === null && !query.medals && !query.schedule) {
      throw new ProblemException({
        status: 400,
        slug: 'validation-failed',
        detail: 'Ask for documents (discipline, rsc, documentType or all=true), medals=true or schedule=true.',
      });
    }
    const address = clientAddress(request.raw.socket.remoteAddress, request.headers['x-forwarded-for'], this.proxies);
    const refused = this.budget.acquire(address);
    if (refused === 'full') {
      this.disconnects.inc({ channel: 'sse', reason: 'full' });
      throw new ProblemException({
        status: 503,
        slug: 'too-many-connections',
        detail: 'This instance serves as many streams as it may; retry later or on another instance.',
        headers: { 'Retry-After': '5' },
      });
    }
    if (refused === 'address') {
      this.disconnects.inc({ channel: 'sse', reason: 'address' });
      throw new ProblemException({
        status: 429,
        slug: 'too-many-connections-from-address',
        detail:
          `This instance already serves ${this.config.MAX_CONNECTIONS_PER_ADDRESS} streams to your address ` +
          '(MAX_CONNECTIONS_PER_ADDRESS); close one first.',
        headers: { 'Retry-After': '5' },
      });
    }
    const lastEventId = parseLastEventId(request.headers['last-event-id']) ?? query.lastEventId;

    // The stream writes to the Node response itself, for hours: Fastify must not answer the request too. A hijacked
    // reply never writes the headers set on it nor runs the onSend hooks; what the stream needs is on the Node response
    // already: the correlation id (platform hook), and the CORS headers that EventSource on another origin needs (Nest's
    // Fastify adapter copies @fastify/cors's headers there in its onRequest hook; sse.integration-spec checks them).
    reply.hijack();
    const res = reply.raw;
    res.statusCode = 200;
    // No chunked framing: the stream ends when the connection closes, and each event is written as is.
    res.useChunkedEncodingByDefault = false;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const socket = request.raw.socket;
    socket.setNoDelay(true);
    // An SSE connection lives for hours, but not without reading: one whose socket takes no byte (not even the
    // heartbeat, every SSE_HEARTBEAT_MS) for SSE_IDLE_TIMEOUT_MS is closed (the timer restarts with each write done).
    socket.setTimeout(this.config.SSE_IDLE_TIMEOUT_MS);
    res.on('timeout', () => {
      // A stream already ended (a slow consumer given its grace period) is not counted twice.
      if (!res.writableEnded) this.disconnects.inc({ channel: 'sse', reason: 'idle' });
      res.destroy();
    });

    const session: SseSession = new SseSession(
      ++this.nextId,
      new ResponseSink(res),
      {
        maxMessages: this.config.CLIENT_QUEUE_MESSAGES,
        maxBytes: this.config.CLIENT_QUEUE_BYTES,
        highWaterBytes: this.config.CLIENT_SOCKET_HIGH_WATER,
      },
      (reason) => {
        this.hub.remove(session);
        this.disconnects.inc({ channel: 'sse', reason: 'slow-consumer' });
        this.logger.warn(`SSE client ${session.id} disconnected: ${reason}`);
      },
      { batch: this.hub.batch, lane: CHANNEL_LANES.sse, delivered: this.delivered, budget: this.queuedBytes },
    );
    this.sessions.set(session, res);
    res.socket?.on('drain', () => session.outlet.drain());
    res.on('close', () => {
      this.sessions.delete(session);
      this.budget.release(address);
      this.hub.remove(session);
      session.outlet.detach();
    });

    session.sendControl(Buffer.from('retry: 2000\n\n'));
    if (filter !== null) {
      const plan = catchUp(this.state, filter, lastEventId);
      this.hub.subscribe(session, 'stream', filter, plan.seq);
      session.sendControl(sseEvent('hello', { seq: plan.seq, resumed: plan.kind === 'resume' }));
      if (plan.kind === 'resume') {
        session.startCatchUp(framesOf(plan.updates, (entry) => sseDocumentMessage(entry).frame));
      } else {
        if (plan.reset !== null) session.sendControl(sseEvent('reset', { reason: plan.reset, seq: plan.seq }));
        session.startCatchUp(
          snapshotParts(
            plan.documents,
            SNAPSHOT_PART_SIZE,
            (part, index, parts) =>
              Buffer.from(
                `id: ${plan.seq}\nevent: snapshot\ndata: {"seq":${plan.seq},"part":${index},"parts":${parts},` +
                  `"documents":[${part.map((e) => e.json).join(',')}]}\n\n`,
              ),
          ),
        );
      }
      // The running clocks, the medal table and the schedule follow the catch-up (queued while it is written).
      for (const entry of currentsFor(this.state, filter)) session.sendEntry(entry);
    } else {
      session.sendControl(sseEvent('hello', { seq: this.state.resultsSeq, resumed: false }));
    }
    if (query.medals) {
      this.hub.watchMedals(session);
      session.onMedals(this.state.medals.table);
    }
    if (query.schedule) {
      this.hub.watchSchedule(session);
      session.sendControl(sseEvent('schedule-snapshot', { units: this.state.scheduleViews() }));
    }
  }

  /** Before the HTTP server closes (it waits for open responses): ends every stream; EventSource reconnects elsewhere. */
  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const res of this.sessions.values()) res.end();
  }
}

function hasFilter(query: StreamQuery): boolean {
  return query.discipline !== undefined || query.rsc !== undefined || query.documentType !== undefined;
}

function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
