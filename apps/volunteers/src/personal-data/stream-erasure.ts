import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { volunteersStream } from '@podium/contracts';
import { NatsConnectionService, OutboxRelay } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';

/** How often the hand-over messages of erased applicants still on the stream are deleted again (NATS was down, a race). */
export const STREAM_ERASURE_INTERVAL_MS = 30_000;
/** Messages deleted per round at most (the next round takes the rest). */
const ROUND_LIMIT = 500;

/** What a round did. */
export interface StreamErasureRound {
  /** Messages deleted from the stream, or found gone already. */
  deleted: number;
  /** Messages whose deletion failed (kept for the next round, with their error). */
  failed: number;
}

/**
 * Deletes from the VOLUNTEERS stream the hand-over messages (`oms.volunteers.v1.volunteer.{edition}.confirmed`: names,
 * date of birth, nationality) of erased applicants (docs/volunteers-core.md#the-messages-on-the-stream).
 *
 * The durable record is `handover_message`: a row per hand-over message, written with its outbox row; its stream
 * sequence is set when the relay of this replica publishes it (onPublished) and otherwise copied from the outbox row's
 * `stream_seq` before the outbox prunes it; the erasure sets `erase_requested_at` in its transaction. A round (right
 * after each erasure commits, then every STREAM_ERASURE_INTERVAL_MS on every replica) deletes every requested message
 * whose sequence is known (JetStream's STREAM.MSG.DELETE, which overwrites the message's bytes) and marks it deleted; a
 * message already gone counts as deleted (idempotent: two replicas may delete the same one); a failure (NATS down) is
 * recorded on the row and tried again next round.
 */
@Injectable()
export class StreamErasure implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StreamErasure.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<StreamErasureRound> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly nats: NatsConnectionService,
    private readonly relay: OutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    // A message the relay publishes is found here even when its outbox row is gone meanwhile: an erasure deleted it
    // while the relay was publishing it (milliseconds after the confirmation); the round then deletes it from the stream.
    this.unsubscribe = this.relay.onPublished((eventId, seq) => {
      this.prisma.$executeRaw`UPDATE handover_message SET stream_seq = ${seq} WHERE event_id = ${eventId}::uuid AND stream_seq IS NULL`.catch((error: unknown) =>
        this.logger.warn(`recording the stream sequence of event ${eventId} failed (copied from the outbox next round): ${(error as Error).message}`),
      );
    });
    this.timer = setInterval(() => void this.round().catch(() => undefined), STREAM_ERASURE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running?.catch(() => undefined);
  }

  /** One round (one at a time in this process: a call during a round waits for it and answers its result). */
  round(): Promise<StreamErasureRound> {
    this.running ??= this.deleteRequested()
      .catch((error: unknown) => {
        this.logger.warn(`stream erasure round failed, tried again in ${STREAM_ERASURE_INTERVAL_MS / 1000} s: ${(error as Error).message}`);
        throw error;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteRequested(): Promise<StreamErasureRound> {
    // The sequences this replica's relay did not report (another replica relayed them, a restart), while the outbox has them.
    await this.prisma.$executeRaw`
      UPDATE handover_message h SET stream_seq = o.stream_seq
      FROM outbox_event o WHERE o.event_id = h.event_id AND h.stream_seq IS NULL AND o.stream_seq IS NOT NULL`;
    const due = await this.prisma.handoverMessage.findMany({
      where: { eraseRequestedAt: { not: null }, deletedAt: null, streamSeq: { not: null } },
      select: { eventId: true, streamSeq: true },
      orderBy: { streamSeq: 'asc' },
      take: ROUND_LIMIT,
    });
    const round: StreamErasureRound = { deleted: 0, failed: 0 };
    if (due.length === 0) return round;
    if (!this.nats.isConnected) {
      await this.prisma.handoverMessage.updateMany({
        where: { eventId: { in: due.map((d) => d.eventId) } },
        data: { attempts: { increment: 1 }, lastError: 'NATS is not connected' },
      });
      return { deleted: 0, failed: due.length };
    }
    const stream = this.nats.naming.name(volunteersStream.name);
    for (const message of due) {
      const seq = Number(message.streamSeq);
      try {
        await this.nats.manager.streams.deleteMessage(stream, seq, true);
      } catch (error) {
        if (!isAlreadyGone(error)) {
          round.failed++;
          await this.prisma.handoverMessage.update({
            where: { eventId: message.eventId },
            data: { attempts: { increment: 1 }, lastError: (error as Error).message.slice(0, 500) },
          });
          continue;
        }
      }
      await this.prisma.handoverMessage.update({ where: { eventId: message.eventId }, data: { deletedAt: new Date(), lastError: null } });
      round.deleted++;
    }
    this.logger.log(`hand-over messages of erased applicants deleted from ${stream}: ${round.deleted}${round.failed ? `, failed: ${round.failed}` : ''}`);
    return round;
  }
}

/**
 * JetStream's answers for a sequence not in the stream (10043 "sequence <n> not found", or 10057 with "no message
 * found" or "stream store EOF", depending on where the sequence falls): the deletion is done. Another failure of the
 * deletion, or a missing stream (10059), is not: tried again.
 */
export function isAlreadyGone(error: unknown): boolean {
  const api = (error as { api_error?: { err_code?: number; description?: string } } | undefined)?.api_error;
  return api?.err_code === 10043 || (api?.err_code === 10057 && /no message found|store EOF/i.test(api.description ?? ''));
}
