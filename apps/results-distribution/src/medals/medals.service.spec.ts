import { resultsSubjectOf } from '@podium/contracts';
import { captureHotReads, textOf } from '../test-support/hot-reads';
import { medallists } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { LIVE_CACHE } from '../common/http-cache';
import { MedalsService } from './medals.service';

const EVENT = 'ATHM100M--------------------------';

describe('MedalsService', () => {
  it('serves the same bytes and ETag while the table is the same, and new ones once it changes, from memory', () => {
    const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
    const hot = captureHotReads();
    const service = new MedalsService(state, hot.hotReads);
    service.onModuleInit();
    const empty = service.current();
    expect(empty.cacheControl).toBe(LIVE_CACHE);
    expect(service.current()).toBe(empty);
    expect(hot.read('/v1/medals', { url: '/v1/medals' })).toBe(empty);

    const medals = medallists({ eventRsc: EVENT, version: 1, medals: [{ medal: 'GOLD', noc: 'USA' }] });
    state.applyResult(medals, 1, resultsSubjectOf(medals));
    const first = service.current();
    expect(first.etag).not.toBe(empty.etag);
    expect(JSON.parse(textOf(first))).toMatchObject({ seq: 1, rows: [{ noc: 'USA', gold: 1 }] });
    expect(service.current()).toBe(first);
    expect(hot.read('/v1/medals', { url: '/v1/medals' })).toBe(first);
  });
});
