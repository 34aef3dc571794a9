export { OutboxModule } from './outbox.module';
export { OutboxWriter, type OutboxTransaction } from './outbox.writer';
export { OutboxRelay, type OutboxRelayStats } from './outbox.relay';
