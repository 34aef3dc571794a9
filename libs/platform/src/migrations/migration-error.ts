export type MigrationErrorCode =
  | 'CONNECTION_FAILED'
  | 'LOCK_TIMEOUT'
  | 'PREVIOUS_MIGRATION_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'MIGRATION_FAILED';

/** Every failure of the migration runner: a stable `code`, the migration concerned and a message that says what to do. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migrations: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
