import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseAccreditationPack } from './pack';

const demo = (): Record<string, unknown> & { [k: string]: unknown } =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as Record<string, unknown>;

describe('accreditation reference data pack', () => {
  it('accepts the demo pack, whose venues are the demo schedule\'s', () => {
    const result = parseAccreditationPack(demo());
    expect(result.ok).toBe(true);
    const schedule = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schedules', 'data', 'demo-og2024.json'), 'utf8')) as { venues: { code: string }[] };
    if (!result.ok) return;
    expect(result.pack.venues.map((v) => v.code).sort()).toEqual(schedule.venues.map((v) => v.code).sort());
  });

  it('reports every problem with where it is: unknown references, duplicates, ALL misused, unknown fields', () => {
    const pack = demo() as { categories: { code: string; venues: string[]; zones: string[] }[]; organisations: { quotas: Record<string, number> }[]; zones: { code: string; name: string }[] };
    pack.categories[0]!.venues = ['STA', 'XXX'];
    pack.categories[1]!.zones = ['ALL', '2'];
    pack.organisations[0]!.quotas['NOPE'] = 3;
    pack.zones.push({ code: '1', name: 'again' });
    const result = parseAccreditationPack(pack);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: 'categories[0].venues[1]', message: 'XXX: unknown venue' },
        { path: 'categories[1].zones', message: '"ALL" must be the only zone when present' },
        { path: 'organisations[0].quotas.NOPE', message: 'NOPE: unknown category' },
        { path: 'zones[6].code', message: '1: given twice' },
      ]),
    );
    expect(parseAccreditationPack({ ...demo(), extra: 1 }).ok).toBe(false);
    expect(parseAccreditationPack({ ...demo(), venues: [{ code: 'ALL', name: 'every venue' }] }).ok).toBe(false);
  });

  it('refuses a validity window that ends before it starts', () => {
    const result = parseAccreditationPack({ ...demo(), edition: { code: 'OG2024', validFrom: '2024-08-14T00:00:00Z', validTo: '2024-07-18T00:00:00Z' } });
    expect(result).toEqual({ ok: false, problems: [{ path: 'edition.validTo', message: 'must be after validFrom' }] });
  });
});
