import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ContractViolationError } from '@podium/contracts';
import { ErrorCode, type Msg, NatsError, type Subscription } from 'nats';
import { z } from 'zod';
import { getCorrelationId, isAcceptableCorrelationId, runWithCorrelationId } from '../logging';
import { CORRELATION_ID_HEADER, REPLY_ERROR_HEADER } from './nats.constants';
import { NatsConnectionService } from './nats.connection';
import { fromMsgHeaders, toMsgHeaders } from './nats.headers';
import { errorMessage, withTimeout } from './timing';

/** Error codes of a request/reply exchange. */
export type NatsReplyErrorCode =
  'bad-request' | 'not-found' | 'conflict' | 'unavailable' | 'internal' | (string & {});

/** Throw from a reply handler to answer with a stable error code; thrown by `request` when the responder did. */
export class NatsReplyError extends Error {
  override readonly name = 'NatsReplyError';
  constructor(
    readonly code: NatsReplyErrorCode,
    message: string,
    readonly errors: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Failures on the requesting side: no responder, timeout, or a response that does not match its schema. */
export class NatsRequestError extends Error {
  override readonly name = 'NatsRequestError';
  constructor(
    readonly code: 'no-responders' | 'timeout' | 'invalid-response',
    readonly subject: string,
    message: string,
  ) {
    super(message);
  }
}

const replyErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).default([]),
});

export interface RequestOptions<Res> {
  /** Validates (and types) the response. */
  response: z.ZodType<Res>;
  /** Default: the module's requestTimeoutMs. */
  timeoutMs?: number;
  headers?: Readonly<Record<string, string>>;
}

export interface HandleOptions<Req> {
  /** Validates (and types) each request; an invalid one is answered with a 'bad-request' error. */
  request: z.ZodType<Req>;
  /**
   * Called with the request's headers and size before its body is decoded: throwing a NatsReplyError answers it with
   * that error, the body unread (a credential in a header is checked before any parsing work).
   */
  authorize?: (context: ReplyContext, bytes: number) => void;
  /** Queue group, so that the replicas of a service share the requests. Default: the service name. */
  queue?: string;
}

export interface ReplyContext {
  subject: string;
  headers: Readonly<Record<string, string>>;
  correlationId: string | undefined;
}

export type ReplyHandler<Req, Res> = (request: Req, context: ReplyContext) => Promise<Res> | Res;

/**
 * Core NATS request/reply with typed JSON: `request` validates the response, `handle` validates the request and
 * answers errors as `x-error: <code>` + `{ code, message, errors }`. Subjects are logical (NATS_PREFIX is applied).
 * Handlers are drained before the connection closes.
 */
@Injectable()
export class NatsRpc implements BeforeApplicationShutdown {
  private readonly logger = new Logger('NatsRpc');
  private readonly subscriptions = new Set<Subscription>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly connection: NatsConnectionService) {}

  async request<Req, Res>(subject: string, body: Req, options: RequestOptions<Res>): Promise<Res> {
    const timeout = options.timeoutMs ?? this.connection.options.requestTimeoutMs;
    let reply: Msg;
    try {
      reply = await this.connection.connection.request(
        this.connection.naming.subject(subject),
        encode(body),
        {
          timeout,
          headers: toMsgHeaders({ [CORRELATION_ID_HEADER]: getCorrelationId(), ...options.headers }),
        },
      );
    } catch (err) {
      if (err instanceof NatsError && err.code === ErrorCode.NoResponders) {
        throw new NatsRequestError('no-responders', subject, `No service answers requests on ${subject}`);
      }
      if (err instanceof NatsError && err.code === ErrorCode.Timeout) {
        throw new NatsRequestError('timeout', subject, `No answer on ${subject} within ${timeout} ms`);
      }
      throw err;
    }
    const json = decode(reply.data);
    const errorCode = reply.headers?.get(REPLY_ERROR_HEADER);
    if (errorCode) {
      const parsed = replyErrorBodySchema.safeParse(json);
      if (!parsed.success) throw new NatsReplyError(errorCode, `Request on ${subject} failed (${errorCode})`);
      throw new NatsReplyError(parsed.data.code, parsed.data.message, parsed.data.errors);
    }
    const result = options.response.safeParse(json);
    if (!result.success) {
      throw new NatsRequestError(
        'invalid-response',
        subject,
        `Invalid response on ${subject}: ${z.prettifyError(result.error)}`,
      );
    }
    return result.data;
  }

  /** Answers requests on a logical subject until shutdown (or until the returned subscription is unsubscribed). */
  handle<Req, Res>(
    subject: string,
    options: HandleOptions<Req>,
    handler: ReplyHandler<Req, Res>,
  ): Subscription {
    const sub = this.connection.connection.subscribe(this.connection.naming.subject(subject), {
      queue: options.queue ?? this.connection.options.name,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`Subscription on ${subject} failed: ${errorMessage(err)}`);
          return;
        }
        const work = this.answer(subject, msg, options, handler).finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      },
    });
    this.subscriptions.add(sub);
    void sub.closed.then(() => this.subscriptions.delete(sub));
    return sub;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.drain().catch(() => undefined)));
    await withTimeout(
      Promise.all(this.inFlight),
      this.connection.options.drainTimeoutMs,
      'request handlers did not finish',
    ).catch((err: unknown) => this.logger.warn(errorMessage(err)));
  }

  private async answer<Req, Res>(
    subject: string,
    msg: Msg,
    options: HandleOptions<Req>,
    handler: ReplyHandler<Req, Res>,
  ): Promise<void> {
    const headers = fromMsgHeaders(msg.headers);
    const fromHeader = headers[CORRELATION_ID_HEADER];
    const correlationId = isAcceptableCorrelationId(fromHeader) ? fromHeader : undefined;
    const context: ReplyContext = { subject, headers, correlationId };
    const run = async (): Promise<void> => {
      try {
        options.authorize?.(context, msg.data.length);
        const parsed = options.request.safeParse(decode(msg.data));
        if (!parsed.success) {
          throw new NatsReplyError(
            'bad-request',
            `Invalid request on ${subject}`,
            new ContractViolationError(subject, parsed.error.issues, 'payload').fieldErrors,
          );
        }
        const result = await handler(parsed.data, context);
        msg.respond(encode(result ?? null), {
          headers: toMsgHeaders({ [CORRELATION_ID_HEADER]: correlationId }),
        });
      } catch (err) {
        const replyError =
          err instanceof NatsReplyError
            ? err
            : new NatsReplyError('internal', 'The service failed to answer the request');
        if (!(err instanceof NatsReplyError))
          this.logger.error(`Request handler on ${subject} failed: ${errorMessage(err)}`);
        msg.respond(
          encode({ code: replyError.code, message: replyError.message, errors: replyError.errors }),
          {
            headers: toMsgHeaders({
              [REPLY_ERROR_HEADER]: replyError.code,
              [CORRELATION_ID_HEADER]: correlationId,
            }),
          },
        );
      }
    };
    if (correlationId) await runWithCorrelationId(correlationId, run);
    else await run();
  }
}

function encode(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function decode(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}
