import { fixture, mustParse } from './__fixtures__';
import { attr, child, children } from './element';
import { baseKeyOf, mergeUpdate } from './merge';
import { decide, stateOf } from './versioning';

const HEADER =
  'CompetitionCode="CIS2025" DocumentCode="WRE-------------------------------" FeedFlag="T" Date="2025-10-01" Time="120000000" Source="OMS"';
const U = (n: string): string => `WREW61KG--------------GP01000${n}--`;

const base = mustParse(
  `<OdfBody ${HEADER} DocumentType="DT_SCHEDULE" Version="4"><Competition Gen="G1">` +
    '<ExtendedInfos><ExtendedInfo Type="CS" Code="VERSION" Value="1.00"/></ExtendedInfos>' +
    '<Session SessionCode="WR01" Venue="GOL"/><Session SessionCode="WR02" Venue="GOL"/>' +
    `<Unit Code="${U('700')}" ScheduleStatus="FINISHED"/>` +
    `<Unit Code="${U('800')}" ScheduleStatus="SCHEDULED" StartDate="2025-10-03T10:54:00+04:00"/>` +
    `<Unit Code="${U('900')}" ScheduleStatus="SCHEDULED"/>` +
    '</Competition></OdfBody>',
);

function update(version: number, inner: string): ReturnType<typeof mustParse> {
  return mustParse(
    `<OdfBody ${HEADER} DocumentType="DT_SCHEDULE_UPDATE" Version="${version}"><Competition>${inner}</Competition></OdfBody>`,
  );
}

describe('mergeUpdate', () => {
  it('replaces the items the real update carries, in place, and keeps the others', () => {
    const sample = mustParse(fixture('scheduleUpdate'));
    expect(baseKeyOf(sample)).toBe(base.key);
    const merged = mergeUpdate(base, sample);
    expect(merged.key).toBe(base.key);
    expect(merged.header).toBe(base.header); // the base Version stays: only a full document raises it
    const units = children(merged.competition ?? undefined, 'Unit');
    expect(units.map((u) => attr(u, 'Code'))).toEqual([U('700'), U('800'), U('900')]);
    expect(units[1]).toBe(child(sample.competition ?? undefined, 'Unit')); // replaced as a whole
    expect(attr(units[1], 'StartDate')).toBe('2025-10-03T11:00:00+04:00');
    expect(children(child(units[1], 'StartList'), 'Start')).toHaveLength(2);
    const sessions = children(merged.competition ?? undefined, 'Session');
    expect(sessions.map((s) => [attr(s, 'SessionCode'), attr(s, 'VenueName')])).toEqual([
      ['WR01', 'Ganja Olympic Sports Complex'],
      ['WR02', undefined],
    ]);
    // untouched parts of the base stay
    expect(attr(merged.competition ?? undefined, 'Gen')).toBe('G1');
    expect(child(merged.competition ?? undefined, 'ExtendedInfos')).toEqual(
      child(base.competition ?? undefined, 'ExtendedInfos'),
    );
  });

  it('appends new items, removes items marked ModificationIndicator="D", replaces non-keyed children and attributes', () => {
    const merged = mergeUpdate(
      base,
      update(
        2,
        `<ExtendedInfos><ExtendedInfo Type="CS" Code="VERSION" Value="1.01"/></ExtendedInfos>` +
          `<Unit Code="${U('900')}" ModificationIndicator="D"/><Unit Code="${U('A00')}" ModificationIndicator="N" ScheduleStatus="SCHEDULED"/>` +
          `<Unit Code="${U('B00')}" ModificationIndicator="D"/>`,
      ),
    );
    const competition = merged.competition ?? undefined;
    expect(children(competition, 'Unit').map((u) => attr(u, 'Code'))).toEqual([U('700'), U('800'), U('A00')]);
    expect(attr(child(child(competition, 'ExtendedInfos'), 'ExtendedInfo'), 'Value')).toBe('1.01');
    expect(children(competition, 'Session')).toHaveLength(2);
  });

  it('drops an item list emptied by deletions and lets the last occurrence of a key win', () => {
    const merged = mergeUpdate(
      base,
      update(
        3,
        '<Session SessionCode="WR01" ModificationIndicator="D"/><Session SessionCode="WR02" ModificationIndicator="D"/>' +
          `<Unit Code="${U('700')}" ScheduleStatus="CANCELLED"/><Unit Code="${U('700')}" ScheduleStatus="POSTPONED"/>`,
      ),
    );
    expect(merged.competition?.['Session']).toBeUndefined();
    expect(children(merged.competition ?? undefined, 'Unit').map((u) => attr(u, 'ScheduleStatus'))).toEqual([
      'POSTPONED',
      'SCHEDULED',
      'SCHEDULED',
    ]);
  });

  it('never modifies its inputs', () => {
    const before = JSON.stringify(base);
    const u = update(4, `<Unit Code="${U('700')}" ModificationIndicator="D"/><Unit Code="${U('C00')}"/>`);
    const uBefore = JSON.stringify(u);
    mergeUpdate(base, u);
    expect(JSON.stringify(base)).toBe(before);
    expect(JSON.stringify(u)).toBe(uBefore);
  });

  it('creates the base from an update when there is none (Version 0, so any full document replaces it)', () => {
    const sample = mustParse(fixture('scheduleUpdate'));
    const created = mergeUpdate(null, sample);
    expect(created.header).toEqual({ ...sample.header, documentType: 'DT_SCHEDULE', version: 0 });
    expect(created.key).toBe(base.key);
    expect(created.withdrawal).toBe(false);
    expect(children(created.competition ?? undefined, 'Unit')).toHaveLength(1);
    expect(decide(stateOf(created), base).kind).toBe('apply');
  });

  it('treats a withdrawn base as no base, and returns the base for an update without Competition', () => {
    const withdrawn = mustParse(`<OdfBody ${HEADER} DocumentType="DT_SCHEDULE" Version="5"/>`);
    expect(mergeUpdate(withdrawn, update(1, `<Unit Code="${U('700')}"/>`)).header.version).toBe(0);
    const empty = mustParse(`<OdfBody ${HEADER} DocumentType="DT_SCHEDULE_UPDATE" Version="6"/>`);
    expect(mergeUpdate(base, empty)).toBe(base);
  });

  it('merges DT_PARTIC_UPDATE participants by Code', () => {
    const header =
      'CompetitionCode="OG2024" DocumentCode="ATH-------------------------------" FeedFlag="P" Date="2024-07-01" Time="080000000" Source="OMS"';
    const partic = mustParse(
      `<OdfBody ${header} DocumentType="DT_PARTIC" Version="7"><Competition><Participant Code="1" Status="ACTIVE"/><Participant Code="2" Status="ACTIVE"/></Competition></OdfBody>`,
    );
    const u = mustParse(
      `<OdfBody ${header} DocumentType="DT_PARTIC_UPDATE" Version="1"><Competition><Participant Code="2" Status="INACTIVE"/><Participant Code="3" Status="ACTIVE"/></Competition></OdfBody>`,
    );
    const merged = mergeUpdate(partic, u);
    expect(
      children(merged.competition ?? undefined, 'Participant').map((p) => [
        attr(p, 'Code'),
        attr(p, 'Status'),
      ]),
    ).toEqual([
      ['1', 'ACTIVE'],
      ['2', 'INACTIVE'],
      ['3', 'ACTIVE'],
    ]);
  });

  it('refuses a non-update message and a base of another document', () => {
    expect(() => mergeUpdate(null, base)).toThrow(
      new TypeError('DT_SCHEDULE is not an _UPDATE document type'),
    );
    expect(() => baseKeyOf(base)).toThrow(TypeError);
    const productionUpdate = mustParse(
      `<OdfBody ${HEADER.replace('FeedFlag="T"', 'FeedFlag="P"')} DocumentType="DT_SCHEDULE_UPDATE" Version="1"><Competition/></OdfBody>`,
    );
    expect(() => mergeUpdate(base, productionUpdate)).toThrow(/is not the base of/);
  });
});
