import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv';
import { eventLabel } from './labels';
import { parseRulesPack } from './rules-pack';

const data = join(__dirname, '..', '..', 'data');
const read = (file: string) => readFileSync(join(data, file), 'utf8');
function rows(file: string): Record<string, string>[] {
  const csv = parseCsv(read(file));
  if (!csv.ok) throw new Error(`${file}:${csv.line}: ${csv.error}`);
  return csv.rows.map((r) => r.values);
}

describe('the OG2024 demo data', () => {
  const parsed = parseRulesPack(JSON.parse(read('rules-og2024.json')));
  const schedule = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schedules', 'data', 'demo-og2024.json'), 'utf8')) as {
    events: { rsc: string }[];
  };

  it('is a valid rules pack covering the issue examples', () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors, null, 2));
    const rule = (code: string) => parsed.pack.events.find((r) => eventLabel(r.event) === code);
    expect(rule('ATHM100M')).toMatchObject({ maxPerNoc: 3, qualification: 'entry-standard', standard: { better: 'lower' } });
    expect(rule('ATHX4X400M')?.team?.composition?.map((s) => [s.gender, s.count])).toEqual([
      ['M', 2],
      ['W', 2],
    ]);
    expect(rule('JUDXTEAM')?.team?.composition?.filter((s) => s.requiresEntryIn).length).toBe(6);
    expect(parsed.pack.quotaPlaces.some((p) => p.kind === 'UNIVERSALITY')).toBe(true);
    expect(parsed.pack.quotaPlaces.some((p) => p.kind === 'ATHLETE')).toBe(true);
  });

  it('uses the event codes of the schedules demo (the judo mixed team is not in it yet)', () => {
    if (!parsed.ok) throw new Error('invalid pack');
    const scheduled = new Set(schedule.events.map((e) => e.rsc));
    expect(parsed.pack.events.filter((r) => !scheduled.has(r.event)).map((r) => eventLabel(r.event))).toEqual(['JUDXTEAM']);
  });

  it('has CSVs whose rows refer to known athletes, NOCs and events', () => {
    if (!parsed.ok) throw new Error('invalid pack');
    const nocs = new Set(parsed.pack.nocs.map((n) => n.code));
    const events = new Set(parsed.pack.events.map((r) => eventLabel(r.event)));
    const athletes = rows('athletes-og2024.csv');
    const ids = new Set(athletes.map((a) => a['if_id']));
    expect(athletes.every((a) => nocs.has(a['noc'] ?? ''))).toBe(true);
    for (const file of ['performances-og2024.csv', 'entries-og2024.csv']) {
      for (const row of rows(file)) {
        expect(ids.has(row['if_id'])).toBe(true);
        expect(events.has(row['event'] ?? '')).toBe(true);
      }
    }
    expect(rows('entry-numbers-og2024.csv').every((r) => events.has(r['event'] ?? '') && nocs.has(r['noc'] ?? ''))).toBe(true);
  });
});
