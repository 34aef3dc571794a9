import { ContractViolationError, makeEnvelope, scheduleUnitUpdated, type ScheduleUnitState } from '@podium/contracts';
import { runWithCorrelationId } from '../logging';
import { OutboxWriter, type OutboxTransaction } from './outbox.writer';

const KEY = 'oms.schedules.v1.unit.{discipline}.updated';
const unit: ScheduleUnitState = scheduleUnitUpdated.example;

function recordingTx(): OutboxTransaction & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
      calls.push([sql, ...values]);
      return 1;
    },
  };
}

describe('OutboxWriter', () => {
  const writer = new OutboxWriter({ table: 'outbox_event', channel: 'podium_outbox' });

  it('inserts the validated envelope on the concrete subject and returns its id', async () => {
    const tx = recordingTx();
    const id = await runWithCorrelationId('corr-1', () =>
      writer.enqueue(tx, KEY, unit, { tokens: { discipline: 'ATH' }, headers: { 'x-extra': 'y' } }),
    );
    expect(tx.calls).toHaveLength(1);
    const [sql, eventId, subject, payload, headers, channel] = tx.calls[0] as string[];
    expect(sql).toContain('INSERT INTO "outbox_event"');
    expect(eventId).toBe(id);
    expect(subject).toBe('oms.schedules.v1.unit.ATH.updated');
    expect(JSON.parse(payload)).toMatchObject({
      id,
      type: scheduleUnitUpdated.type,
      source: 'podium/schedules',
      datacontenttype: 'application/json',
      data: unit,
    });
    expect(JSON.parse(headers)).toEqual({ 'x-correlation-id': 'corr-1', 'x-extra': 'y' });
    expect(channel).toBe('podium_outbox');
  });

  it('inserts several events with one statement, in order, each built as enqueue builds it', async () => {
    const tx = recordingTx();
    const given = '0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4';
    const ids = await runWithCorrelationId('corr-2', () =>
      writer.enqueueMany(tx, KEY, [
        { data: { ...unit, version: 1 }, tokens: { discipline: 'ATH' } },
        { data: { ...unit, version: 2 }, tokens: { discipline: 'SWM' }, id: given, headers: { 'x-extra': 'y' } },
        { data: { ...unit, version: 3 }, tokens: { discipline: 'ATH' } },
      ]),
    );
    expect(tx.calls).toHaveLength(1);
    const [sql, eventIds, subjects, payloads, headers, channel] = tx.calls[0] as [string, string[], string[], string[], string[], string];
    expect(sql).toContain('INSERT INTO "outbox_event" (event_id, subject, payload, headers)');
    expect(sql).toContain('pg_notify($5, id::text)');
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(given);
    expect(new Set(ids).size).toBe(3);
    expect(eventIds).toEqual(ids);
    expect(subjects).toEqual(['oms.schedules.v1.unit.ATH.updated', 'oms.schedules.v1.unit.SWM.updated', 'oms.schedules.v1.unit.ATH.updated']);
    const envelopes = payloads.map((p) => JSON.parse(p) as { id: string; type: string; data: { version: number } });
    expect(envelopes.map((e) => [e.id, e.type, e.data.version])).toEqual(ids.map((id, i) => [id, scheduleUnitUpdated.type, i + 1]));
    expect(headers.map((h) => JSON.parse(h))).toEqual([
      { 'x-correlation-id': 'corr-2' },
      { 'x-correlation-id': 'corr-2', 'x-extra': 'y' },
      { 'x-correlation-id': 'corr-2' },
    ]);
    expect(channel).toBe('podium_outbox');
  });

  it('writes nothing for an empty batch, and nothing at all when one event breaks the contract', async () => {
    const tx = recordingTx();
    await expect(writer.enqueueMany(tx, KEY, [])).resolves.toEqual([]);
    await expect(
      writer.enqueueMany(tx, KEY, [
        { data: unit, tokens: { discipline: 'ATH' } },
        { data: { ...unit, rsc: 'nope' }, tokens: { discipline: 'ATH' } },
      ]),
    ).rejects.toBeInstanceOf(ContractViolationError);
    expect(tx.calls).toHaveLength(0);
  });

  it('keeps a given id (retries of the same event)', async () => {
    const tx = recordingTx();
    const id = '0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4';
    await expect(writer.enqueue(tx, KEY, unit, { tokens: { discipline: 'ATH' }, id })).resolves.toBe(id);
  });

  it('rejects an invalid payload before touching the database', async () => {
    const tx = recordingTx();
    await expect(
      writer.enqueue(tx, KEY, { ...unit, rsc: 'nope' }, { tokens: { discipline: 'ATH' } }),
    ).rejects.toBeInstanceOf(ContractViolationError);
    expect(tx.calls).toHaveLength(0);
  });

  it('builds the same envelope for validated data as makeEnvelope does, and checks its id and time', () => {
    const id = '0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4';
    const time = new Date('2026-12-03T10:00:00.000Z');
    const event = writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' }, validated: true, id, time });
    const { type, source, dataschema } = scheduleUnitUpdated;
    expect(event.payload).toBe(JSON.stringify(makeEnvelope({ type, source, dataschema, data: unit, id, time })));
    expect(() =>
      writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' }, validated: true, time: '3 December 2026' }),
    ).toThrow(/Invalid envelope for .*: time:/);
  });

  it('takes data the caller has validated without parsing it again, but still checks the envelope', async () => {
    const tx = recordingTx();
    // Not a valid unit: only a caller that validated its input may say so, and then it is not parsed again.
    await writer.enqueue(tx, KEY, { ...unit, rsc: 'nope' }, { tokens: { discipline: 'ATH' }, validated: true });
    expect(JSON.parse((tx.calls[0] as string[])[3] as string)).toMatchObject({ data: { rsc: 'nope' } });
    expect(() => writer.prepare(KEY, unit, { tokens: { discipline: 'ATH' }, validated: true, id: 'not-a-uuid' })).toThrow(
      ContractViolationError,
    );
  });

  it('serialises the envelope once, id first, and announces the size the relay will publish (those bytes)', () => {
    const event = writer.prepare(KEY, { ...unit, name: 'Women’s 100 m' }, { tokens: { discipline: 'ATH' } });
    expect(JSON.parse(event.payload)).toMatchObject({ id: event.id, data: { name: 'Women’s 100 m' } });
    // The relay checks the envelope id on the text's start (see OutboxRelay.publish).
    expect(event.payload.startsWith(`{"id":"${event.id}",`)).toBe(true);
    expect(event.publishedBytes).toBe(Buffer.byteLength(event.payload));
    expect(event.publishedBytes).toBeGreaterThan(event.payload.length);
  });

  it('rejects a token that is not a subject token', async () => {
    const tx = recordingTx();
    await expect(writer.enqueue(tx, KEY, unit, { tokens: { discipline: 'A.B' } })).rejects.toThrow(
      /must match/,
    );
    expect(tx.calls).toHaveLength(0);
  });
});
