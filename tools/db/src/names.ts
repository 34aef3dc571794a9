/**
 * Prisma's default constraint and index names (psl `ConstraintNames`), PostgreSQL flavour: identifiers are
 * at most 63 bytes, so the `<table>_<columns>` part is cut to leave room for the suffix.
 */
const MAX_IDENTIFIER_LENGTH = 63;

function truncated(base: string, suffix: string): string {
  const room = MAX_IDENTIFIER_LENGTH - suffix.length;
  let cut = base;
  if (Buffer.byteLength(cut) >= room) {
    cut = Buffer.from(cut).subarray(0, room).toString('utf8').replace(/\uFFFD+$/, '');
  }
  return `${cut}${suffix}`;
}

export function primaryKeyName(table: string): string {
  return truncated(table, '_pkey');
}

export function uniqueIndexName(table: string, columns: readonly string[]): string {
  return truncated(`${table}_${columns.join('_')}`, '_key');
}

export function indexName(table: string, columns: readonly string[]): string {
  return truncated(`${table}_${columns.join('_')}`, '_idx');
}

export function foreignKeyName(table: string, columns: readonly string[]): string {
  return truncated(`${table}_${columns.join('_')}`, '_fkey');
}
