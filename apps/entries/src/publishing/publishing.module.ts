import { Module } from '@nestjs/common';
import { EntriesPublisher } from './entries-publisher';

/** What entries publishes (oms.entries.v1.*), through the outbox. */
@Module({ providers: [EntriesPublisher], exports: [EntriesPublisher] })
export class PublishingModule {}
