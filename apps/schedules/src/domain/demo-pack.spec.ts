import { parseRsc } from '@podium/odf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConflicts } from './conflicts';
import { type NormalizedPack, parseDataPack, scheduleFromPack } from './data-pack';
import { unitViewIn } from './view';

const DEMO_PATH = join(__dirname, '..', '..', 'data', 'demo-og2024.json');
const raw = JSON.parse(readFileSync(DEMO_PATH, 'utf8')) as {
  units: { rsc: string }[];
  events: { rsc: string }[];
  phases: { rsc: string }[];
};

describe('demo pack demo-og2024.json', () => {
  const result = parseDataPack(raw);

  it('parses with zero rejected rows', () => {
    expect(result.rejected).toEqual([]);
    expect(result.ok).toBe(true);
  });

  const pack = (): NormalizedPack => {
    if (!result.ok) throw new Error('demo pack rejected');
    return result.pack;
  };

  it('has only valid RSCs', () => {
    for (const code of [...raw.units, ...raw.events, ...raw.phases].map((r) => r.rsc)) {
      expect(parseRsc(code)).toMatchObject({ ok: true });
    }
  });

  it('is a realistic Paris-like edition', () => {
    const p = pack();
    expect(p.edition).toMatchObject({ code: 'OG2024', timeZone: 'Europe/Paris', kind: 'OG' });
    expect(p.disciplines.length).toBeGreaterThanOrEqual(4);
    expect(p.venues.length).toBeGreaterThanOrEqual(4);
    expect(p.venues.every((v) => v.locations.length > 0)).toBe(true);
    expect(p.units.length).toBeGreaterThanOrEqual(60);
    expect(p.units.length).toBeLessThanOrEqual(120);
    expect(p.units.filter((u) => u.medal).length).toBeGreaterThanOrEqual(5);
    expect(p.units.filter((u) => u.status === 'UNSCHEDULED').length).toBeGreaterThanOrEqual(2);
    expect(new Set(p.phases.map((ph) => ph.order)).size).toBeGreaterThanOrEqual(3);
  });

  it('spans at least 6 competition days', () => {
    const schedule = scheduleFromPack(pack(), new Date('2024-07-01T00:00:00Z'));
    const days = new Set(
      schedule.units.map((u) => unitViewIn(schedule, u).logicalDate).filter((d) => d !== null),
    );
    expect(days.size).toBeGreaterThanOrEqual(6);
  });

  it('has no conflicts (phase order, overlaps, sessions, opening days)', () => {
    expect(findConflicts(scheduleFromPack(pack(), new Date(0)))).toEqual([]);
  });

  it("puts the men's 100m final at 21:50 in Paris", () => {
    const final = pack().units.find((u) => u.rsc === 'ATHM100M--------------FNL-000100--');
    expect(final).toMatchObject({
      medal: true,
      venue: 'STA',
      location: 'TRACK',
      session: 'ATH04',
      phaseOrder: 3,
    });
    expect(final?.startUtc?.toISOString()).toBe('2024-08-04T19:50:00.000Z');
  });
});
