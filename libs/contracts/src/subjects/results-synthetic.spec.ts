import { makeCurrentMessage, makeResultMessage, type OdfJson } from '@podium/odf-message';

import { resultsCurrentSchema, resultsDocumentSchema, resultsTestDocumentSchema, syntheticResultsData } from './results';


const RSC = 'ATHM100M--------------FNL-000100--';

describe('syntheticResultsData', () => {
  it('is valid for the contract of each family, with the fields results-ingest derives', () => {
    const data = syntheticResultsData(makeResultMessage({ rsc: RSC, version: 3, resultStatus: 'LIVE' }).json);
    expect(resultsDocumentSchema.parse(data)).toMatchObject({
      discipline: 'ATH',
      documentKey: `OG2024|${RSC}||DT_RESULT|||P`,
      withdrawn: false,
      previousVersion: 2,
      baseDocumentKey: null,
    });
    expect(resultsCurrentSchema.safeParse(syntheticResultsData(makeCurrentMessage({ rsc: RSC }).json)).success).toBe(true);
    const test = syntheticResultsData(makeResultMessage({ rsc: RSC, feedFlag: 'T' }).json);
    expect(resultsTestDocumentSchema.safeParse(test).success).toBe(true);
  });

  it('marks a withdrawal, names the base of an _UPDATE, and takes overrides', () => {
    const withdrawal = syntheticResultsData(makeResultMessage({ rsc: RSC, version: 2, withdrawal: true }).json);
    expect(resultsDocumentSchema.parse(withdrawal)).toMatchObject({ withdrawn: true, competition: null });

    const base = makeResultMessage({ rsc: RSC }).json;
    const update = { ...base, documentCode: 'ATH-------------------------------', documentType: 'DT_PARTIC_UPDATE' } as OdfJson;
    expect(syntheticResultsData(update).baseDocumentKey).toBe('OG2024|ATH-------------------------------||DT_PARTIC|||P');

    expect(syntheticResultsData(base, { correction: true, officialVersion: 1 })).toMatchObject({ correction: true, officialVersion: 1 });
  });
});
