import { resolveOutboxOptions } from './outbox.options';
import { OutboxSql, quoteTable } from './outbox.sql';

describe('outbox SQL', () => {
  it('quotes plain and schema-qualified tables', () => {
    expect(quoteTable('outbox_event')).toBe('"outbox_event"');
    expect(quoteTable('app.outbox_event')).toBe('"app"."outbox_event"');
  });

  it('inserts and notifies in one statement (NOTIFY is delivered on commit)', () => {
    const sql = new OutboxSql('outbox_event').insert();
    expect(sql).toContain('INSERT INTO "outbox_event" (event_id, subject, payload, headers)');
    expect(sql).toContain('SELECT pg_notify($5, id::text) FROM inserted');
  });

  it('inserts several events in one statement in the arrays\' order, notifying each row in id order', () => {
    const sql = new OutboxSql('outbox_event').insertMany();
    expect(sql).toContain('INSERT INTO "outbox_event" (event_id, subject, payload, headers)');
    expect(sql).toContain('FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(event_id, subject, payload, headers, n) ORDER BY e.n');
    expect(sql).toMatch(/SELECT pg_notify\(\$5, id::text\) FROM inserted ORDER BY id$/);
  });

  it('marks a window of published rows in one statement, each with its own sequence, never twice', () => {
    const sql = new OutboxSql('o').markPublished();
    expect(sql).toContain('FROM unnest($1::bigint[], $2::bigint[]) AS p(id, seq)');
    expect(sql).toMatch(/stream_seq = p\.seq/);
    expect(sql).toMatch(/WHERE o\.id = p\.id AND o\.published_at IS NULL$/);
  });

  it('reads pending rows in id order, the payload as the stored text (not parsed by PostgreSQL)', () => {
    const sql = new OutboxSql('o').selectPending();
    expect(sql).toMatch(/WHERE o.published_at IS NULL ORDER BY o.id LIMIT \$1$/);
    expect(sql).toContain('o.payload::text AS payload, o.headers');
    expect(sql).not.toContain('->');
  });

  it('marks published rows in the statement that reads the next pending ones, leaving the marked rows out', () => {
    const sql = new OutboxSql('o').markPublishedAndSelectPending();
    expect(sql).toMatch(/^WITH marked AS \(UPDATE "o" AS o SET published_at = now\(\), stream_seq = p\.seq/);
    expect(sql).toContain('FROM unnest($2::bigint[], $3::bigint[]) AS p(id, seq) WHERE o.id = p.id AND o.published_at IS NULL)');
    expect(sql).toMatch(/WHERE o\.published_at IS NULL AND o\.id <> ALL\(\$2::bigint\[\]\) ORDER BY o\.id LIMIT \$1$/);
  });

  it('inserts from a gate of the caller statement', () => {
    expect(new OutboxSql('o').insertFrom('doc', ['$3', '$4', '$5', '$6'])).toBe(
      'INSERT INTO "o" (event_id, subject, payload, headers) SELECT $3::uuid, $4::text, $5::json, $6::jsonb FROM doc RETURNING id',
    );
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
