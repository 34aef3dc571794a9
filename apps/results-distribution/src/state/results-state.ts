import type { CisScheduleUnit, EntryState, ResultsMessage, ScheduleUnitState } from '@podium/contracts';
import { mergeUpdate, updateRuleOf } from '@podium/odf-message';
import { type DocumentEntry, makeEntry, messageOf } from './document';
import { DocumentStore } from './document-store';
import { EntryStore } from './entry-store';
import { MedalTracker, type MedalTableView } from './medal-tracker';
import { type ReplayLimits, ReplayBuffer } from './replay-buffer';

/** A schedule unit with its live status from the results (CIS and SSE `schedule`): @podium/contracts' CisScheduleUnit. */
export type ScheduleUnitView = Readonly<CisScheduleUnit>;

/** What the state announces; the distribution hub fans it out to clients. */
export interface StateListener {
  /** A RESULTS message to distribute (sequences increase). */
  document(entry: DocumentEntry): void;
  /** A DT_CURRENT (fast path, outside the RESULTS sequence). */
  current(entry: DocumentEntry): void;
  medals(table: MedalTableView): void;
  scheduleUnit(unit: ScheduleUnitView): void;
}

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'already-applied';

/** Everything changed since the previous checkpoint, as of `resultsSeq` / `scheduleSeq` / `entriesSeq`. */
export interface CheckpointData {
  readonly resultsSeq: number;
  readonly scheduleSeq: number;
  readonly entriesSeq: number;
  /** Documents (and start lists, key suffixed with START_LIST_SUFFIX) to upsert. */
  readonly documents: readonly DocumentEntry[];
  readonly units: readonly { readonly unit: ScheduleUnitState; readonly seq: number }[];
  readonly entries: readonly { readonly entry: EntryState; readonly seq: number }[];
}

export type RestoreData = CheckpointData;

export const START_LIST_SUFFIX = '#START_LIST';

const ignore = (): void => undefined;
const NOOP_LISTENER: StateListener = { document: ignore, current: ignore, medals: ignore, scheduleUnit: ignore };

/**
 * The service's in-memory state: the latest version of every document (RESULTS), the running clock of every unit
 * (DT_CURRENT), the schedule with live status, the entries of every event (OMS), the medal table and the recent
 * updates (replay buffer).
 * Single-threaded and synchronous: an update is applied and announced in one go, so a snapshot taken between two
 * updates is consistent with the sequence it carries.
 */
export class ResultsState {
  readonly documents = new DocumentStore();
  readonly currents = new DocumentStore();
  readonly entries = new EntryStore();
  readonly replay: ReplayBuffer;
  readonly medals: MedalTracker;
  private readonly units = new Map<string, { unit: ScheduleUnitState; seq: number }>();
  private resultsSeqValue = 0;
  private scheduleSeqValue = 0;
  private currentSeqValue = 0;
  private entriesSeqValue = 0;
  private scheduleRevisionValue = 0;
  private readonly dirtyDocuments = new Set<string>();
  private readonly dirtyUnits = new Set<string>();
  private readonly dirtyEntries = new Set<string>();
  private listener: StateListener = NOOP_LISTENER;

  constructor(replayLimits: ReplayLimits) {
    this.replay = new ReplayBuffer(replayLimits);
    this.medals = new MedalTracker((rsc) => this.units.get(rsc)?.unit.medal);
  }

  /** Last RESULTS sequence taken into account. */
  get resultsSeq(): number {
    return this.resultsSeqValue;
  }

  /** Last SCHEDULES sequence taken into account. */
  get scheduleSeq(): number {
    return this.scheduleSeqValue;
  }

  /** Last ENTRIES sequence taken into account. */
  get entriesSeq(): number {
    return this.entriesSeqValue;
  }

  /**
   * Changes whenever what {@link scheduleViews} returns may have changed (a schedule unit, a DT_RESULT of a scheduled
   * unit, a restore), and only then: the served schedule is built once per revision.
   */
  get scheduleRevision(): number {
    return this.scheduleRevisionValue;
  }

  /** Last RESULTS_CURRENT sequence taken into account. */
  get currentSeq(): number {
    return this.currentSeqValue;
  }

  setListener(listener: StateListener): void {
    this.listener = listener;
  }

  /** Applies a RESULTS message (ODF version rules: a lower version is stale, an equal one a duplicate unless resent). */
  applyResult(data: ResultsMessage, seq: number, subject: string): ApplyOutcome {
    if (seq <= this.resultsSeqValue) return 'already-applied';
    this.resultsSeqValue = seq;
    const current = this.documents.get(data.documentKey);
    if (current && data.version < current.data.version) {
      this.replay.advance(seq);
      return 'stale';
    }
    if (current && data.version === current.data.version && !data.resent) {
      this.replay.advance(seq);
      return 'duplicate';
    }
    const entry = makeEntry(data, 'RESULTS', seq, subject);
    this.documents.set(entry);
    this.dirtyDocuments.add(entry.key);
    this.touchSchedule(entry);
    if (data.documentType === 'DT_RESULT' && data.resultStatus === 'START_LIST' && !data.withdrawn) {
      const startList = makeEntry(data, 'RESULTS', seq, subject, entry.key + START_LIST_SUFFIX);
      this.documents.setStartList(startList);
      this.dirtyDocuments.add(startList.key);
    }
    if (data.baseDocumentKey !== null) this.mergeIntoBase(data, seq, subject);
    this.replay.push(entry);
    this.listener.document(entry);
    if (this.medals.apply(entry)) this.listener.medals(this.medals.table);
    if (data.documentType === 'DT_RESULT' && data.feedFlag === 'P') this.announceUnit(data.documentCode, current);
    return 'applied';
  }

  /**
   * A message from before the checkpoint, read again at restart: it only refills the replay buffer (the state
   * already reflects it), so that clients of the previous instance can resume.
   */
  refillReplay(data: ResultsMessage, seq: number, subject: string): void {
    if (seq > this.resultsSeqValue || seq <= this.replay.last) return;
    this.replay.push(makeEntry(data, 'RESULTS', seq, subject));
  }

  /**
   * Notes a RESULTS sequence whose LIVE version was never applied: a newer version of the same document was already
   * waiting behind it (the service was behind, see DistributionLifecycle). The replay buffer remembers it as a hole.
   */
  conflateResult(seq: number): void {
    if (seq <= this.resultsSeqValue) return;
    this.resultsSeqValue = seq;
    this.replay.conflated(seq);
  }

  /** Notes a RESULTS sequence that carried nothing to apply (an invalid message, dead-lettered). */
  skipResult(seq: number): void {
    if (seq <= this.resultsSeqValue) return;
    this.resultsSeqValue = seq;
    this.replay.advance(seq);
  }

  /** Applies a DT_CURRENT (latest only: a lower version than the one held is ignored). */
  applyCurrent(data: ResultsMessage, seq: number, subject: string): ApplyOutcome {
    if (seq <= this.currentSeqValue) return 'already-applied';
    this.currentSeqValue = seq;
    const current = this.currents.get(data.documentKey);
    if (current && data.version < current.data.version) return 'stale';
    if (current && data.version === current.data.version && !data.resent) return 'duplicate';
    const entry = makeEntry(data, 'RESULTS_CURRENT', seq, subject);
    this.currents.set(entry);
    this.listener.current(entry);
    return 'applied';
  }

  /** Applies a schedule unit state (a lower unit version than the one held is ignored). */
  applyScheduleUnit(unit: ScheduleUnitState, seq: number): ApplyOutcome {
    if (seq <= this.scheduleSeqValue) return 'already-applied';
    this.scheduleSeqValue = seq;
    const previous = this.units.get(unit.rsc);
    if (previous && unit.version < previous.unit.version) return 'stale';
    this.units.set(unit.rsc, { unit, seq });
    this.dirtyUnits.add(unit.rsc);
    this.scheduleRevisionValue++;
    if (previous?.unit.medal !== unit.medal) {
      const results = this.documents.byDocumentCode(unit.rsc).filter((e) => e.data.documentType === 'DT_RESULT');
      if (this.medals.unitChanged(unit.rsc, results, this.resultsSeqValue)) this.listener.medals(this.medals.table);
    }
    const view = this.unitView(unit.rsc);
    if (view) this.listener.scheduleUnit(view);
    return 'applied';
  }

  /** Applies an entry state (latest version per entry id: a lower or equal version than the one held is ignored). */
  applyEntry(entry: EntryState, seq: number): ApplyOutcome {
    if (seq <= this.entriesSeqValue) return 'already-applied';
    this.entriesSeqValue = seq;
    const outcome = this.entries.apply(entry, seq);
    if (outcome === 'applied') this.dirtyEntries.add(entry.id);
    return outcome;
  }

  /** A schedule unit with live status. */
  unitView(rsc: string): ScheduleUnitView | undefined {
    const held = this.units.get(rsc);
    if (!held) return undefined;
    const result = this.documents.find(rsc, 'DT_RESULT', {});
    const resultStatus = result?.data.resultStatus ?? null;
    return {
      ...held.unit,
      scheduleSeq: held.seq,
      results: result ? { resultStatus, version: result.data.version, seq: result.seq } : null,
      live:
        held.unit.status === 'RUNNING' ||
        (result !== undefined && !result.data.withdrawn && (resultStatus === 'LIVE' || resultStatus === 'INTERMEDIATE')),
    };
  }

  /** Every schedule unit with live status, by start time then RSC. */
  scheduleViews(): ScheduleUnitView[] {
    const out: ScheduleUnitView[] = [];
    for (const rsc of this.units.keys()) {
      const view = this.unitView(rsc);
      if (view) out.push(view);
    }
    return out.sort(
      (a, b) => (a.startUtc ?? '~').localeCompare(b.startUtc ?? '~') || a.rsc.localeCompare(b.rsc),
    );
  }

  get unitCount(): number {
    return this.units.size;
  }

  /** Takes what changed since the previous checkpoint (and forgets it: give it back with {@link requeue} on failure). */
  takeCheckpoint(): CheckpointData | null {
    if (!this.dirty) return null;
    const documents: DocumentEntry[] = [];
    for (const key of this.dirtyDocuments) {
      const entry = key.endsWith(START_LIST_SUFFIX)
        ? this.documents.getStartList(key)
        : this.documents.get(key);
      if (entry) documents.push(entry);
    }
    const units: { unit: ScheduleUnitState; seq: number }[] = [];
    for (const rsc of this.dirtyUnits) {
      const held = this.units.get(rsc);
      if (held) units.push(held);
    }
    const entries: { entry: EntryState; seq: number }[] = [];
    for (const id of this.dirtyEntries) {
      const held = this.entries.get(id);
      if (held) entries.push(held);
    }
    this.dirtyDocuments.clear();
    this.dirtyUnits.clear();
    this.dirtyEntries.clear();
    return {
      resultsSeq: this.resultsSeqValue,
      scheduleSeq: this.scheduleSeqValue,
      entriesSeq: this.entriesSeqValue,
      documents,
      units,
      entries,
    };
  }

  /** A checkpoint could not be written: its documents and units are written with the next one. */
  requeue(checkpoint: CheckpointData): void {
    for (const entry of checkpoint.documents) this.dirtyDocuments.add(entry.key);
    for (const { unit } of checkpoint.units) this.dirtyUnits.add(unit.rsc);
    for (const { entry } of checkpoint.entries) this.dirtyEntries.add(entry.id);
  }

  /** Whether a checkpoint is due (something changed since the last one). */
  get dirty(): boolean {
    return this.dirtyDocuments.size > 0 || this.dirtyUnits.size > 0 || this.dirtyEntries.size > 0;
  }

  /** Replaces the state with a checkpoint (at boot, before following the streams from the checkpoint's sequences). */
  restore(checkpoint: RestoreData, replayFrom = checkpoint.resultsSeq): void {
    this.documents.clear();
    this.units.clear();
    this.entries.clear();
    for (const { unit, seq } of checkpoint.units) this.units.set(unit.rsc, { unit, seq });
    for (const { entry, seq } of checkpoint.entries) this.entries.set(entry, seq);
    for (const entry of checkpoint.documents) {
      if (entry.key.endsWith(START_LIST_SUFFIX)) this.documents.setStartList(entry);
      else this.documents.set(entry);
    }
    this.resultsSeqValue = checkpoint.resultsSeq;
    this.scheduleSeqValue = checkpoint.scheduleSeq;
    this.entriesSeqValue = checkpoint.entriesSeq;
    this.replay.reset(Math.min(replayFrom, checkpoint.resultsSeq));
    this.medals.rebuild(this.documents.values(), checkpoint.resultsSeq);
    this.scheduleRevisionValue++;
    this.dirtyDocuments.clear();
    this.dirtyUnits.clear();
    this.dirtyEntries.clear();
  }

  /**
   * An `_UPDATE` (DT_PARTIC_UPDATE, DT_SCHEDULE_UPDATE) also changes its base document, merged item by item; the
   * base keeps its own version (0 when it was synthesized from updates only).
   */
  private mergeIntoBase(data: ResultsMessage, seq: number, subject: string): void {
    const rule = updateRuleOf(data.documentType);
    const baseKey = data.baseDocumentKey;
    if (!rule || baseKey === null) return;
    const base = this.documents.get(baseKey);
    try {
      const merged = mergeUpdate(base && !base.data.withdrawn ? messageOf(base.data) : null, messageOf(data));
      const baseData: ResultsMessage = {
        ...(base?.data ?? data),
        documentType: rule.baseType as ResultsMessage['documentType'],
        documentKey: baseKey,
        version: merged.header.version,
        withdrawn: false,
        baseDocumentKey: null,
        competition: merged.competition,
      } as ResultsMessage;
      const entry = makeEntry(baseData, 'RESULTS', seq, subject.replace(data.documentType, rule.baseType), baseKey);
      this.documents.set(entry);
      this.dirtyDocuments.add(baseKey);
      this.touchSchedule(entry);
    } catch {
      // A base that is not this update's base (cannot happen with keys from results-ingest): keep the update only.
    }
  }

  /** A document was set: when it is a scheduled unit's DT_RESULT, that unit's live status may have changed. */
  private touchSchedule(entry: DocumentEntry): void {
    if (entry.data.documentType === 'DT_RESULT' && this.units.has(entry.data.documentCode)) this.scheduleRevisionValue++;
  }

  private announceUnit(rsc: string, previous: DocumentEntry | undefined): void {
    const latest = this.documents.get(previous?.key ?? '');
    if (previous && latest && previous.data.resultStatus === latest.data.resultStatus) return;
    const view = this.unitView(rsc);
    if (view) this.listener.scheduleUnit(view);
  }
}
