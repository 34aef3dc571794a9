export { OutboxModule } from './outbox.module';
export { type EnqueueManyItem, type OutboxStatementPart, OutboxWriter, type OutboxTransaction, type PreparedOutboxEvent } from './outbox.writer';
export { OutboxRelay, type OutboxRelayStats } from './outbox.relay';
