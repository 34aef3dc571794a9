import { Inject, Injectable } from '@nestjs/common';
import { parseEnvelope } from '@podium/contracts';
import { CONFIG, NatsConnectionService } from '@podium/platform';
import { DeliverPolicy } from 'nats';
import type { DistributionConfig } from '../app/config';
import { type DocumentEntry, makeEntry } from '../state/document';
import { feedSubjects, type FeedSubjects } from '../follower/feed-subjects';

/**
 * Reads a range of the RESULTS stream straight from JetStream (an ephemeral ordered consumer), for partners paging
 * through GET /v1/feed from further back than the in-memory replay buffer reaches. Invalid messages are skipped
 * (the follower dead-letters them).
 */
@Injectable()
export class ResultsStreamReader {
  private readonly subjects: FeedSubjects;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly connection: NatsConnectionService,
    @Inject(CONFIG) config: DistributionConfig,
  ) {
    this.subjects = feedSubjects(config.FEED);
  }

  /** Up to `limit` messages with sequence > `after`, and the last sequence read (after, when none). */
  async read(after: number, limit: number): Promise<{ entries: DocumentEntry[]; last: number; streamLast: number }> {
    const naming = this.connection.naming;
    const stream = naming.name(this.subjects.documents.stream.name);
    const info = await this.connection.manager.streams.info(stream);
    const streamLast = info.state.last_seq;
    const wanted = Math.min(limit, streamLast - after);
    const entries: DocumentEntry[] = [];
    let last = after;
    if (wanted <= 0) return { entries, last, streamLast };
    const consumer = await this.connection.jetstream.consumers.get(stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(after + 1, info.state.first_seq),
    });
    const messages = await consumer.fetch({ max_messages: wanted, expires: 2_000 });
    for await (const msg of messages) {
      last = msg.seq;
      try {
        const data = parseEnvelope(this.subjects.documents.key, JSON.parse(this.decoder.decode(msg.data))).data;
        entries.push(makeEntry(data, 'RESULTS', msg.seq, naming.logicalSubject(msg.subject)));
      } catch {
        // invalid: dead-lettered by the follower, not part of the feed
      }
      if (msg.seq >= streamLast || entries.length >= limit) break;
    }
    await consumer.delete().catch(() => undefined);
    return { entries, last, streamLast };
  }
}
