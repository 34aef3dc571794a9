import { captureHotReads, textOf } from '../test-support/hot-reads';
import { entry, EVENT } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { SCHEDULE_CACHE } from '../common/http-cache';
import { EntriesService } from './entries.service';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ROUTE = '/v1/events/:eventRsc/entries';

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  const hot = captureHotReads();
  const service = new EntriesService(state, hot.hotReads);
  service.onModuleInit();
  return { state, service, hot };
}

describe('EntriesService', () => {
  it("serves an event's list with the same bytes and ETag until the list changes, built once", () => {
    const { state, service } = setup();
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    const list = jest.spyOn(state.entries, 'forEvent');
    const first = service.answer(EVENT);
    expect(JSON.parse(textOf(first))).toMatchObject({ event: EVENT, entries: [{ id: ID(1) }] });
    expect(first.cacheControl).toBe(SCHEDULE_CACHE);
    expect(service.answer(EVENT)).toBe(first);
    // Another event's entry leaves this list as it is.
    state.applyEntry(entry(ID(2), 'GBR', 'HUGHES', { event: 'ATHM200M--------------------------' }), 2);
    expect(service.answer(EVENT)).toBe(first);
    expect(list).toHaveBeenCalledTimes(1);

    state.applyEntry(entry(ID(3), 'JAM', 'THOMPSON'), 3);
    const second = service.answer(EVENT);
    expect(second.etag).not.toBe(first.etag);
    expect((JSON.parse(textOf(second)) as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual([ID(3), ID(1)]);
  });

  it("serves each change's kind and reason code only, never a note or who made it (also for older messages)", () => {
    const { state, service } = setup();
    const change = { id: ID(9), kind: 'LATE_REPLACEMENT', reason: 'MEDICAL: torn hamstring', by: 'oc-approver-7' } as const;
    state.applyEntry(entry(ID(1), 'USA', 'LYLES', { version: 2, change }), 1);
    const text = textOf(service.answer(EVENT));
    expect((JSON.parse(text) as { entries: { change: unknown }[] }).entries[0]?.change).toEqual({
      id: ID(9),
      kind: 'LATE_REPLACEMENT',
      reason: 'MEDICAL',
      by: null,
    });
    expect(text).not.toContain('hamstring');
    expect(text).not.toContain('oc-approver-7');
  });

  it('serves an empty list for an event without entries, and the list once it has some', () => {
    const { state, service } = setup();
    const empty = service.answer(EVENT);
    expect(JSON.parse(textOf(empty))).toEqual({ event: EVENT, entries: [] });
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    expect(service.answer(EVENT).etag).not.toBe(empty.etag);
  });

  it("answers an event's RSC from memory, the answer of the controller, and leaves anything else to the controller", () => {
    const { service, hot } = setup();
    expect(hot.routes()).toEqual([ROUTE]);
    const read = (eventRsc: string) => hot.read(ROUTE, { url: `/v1/events/${eventRsc}/entries`, params: { eventRsc } });
    expect(read(EVENT)).toBe(service.answer(EVENT));
    expect(read('ATHM100M--------------FNL-000100--')).toBeUndefined();
    expect(read('athm100m--------------------------')).toBeUndefined();
  });
});
