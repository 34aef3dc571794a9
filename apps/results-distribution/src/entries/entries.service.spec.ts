import { entry, EVENT } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { EntriesService } from './entries.service';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  return { state, service: new EntriesService(state) };
}

describe('EntriesService', () => {
  it("serves an event's list with the same bytes and ETag until the list changes, built once", () => {
    const { state, service } = setup();
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    const list = jest.spyOn(state.entries, 'forEvent');
    const first = service.body(EVENT);
    expect(JSON.parse(first.body.toString('utf8'))).toMatchObject({ event: EVENT, entries: [{ id: ID(1) }] });
    expect(service.body(EVENT)).toBe(first);
    // Another event's entry leaves this list as it is.
    state.applyEntry(entry(ID(2), 'GBR', 'HUGHES', { event: 'ATHM200M--------------------------' }), 2);
    expect(service.body(EVENT)).toBe(first);
    expect(list).toHaveBeenCalledTimes(1);

    state.applyEntry(entry(ID(3), 'JAM', 'THOMPSON'), 3);
    const second = service.body(EVENT);
    expect(second.etag).not.toBe(first.etag);
    expect((JSON.parse(second.body.toString('utf8')) as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual([
      ID(3),
      ID(1),
    ]);
  });

  it('serves an empty list for an event without entries, and the list once it has some', () => {
    const { state, service } = setup();
    const empty = service.body(EVENT);
    expect(JSON.parse(empty.body.toString('utf8'))).toEqual({ event: EVENT, entries: [] });
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    expect(service.body(EVENT).etag).not.toBe(empty.etag);
  });
});
