import { resultsSubjectOf } from '@podium/contracts';
import { indexKeyOf, matchesFilter, candidateIndexKeys } from './filter';
import { makeEntry } from './document';
import { result, UNIT } from '../test-support/messages';

const data = result({ rsc: UNIT, version: 1 });
const entry = makeEntry(data, 'RESULTS', 7, resultsSubjectOf(data));

describe('document filters', () => {
  it('match by discipline, unit/phase/event RSC and DocumentType (AND)', () => {
    expect(matchesFilter({}, entry)).toBe(true);
    expect(matchesFilter({ discipline: 'ATH' }, entry)).toBe(true);
    expect(matchesFilter({ discipline: 'SWM' }, entry)).toBe(false);
    expect(matchesFilter({ rsc: UNIT }, entry)).toBe(true);
    expect(matchesFilter({ rsc: 'ATHM100M--------------FNL---------' }, entry)).toBe(true);
    expect(matchesFilter({ rsc: 'ATHM100M--------------------------' }, entry)).toBe(true);
    expect(matchesFilter({ rsc: 'ATHM100M--------------HEAT--------' }, entry)).toBe(false);
    expect(matchesFilter({ discipline: 'ATH', documentType: 'DT_RESULT' }, entry)).toBe(true);
    expect(matchesFilter({ discipline: 'ATH', documentType: 'DT_CURRENT' }, entry)).toBe(false);
  });

  it('are indexed by their most selective field, and an entry lists every bucket that may match', () => {
    expect(indexKeyOf({ discipline: 'ATH', rsc: UNIT })).toBe(`r:${UNIT}`);
    expect(indexKeyOf({ discipline: 'ATH', documentType: 'DT_RESULT' })).toBe('d:ATH');
    expect(indexKeyOf({ documentType: 'DT_RESULT' })).toBe('t:DT_RESULT');
    expect(indexKeyOf({})).toBe('*');
    expect(candidateIndexKeys(entry)).toEqual([
      `r:${UNIT}`,
      'r:ATHM100M--------------FNL---------',
      'r:ATHM100M--------------------------',
      'd:ATH',
      't:DT_RESULT',
      '*',
    ]);
  });
});
