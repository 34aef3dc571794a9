import { createHash } from 'node:crypto';
import { checksumMatches, migrationChecksum } from './checksum';

describe('migrationChecksum', () => {
  it('is the lowercase hex SHA-256 of the script, as Prisma records it', () => {
    const script = 'CREATE TABLE "a" ("id" INTEGER NOT NULL);\n';
    expect(migrationChecksum(script)).toBe(createHash('sha256').update(script, 'utf8').digest('hex'));
    expect(migrationChecksum(script)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes UTF-8 bytes', () => {
    expect(migrationChecksum("-- café\n")).toBe(migrationChecksum(Buffer.from("-- café\n", 'utf8')));
  });
});

describe('checksumMatches', () => {
  const lf = 'CREATE TABLE "a" ();\nCREATE TABLE "b" ();\n';

  it('matches the same script and rejects an edited one', () => {
    expect(checksumMatches(lf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(lf.replace('"b"', '"c"'), migrationChecksum(lf))).toBe(false);
  });

  it('accepts a script whose only change is LF <-> CRLF line endings', () => {
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(checksumMatches(crlf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(lf, migrationChecksum(crlf))).toBe(true);
  });

  it('compares case-insensitively', () => {
    expect(checksumMatches(lf, migrationChecksum(lf).toUpperCase())).toBe(true);
  });
});
