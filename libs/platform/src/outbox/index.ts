export { OutboxModule, type OutboxModuleAsyncOptions } from './outbox.module';
export { OutboxWriter, type EnqueueArgs, type EnqueueOptions, type OutboxTransaction } from './outbox.writer';
export { OutboxRelay, type OutboxQueryable, type OutboxRelayStats } from './outbox.relay';
export {
  OUTBOX_OPTIONS,
  resolveOutboxOptions,
  type OutboxModuleOptions,
  type ResolvedOutboxOptions,
} from './outbox.options';
export { OutboxSql } from './outbox.sql';
