import { z } from 'zod';
import { anyEnvelopeSchema, makeEnvelope } from './envelope';
import { ContractViolationError } from './errors';

const base = {
  type: 'podium.test.thing.happened.v1',
  source: 'podium/test',
  dataschema: 'https://podium.dev/schemas/podium.test.thing.happened.v1.json',
};

describe('makeEnvelope', () => {
  it('fills a fresh uuid, the current time and the content type', () => {
    const before = Date.now();
    const a = makeEnvelope({ ...base, data: { n: 1 } });
    const b = makeEnvelope({ ...base, data: { n: 1 } });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(a.time)).toBeGreaterThanOrEqual(before);
    expect(a).toMatchObject({ ...base, datacontenttype: 'application/json', data: { n: 1 } });
    expect(anyEnvelopeSchema.safeParse(a).success).toBe(true);
  });

  it('keeps a given id and time', () => {
    const envelope = makeEnvelope({
      ...base,
      data: null,
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      time: new Date('2024-07-27T17:30:00Z'),
    });
    expect(envelope.id).toBe('3b241101-e2bb-4255-8caf-4136c566a962');
    expect(envelope.time).toBe('2024-07-27T17:30:00.000Z');
  });

  it('validates data with the given schema', () => {
    const schema = z.object({ n: z.number().int() });
    expect(makeEnvelope({ ...base, data: { n: 2 } }, schema).data).toEqual({ n: 2 });
    expect(() => makeEnvelope({ ...base, data: { n: 1.5 } }, schema)).toThrow(
      /^Invalid envelope for podium\.test\.thing\.happened\.v1: data\.n: /,
    );
  });

  it.each([
    [{ type: 'Podium.Test' }, 'type'],
    [{ source: 'schedules' }, 'source'],
    [{ dataschema: 'not a uri' }, 'dataschema'],
    [{ id: 'not-a-uuid' }, 'id'],
    [{ time: '2024-07-27 17:30' }, 'time'],
    [{ time: '2024-07-27T19:30:00+02:00' }, 'time'],
  ])('rejects %j naming the field', (override, field) => {
    let error: unknown;
    try {
      makeEnvelope({ ...base, data: {}, ...override });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).fieldErrors.map((f) => f.field)).toEqual([field]);
  });
});
