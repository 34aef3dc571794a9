import { resultsSubjectOf } from '@podium/contracts';
import { documentAnswer } from '../common/http-cache';
import { captureHotReads } from '../test-support/hot-reads';
import { HEAT, result, UNIT } from '../test-support/messages';
import { ResultsState } from '../state/results-state';
import { ResultsService } from './results.service';

const SUBJECT = resultsSubjectOf(result({ rsc: UNIT }));
const DOCUMENT = '/v1/documents/:documentCode/:documentType';

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }), 1, SUBJECT);
  state.applyResult(result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }), 2, SUBJECT);
  state.applyResult(result({ rsc: HEAT, version: 1 }), 3, SUBJECT);
  state.applyResult(result({ rsc: HEAT, version: 2, withdrawal: true }), 4, SUBJECT);
  const hot = captureHotReads();
  const service = new ResultsService(state, hot.hotReads);
  service.onModuleInit();
  return { state, service, hot };
}

describe('ResultsService hot reads', () => {
  it('serve the four document routes', () => {
    expect(setup().hot.routes()).toEqual([
      DOCUMENT,
      '/v1/units/:rsc/results',
      '/v1/units/:rsc/start-list',
      '/v1/phases/:rsc/results',
    ]);
  });

  it("answer a document's requests without a query string with the controller's answer: the same bytes and ETag", () => {
    const { service, hot } = setup();
    const latest = service.unitResults(UNIT);
    expect(latest?.data.version).toBe(2);
    const params = { documentCode: UNIT, documentType: 'DT_RESULT' };
    expect(hot.read(DOCUMENT, { url: `/v1/documents/${UNIT}/DT_RESULT`, params })).toBe(documentAnswer(latest!));
    expect(hot.read('/v1/units/:rsc/results', { url: `/v1/units/${UNIT}/results`, params: { rsc: UNIT } })).toBe(
      documentAnswer(latest!),
    );
    const startList = hot.read('/v1/units/:rsc/start-list', { url: `/v1/units/${UNIT}/start-list`, params: { rsc: UNIT } });
    expect(JSON.parse(String(startList?.body))).toMatchObject({ version: 1, resultStatus: 'START_LIST' });
  });

  it('leave to the controller what it answers otherwise: a selector, an invalid value, a missing or withdrawn document', () => {
    const { hot } = setup();
    const document = (documentCode: string, documentType: string, query = '') =>
      hot.read(DOCUMENT, { url: `/v1/documents/${documentCode}/${documentType}${query}`, params: { documentCode, documentType } });
    expect(document(UNIT, 'DT_RESULT', '?language=ENG')).toBeUndefined();
    expect(document(UNIT, 'DT_NOPE')).toBeUndefined();
    expect(document('atm100m', 'DT_RESULT')).toBeUndefined();
    expect(document(UNIT, 'DT_PHASE_RESULT')).toBeUndefined();
    expect(document(HEAT, 'DT_RESULT')).toBeUndefined();
    expect(hot.read('/v1/units/:rsc/results', { url: '/v1/units/SHORT/results', params: { rsc: 'SHORT' } })).toBeUndefined();
    expect(hot.read('/v1/phases/:rsc/results', { url: `/v1/phases/${UNIT}/results`, params: { rsc: UNIT } })).toBeUndefined();
  });
});
