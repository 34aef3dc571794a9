import { documentKey, makeResultMessage, type OdfJson } from '@podium/odf-message';
import { resultsSubjectOf, syntheticResultsData } from '@podium/contracts';
import { current, entry, EVENT, result, scheduleUnit, UNIT } from '../test-support/messages';
import type { DocumentEntry } from './document';
import type { MedalTableView } from './medal-tracker';
import { ResultsState, START_LIST_SUFFIX, type ScheduleUnitView, type StateListener } from './results-state';

const SUBJECT = resultsSubjectOf(result({ rsc: UNIT }));

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  const seen = { documents: [] as DocumentEntry[], currents: [] as DocumentEntry[], medals: [] as MedalTableView[], units: [] as ScheduleUnitView[] };
  const listener: StateListener = {
    document: (e) => seen.documents.push(e),
    current: (e) => seen.currents.push(e),
    medals: (t) => seen.medals.push(t),
    scheduleUnit: (u) => seen.units.push(u),
  };
  state.setListener(listener);
  return { state, seen };
}

function partic(version: number, participants: { code: string; name?: string; remove?: boolean }[], update: boolean): OdfJson {
  const base = makeResultMessage({ rsc: UNIT, version }).json;
  const documentCode = 'ATH-------------------------------';
  const header = { ...base, documentCode, documentType: update ? 'DT_PARTIC_UPDATE' : 'DT_PARTIC', resultStatus: undefined };
  delete header.resultStatus;
  return {
    ...header,
    competition: {
      Participant: participants.map((p) => ({
        Code: p.code,
        ...(p.name ? { Name: p.name } : {}),
        ...(p.remove ? { ModificationIndicator: 'D' } : {}),
      })),
    },
  };
}

describe('ResultsState', () => {
  it('applies a higher version, ignores stale and duplicate ones (but re-sends an operator resend)', () => {
    const { state, seen } = setup();
    expect(state.applyResult(result({ rsc: UNIT, version: 2 }), 1, SUBJECT)).toBe('applied');
    expect(state.applyResult(result({ rsc: UNIT, version: 1 }), 2, SUBJECT)).toBe('stale');
    expect(state.applyResult(result({ rsc: UNIT, version: 2 }), 3, SUBJECT)).toBe('duplicate');
    expect(state.applyResult(result({ rsc: UNIT, version: 2 }, { resent: true }), 4, SUBJECT)).toBe('applied');
    expect(state.applyResult(result({ rsc: UNIT, version: 9 }), 4, SUBJECT)).toBe('already-applied');
    expect(seen.documents.map((e) => e.seq)).toEqual([1, 4]);
    expect(state.resultsSeq).toBe(4);
    const replay = state.replay.since(0);
    expect(replay.ok && replay.entries.map((e) => e.seq)).toEqual([1, 4]);
    const entry = state.documents.find(UNIT, 'DT_RESULT');
    expect(entry?.json.startsWith('{"stream":"RESULTS","seq":4,"competitionCode":"OG2024"')).toBe(true);
    expect(JSON.parse(entry?.json ?? '{}')).toMatchObject({ version: 2, resultStatus: 'LIVE', seq: 4 });
  });

  it('keeps the last START_LIST of a unit after its results start', () => {
    const { state } = setup();
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }), 1, SUBJECT);
    state.applyResult(result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }), 2, SUBJECT);
    expect(state.documents.findStartList(UNIT)?.data.version).toBe(1);
    expect(state.documents.find(UNIT, 'DT_RESULT')?.data.version).toBe(2);
  });

  it('merges an _UPDATE into its base document item by item, keeping the base version', () => {
    const { state } = setup();
    const base = syntheticResultsData(partic(3, [{ code: 'A', name: 'Ana' }, { code: 'B', name: 'Ben' }], false));
    state.applyResult(base, 1, resultsSubjectOf(base));
    // baseDocumentKey (the DT_PARTIC's key) derived as results-ingest derives it.
    const update = syntheticResultsData(partic(1, [{ code: 'B', name: 'Benjamin' }, { code: 'A', remove: true }, { code: 'C', name: 'Chloé' }], true));
    expect(update.baseDocumentKey).toBe(base.documentKey);
    expect(state.applyResult(update, 2, resultsSubjectOf(update))).toBe('applied');
    const merged = state.documents.get(base.documentKey);
    expect(merged?.data.version).toBe(3);
    expect(merged?.seq).toBe(2);
    expect(merged?.data.competition).toEqual({ Participant: [{ Code: 'B', Name: 'Benjamin' }, { Code: 'C', Name: 'Chloé' }] });
    expect(state.documents.get(update.documentKey)?.data.documentType).toBe('DT_PARTIC_UPDATE');
    expect(documentKey(merged!.data)).toBe(base.documentKey);
  });

  it('hands out what changed since the last checkpoint, once, and takes it back when writing failed', () => {
    const { state } = setup();
    expect(state.takeCheckpoint()).toBeNull();
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }), 5, SUBJECT);
    state.applyScheduleUnit(scheduleUnit(UNIT), 9);
    const checkpoint = state.takeCheckpoint();
    expect(checkpoint).toMatchObject({ resultsSeq: 5, scheduleSeq: 9 });
    expect(checkpoint?.documents.map((d) => d.key).sort()).toEqual(
      [checkpoint!.documents[0]!.data.documentKey, checkpoint!.documents[0]!.data.documentKey + START_LIST_SUFFIX].sort(),
    );
    expect(checkpoint?.units.map((u) => u.unit.rsc)).toEqual([UNIT]);
    expect(state.takeCheckpoint()).toBeNull();
    state.requeue(checkpoint!);
    expect(state.dirty).toBe(true);
    expect(state.takeCheckpoint()?.documents).toHaveLength(2);
  });

  it('restores a checkpoint, refills the replay buffer from before it, then applies only what is newer', () => {
    const { state: first } = setup();
    for (let v = 1; v <= 5; v++) first.applyResult(result({ rsc: UNIT, version: v }), v, SUBJECT);
    const checkpoint = first.takeCheckpoint()!;

    const { state, seen } = setup();
    state.restore({ ...checkpoint, units: [] }, 2);
    expect(state.resultsSeq).toBe(5);
    expect(state.documents.find(UNIT, 'DT_RESULT')?.data.version).toBe(5);
    for (let v = 3; v <= 5; v++) state.refillReplay(result({ rsc: UNIT, version: v }), v, SUBJECT);
    expect(state.applyResult(result({ rsc: UNIT, version: 5 }), 5, SUBJECT)).toBe('already-applied');
    expect(state.applyResult(result({ rsc: UNIT, version: 6 }), 6, SUBJECT)).toBe('applied');
    const replay = state.replay.since(2);
    expect(replay.ok && replay.entries.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(seen.documents.map((e) => e.seq)).toEqual([6]);
  });

  it('keeps entries by ENTRIES sequence, checkpoints the changed ones and restores them', () => {
    const { state } = setup();
    const id = '00000000-0000-4000-8000-000000000001';
    expect(state.applyEntry(entry(id, 'JPN', 'SANI', { version: 2 }), 3)).toBe('applied');
    expect(state.applyEntry(entry(id, 'JPN', 'SANI', { version: 3 }), 3)).toBe('already-applied');
    expect(state.applyEntry(entry(id, 'JPN', 'SANI', { version: 1 }), 4)).toBe('stale');
    expect(state.entriesSeq).toBe(4);
    const checkpoint = state.takeCheckpoint();
    expect(checkpoint).toMatchObject({ entriesSeq: 4, entries: [{ seq: 3, entry: { id, version: 2 } }] });
    expect(state.takeCheckpoint()).toBeNull();

    const { state: restored } = setup();
    restored.restore(checkpoint!);
    expect(restored.entriesSeq).toBe(4);
    expect(restored.entries.forEvent(EVENT).map((e) => e.version)).toEqual([2]);
    expect(restored.dirty).toBe(false);
  });

  it('keeps the latest DT_CURRENT per unit outside the RESULTS sequence', () => {
    const { state, seen } = setup();
    expect(state.applyCurrent(current({ rsc: UNIT, version: 3 }), 1, 'x')).toBe('applied');
    expect(state.applyCurrent(current({ rsc: UNIT, version: 2 }), 2, 'x')).toBe('stale');
    expect(seen.currents.map((e) => e.data.version)).toEqual([3]);
    expect(state.resultsSeq).toBe(0);
    expect(state.currents.find(UNIT, 'DT_CURRENT')?.stream).toBe('RESULTS_CURRENT');
  });

  it('shows schedule units with their live status, announcing a unit when its results status changes', () => {
    const { state, seen } = setup();
    state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'SCHEDULED' }), 1);
    expect(state.unitView(UNIT)).toMatchObject({ live: false, results: null, scheduleSeq: 1 });
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'LIVE' }), 1, SUBJECT);
    state.applyResult(result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }), 2, SUBJECT);
    state.applyResult(result({ rsc: UNIT, version: 3, resultStatus: 'OFFICIAL' }), 3, SUBJECT);
    expect(seen.units.map((u) => [u.live, u.results?.resultStatus ?? null])).toEqual([
      [false, null],
      [true, 'LIVE'],
      [false, 'OFFICIAL'],
    ]);
    expect(state.applyScheduleUnit(scheduleUnit(UNIT, { version: 0 as never }), 2)).toBe('stale');
  });

  it("changes the schedule's revision when a unit or a scheduled unit's results change, and only then", () => {
    const { state } = setup();
    const revisions: number[] = [state.scheduleRevision];
    const changed = (): boolean => {
      const previous = revisions.at(-1);
      revisions.push(state.scheduleRevision);
      return state.scheduleRevision !== previous;
    };
    // A unit's results before the schedule knows it: not in the schedule.
    state.applyResult(result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }), 1, SUBJECT);
    expect(changed()).toBe(false);
    state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'SCHEDULED' }), 1);
    expect(changed()).toBe(true);
    state.applyResult(result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' }), 2, SUBJECT);
    expect(changed()).toBe(true);
    // Stale and duplicate results, another unit's results, a DT_CURRENT, an entry: the schedule is the same.
    state.applyResult(result({ rsc: UNIT, version: 1 }), 3, SUBJECT);
    state.applyResult(result({ rsc: UNIT, version: 2 }), 4, SUBJECT);
    state.applyResult(result({ rsc: 'SWMW100MFR------------FNL-000100--', version: 1 }), 5, SUBJECT);
    state.applyCurrent(current({ rsc: UNIT, version: 1 }), 1, 'x');
    state.applyEntry(entry('00000000-0000-4000-8000-000000000001', 'JPN', 'SANI'), 1);
    expect(changed()).toBe(false);
    state.applyScheduleUnit(scheduleUnit(UNIT, { status: 'RUNNING', version: 2 }), 2);
    expect(changed()).toBe(true);
    state.restore({ resultsSeq: 5, scheduleSeq: 2, entriesSeq: 1, documents: [], units: [], entries: [] });
    expect(changed()).toBe(true);
  });
});
