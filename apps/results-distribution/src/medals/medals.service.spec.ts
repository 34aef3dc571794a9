import { resultsSubjectOf } from '@podium/contracts';
import { medallists } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { MedalsService } from './medals.service';

const EVENT = 'ATHM100M--------------------------';

describe('MedalsService', () => {
  it('serves the same bytes and ETag while the table is the same, and new ones once it changes', () => {
    const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
    const service = new MedalsService(state);
    const empty = service.current();
    expect(service.current()).toBe(empty);

    const medals = medallists({ eventRsc: EVENT, version: 1, medals: [{ medal: 'GOLD', noc: 'USA' }] });
    state.applyResult(medals, 1, resultsSubjectOf(medals));
    const first = service.current();
    expect(first.etag).not.toBe(empty.etag);
    expect(JSON.parse(first.body.toString('utf8'))).toMatchObject({ seq: 1, rows: [{ noc: 'USA', gold: 1 }] });
    expect(service.current()).toBe(first);
  });
});
