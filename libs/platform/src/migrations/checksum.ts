import { createHash } from 'node:crypto';

/** The checksum Prisma stores in `_prisma_migrations.checksum`: lowercase hex SHA-256 of migration.sql. */
export function migrationChecksum(script: string | Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Whether a migration.sql matches a recorded checksum. Like Prisma, a file whose only change is its line
 * endings (a Windows checkout turning LF into CRLF, or the reverse) still matches.
 */
export function checksumMatches(script: string, checksum: string): boolean {
  const expected = checksum.toLowerCase();
  if (migrationChecksum(script) === expected) return true;
  const lf = script.replace(/\r\n/g, '\n');
  return migrationChecksum(lf) === expected || migrationChecksum(lf.replace(/\n/g, '\r\n')) === expected;
}
