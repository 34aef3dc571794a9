import { resolveOutboxOptions } from './outbox.options';
import { jsonbTextBytes, OutboxSql, quoteTable } from './outbox.sql';

describe('outbox SQL', () => {
  it('quotes plain and schema-qualified tables', () => {
    expect(quoteTable('outbox_event')).toBe('"outbox_event"');
    expect(quoteTable('app.outbox_event')).toBe('"app"."outbox_event"');
  });

  it('inserts and notifies in one statement (NOTIFY is delivered on commit)', () => {
    const sql = new OutboxSql('outbox_event').insert();
    expect(sql).toContain('INSERT INTO "outbox_event" (event_id, subject, payload, headers)');
    expect(sql).toContain('pg_notify($5');
  });

  it('marks a window of published rows in one statement, each with its own sequence, never twice', () => {
    const sql = new OutboxSql('o').markPublished();
    expect(sql).toContain('FROM unnest($1::bigint[], $2::bigint[]) AS p(id, seq)');
    expect(sql).toMatch(/stream_seq = p\.seq/);
    expect(sql).toMatch(/WHERE o\.id = p\.id AND o\.published_at IS NULL$/);
  });

  it('reads pending rows in id order, the payload as text with its envelope id beside it', () => {
    const sql = new OutboxSql('o').selectPending();
    expect(sql).toMatch(/WHERE o.published_at IS NULL ORDER BY o.id LIMIT \$1$/);
    expect(sql).toContain("o.payload::text AS payload, o.payload->>'id' AS envelope_id");
  });

  it('inserts from a gate of the caller statement', () => {
    expect(new OutboxSql('o').insertFrom('doc', ['$3', '$4', '$5', '$6'])).toBe(
      'INSERT INTO "o" (event_id, subject, payload, headers) SELECT $3::uuid, $4::text, $5::jsonb, $6::jsonb FROM doc RETURNING id',
    );
  });

  it('counts the bytes of the JSONB text form: a space after each separator outside strings', () => {
    // As PostgreSQL prints them: SELECT '<json>'::jsonb::text
    const cases: [unknown, string][] = [
      [{ a: 1, b: [1, 2], c: {} }, '{"a": 1, "b": [1, 2], "c": {}}'],
      [{ s: 'a:b, "c"\\', e: [] }, '{"e": [], "s": "a:b, \\"c\\"\\\\"}'],
      [{ u: 'é€', n: null }, '{"n": null, "u": "é€"}'],
    ];
    for (const [value, text] of cases) expect(jsonbTextBytes(JSON.stringify(value))).toBe(Buffer.byteLength(text));
  });
});

describe('resolveOutboxOptions', () => {
  it('applies defaults', () => {
    expect(resolveOutboxOptions({ databaseUrl: 'postgres://db/app' })).toMatchObject({
      table: 'outbox_event',
      channel: 'podium_outbox',
      relay: true,
      pollIntervalMs: 1_000,
      batchSize: 100,
    });
  });

  it('rejects unsafe identifiers', () => {
    expect(() =>
      resolveOutboxOptions({ databaseUrl: 'postgres://db/app', table: 'x; drop table y' }),
    ).toThrow(/table/);
    expect(() => resolveOutboxOptions({ databaseUrl: 'postgres://db/app', channel: 'a-b' })).toThrow(
      /channel/,
    );
    expect(() => resolveOutboxOptions({ databaseUrl: '' })).toThrow(/databaseUrl/);
  });
});
