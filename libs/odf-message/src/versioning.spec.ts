import { fixture, mustParse } from './__fixtures__';
import { type OdfMessage, parseOdfJson, toOdfJson } from './message';
import { makeResultMessage, type SyntheticResultOptions } from './synthetic';
import { decide, fingerprint, nextState, stateOf, type StoredDocState } from './versioning';

const UNIT = 'SWMW100MFR------------FNL-000100--';

function result(version: number, extra: Partial<SyntheticResultOptions> = {}): OdfMessage {
  return mustParse(makeResultMessage({ rsc: UNIT, version, ...extra }).xml);
}

/** Runs messages through decide/nextState like a store would; returns the decision kinds and the final state. */
function run(messages: OdfMessage[]): { kinds: string[]; state: StoredDocState | null } {
  let state: StoredDocState | null = null;
  const kinds: string[] = [];
  for (const m of messages) {
    const d = decide(state, m);
    kinds.push(d.kind);
    state = nextState(state, m, d);
  }
  return { kinds, state };
}

describe('decide', () => {
  it('applies the first version and publishes it', () => {
    const d = decide(null, result(1));
    expect(d).toEqual({
      kind: 'apply',
      publish: true,
      record: true,
      correction: false,
      previousVersion: null,
      baseKey: null,
      reason: 'Version 1: first Version',
      warnings: [],
    });
  });

  it('applies a higher version (it replaces the whole document)', () => {
    const d = decide(stateOf(result(1)), result(2));
    expect(d).toMatchObject({
      kind: 'apply',
      publish: true,
      previousVersion: 1,
      reason: 'Version 2: replaces Version 1',
    });
  });

  it('acknowledges an equal version with the same content as a duplicate: not recorded, not published', () => {
    const d = decide(stateOf(result(2)), result(2));
    expect(d).toMatchObject({ kind: 'duplicate', publish: false, record: false });
  });

  it('treats a resend with a new transmission time, other attribute order or the JSON form as a duplicate', () => {
    const first = result(2);
    const resent = result(2, { at: new Date('2024-08-01T10:00:05.123Z'), source: 'SWMBACKUP' });
    expect(resent.header.time).not.toBe(first.header.time);
    expect(decide(stateOf(first), resent).kind).toBe('duplicate');
    const json = toOdfJson(first);
    const reordered = {
      ...json,
      competition: Object.fromEntries(Object.entries(json.competition ?? {}).reverse()),
    };
    const fromJson = parseOdfJson(reordered);
    if (!fromJson.ok) throw new Error('invalid');
    expect(decide(stateOf(first), fromJson.message).kind).toBe('duplicate');
  });

  it('records an equal version with different content as conflict-duplicate, without publishing it', () => {
    const d = decide(stateOf(result(2)), result(2, { seed: 7 }));
    expect(d).toMatchObject({ kind: 'conflict-duplicate', publish: false, record: true });
    expect(d.reason).toMatch(/different content/);
    // a different ResultStatus at the same Version is a conflict too
    expect(decide(stateOf(result(2)), result(2, { resultStatus: 'OFFICIAL' })).kind).toBe(
      'conflict-duplicate',
    );
  });

  it('records a lower version as stale, without publishing it', () => {
    expect(decide(stateOf(result(5)), result(4))).toMatchObject({
      kind: 'stale',
      publish: false,
      record: true,
      reason: 'Version 4 is lower than the stored Version 5',
    });
  });

  it('withdraws on a higher version without Competition, and on a first one', () => {
    const withdrawal = result(3, { withdrawal: true });
    expect(withdrawal.withdrawal).toBe(true);
    expect(decide(stateOf(result(2)), withdrawal)).toMatchObject({
      kind: 'withdraw',
      publish: true,
      record: true,
    });
    expect(decide(null, withdrawal)).toMatchObject({
      kind: 'withdraw',
      reason: 'Version 3 withdraws a document not seen before',
    });
    // a stale withdrawal is just stale
    expect(decide(stateOf(result(4)), withdrawal).kind).toBe('stale');
  });

  it('handles out-of-order arrival: the late lower version is stale and the state keeps the highest', () => {
    const { kinds, state } = run([
      result(1),
      result(3),
      result(2),
      result(3),
      result(4, { withdrawal: true }),
      result(5),
    ]);
    expect(kinds).toEqual(['apply', 'apply', 'stale', 'duplicate', 'withdraw', 'apply']);
    expect(state).toMatchObject({ version: 5, withdrawn: false });
  });

  it('warns about a gap in versions', () => {
    expect(decide(stateOf(result(2)), result(5)).warnings).toEqual([
      'Versions 3 to 4 were not received (or arrive later: stale)',
    ]);
  });

  it('flags a new version after OFFICIAL as a correction', () => {
    const official = stateOf(result(5, { resultStatus: 'OFFICIAL' }));
    expect(official.officialVersion).toBe(5);
    const corrected = decide(official, result(6, { resultStatus: 'OFFICIAL', seed: 3 }));
    expect(corrected).toMatchObject({
      kind: 'apply',
      publish: true,
      correction: true,
      reason: 'Version 6: replaces Version 5 (correction after OFFICIAL Version 5)',
      warnings: [],
    });
    // never rejected, but flagged when the status goes back or the document is withdrawn
    expect(decide(official, result(6, { resultStatus: 'PROTESTED' })).warnings).toEqual([
      'ResultStatus PROTESTED after OFFICIAL Version 5',
    ]);
    expect(decide(official, result(6, { withdrawal: true }))).toMatchObject({
      kind: 'withdraw',
      correction: true,
      warnings: ['withdraws a document that was OFFICIAL in Version 5'],
    });
    expect(decide(stateOf(result(5, { resultStatus: 'UNOFFICIAL' })), result(6)).correction).toBe(false);
  });

  it('remembers OFFICIAL across later non-official versions', () => {
    const { state } = run([
      result(1, { resultStatus: 'OFFICIAL' }),
      result(2, { resultStatus: 'PROTESTED' }),
    ]);
    expect(state).toMatchObject({ version: 2, resultStatus: 'PROTESTED', officialVersion: 1 });
    expect(decide(state, result(3, { resultStatus: 'OFFICIAL' })).correction).toBe(true);
  });

  it('merges new _UPDATE messages into their base document', () => {
    const update = mustParse(fixture('scheduleUpdate'));
    expect(decide(null, update)).toMatchObject({
      kind: 'merge',
      publish: true,
      baseKey: 'CIS2025|WRE-------------------------------||DT_SCHEDULE|||T',
    });
    expect(decide(stateOf(update), update).kind).toBe('duplicate');
  });

  it('keeps test and production feeds apart: different keys, and mixing states is a caller bug', () => {
    const production = result(1);
    const test = result(1, { feedFlag: 'T' });
    expect(test.key).not.toBe(production.key);
    expect(() => decide(stateOf(production), test)).toThrow(
      new TypeError(`state of ${production.key} given for a message of ${test.key}`),
    );
  });
});

describe('nextState and fingerprint', () => {
  it('keeps the state on duplicate, conflict and stale; replaces it otherwise', () => {
    const current = stateOf(result(3));
    const stale = result(2);
    expect(nextState(current, stale, decide(current, stale))).toBe(current);
    const withdrawal = result(4, { withdrawal: true });
    expect(nextState(current, withdrawal, decide(current, withdrawal))).toEqual({
      key: current.key,
      version: 4,
      resultStatus: 'LIVE',
      withdrawn: true,
      fingerprint: fingerprint(withdrawal),
      officialVersion: null,
    });
  });

  it('fingerprints content, not transmission metadata', () => {
    const a = result(1);
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(result(1, { at: new Date('2025-01-01T00:00:00Z'), source: 'OTHER' }))).toBe(
      fingerprint(a),
    );
    expect(fingerprint(result(1, { seed: 2 }))).not.toBe(fingerprint(a));
    expect(fingerprint(result(1, { resultStatus: 'UNOFFICIAL' }))).not.toBe(fingerprint(a));
    expect(fingerprint(result(1, { withdrawal: true }))).not.toBe(fingerprint(a));
  });

  it('treats an unknown stored fingerprint as a duplicate', () => {
    const state = { ...stateOf(result(2)), fingerprint: null };
    expect(decide(state, result(2, { seed: 9 })).kind).toBe('duplicate');
  });
});
