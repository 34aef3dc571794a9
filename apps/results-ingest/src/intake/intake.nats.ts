import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { INGEST_API_KEY_HEADER, INGEST_RPC_SUBJECT, type IngestAck, type IngestRequest, ingestRequestSchema } from '@podium/contracts';
import { NatsReplyError, NatsRpc, type ReplyContext } from '@podium/platform';

import { ApiKeyRegistry } from './api-keys';
import { IngestMetrics } from './ingest-metrics';
import { IngestError, parseJsonInput, parseXmlInput } from './intake.logic';
import { IntakeService } from './intake.service';

/** NATS reply error codes of the intake (the `x-error` header and `code` of the error body). */
const REPLY_CODES: Record<IngestError['code'], string> = {
  'invalid-api-key': 'unauthorized',
  'source-not-allowed': 'forbidden',
  'document-source-mismatch': 'forbidden',
  'malformed-message': 'bad-request',
  'invalid-odf-message': 'invalid-message',
  'payload-too-large': 'too-large',
  'unsupported-media-type': 'bad-request',
  'publish-pending': 'unavailable',
};

/**
 * Largest request whose API key may come in its body (`apiKey`) rather than the `x-api-key` header: a body is parsed
 * to find that key, so an unauthenticated one costs at most this much parsing.
 */
export const BODY_API_KEY_MAX_BYTES = 64 * 1024;

/**
 * The same intake over core NATS request/reply for on-venue integrations: request on `ods.ingest.v1.messages`
 * (JSON `{ xml }` or `{ message }`, the API key in the `x-api-key` header, or in `apiKey` for a request of at most
 * BODY_API_KEY_MAX_BYTES), reply = the IngestAck, or an error reply (`x-error: unauthorized | forbidden | bad-request |
 * invalid-message | too-large | unavailable`). The header's key is checked before the body is read. Replicas share the
 * requests (queue group).
 */
@Injectable()
export class NatsIntake implements OnApplicationBootstrap {
  private readonly logger = new Logger('NatsIntake');

  constructor(
    private readonly rpc: NatsRpc,
    private readonly intake: IntakeService,
    private readonly keys: ApiKeyRegistry,
    private readonly metrics: IngestMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.handle(
      INGEST_RPC_SUBJECT,
      { request: ingestRequestSchema, authorize: (context, bytes) => this.authorize(context, bytes) },
      (request, context) => this.answer(request, context),
    );
    this.logger.log(`Answering ODF messages on ${INGEST_RPC_SUBJECT}`);
  }

  /** Before the body is read: a key in the header must be valid; without one, only a small body is read for `apiKey`. */
  authorize(context: ReplyContext, bytes: number): void {
    const header = context.headers[INGEST_API_KEY_HEADER];
    let refusal: string | undefined;
    if (header !== undefined) {
      if (!this.keys.check(header).ok) refusal = 'The API key is not valid.';
    } else if (bytes > BODY_API_KEY_MAX_BYTES) {
      refusal = `An API key is required in the ${INGEST_API_KEY_HEADER} header for a request of ${bytes} bytes (apiKey in the body is read only up to ${BODY_API_KEY_MAX_BYTES} bytes).`;
    }
    if (refusal !== undefined) {
      this.metrics.reject('invalid-api-key', 'nats');
      throw new NatsReplyError(REPLY_CODES['invalid-api-key'], refusal);
    }
  }

  async answer(request: IngestRequest, context: ReplyContext): Promise<IngestAck> {
    try {
      const check = this.keys.check(context.headers[INGEST_API_KEY_HEADER] ?? request.apiKey);
      if (!check.ok) {
        throw new IngestError('invalid-api-key', check.reason === 'missing' ? 'An API key is required (x-api-key header or apiKey).' : 'The API key is not valid.');
      }
      const input =
        request.xml !== undefined
          ? parseXmlInput(request.xml, '')
          : parseJsonInput(request.message, JSON.stringify(request.message), 'message.');
      return await this.intake.ingest(input, check.sources, 'nats');
    } catch (error) {
      if (error instanceof IngestError) {
        this.metrics.reject(error.code, 'nats');
        throw new NatsReplyError(REPLY_CODES[error.code], error.message, error.errors);
      }
      throw error;
    }
  }
}
