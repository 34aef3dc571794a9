import { migrationChecksum } from './checksum';
import type { MigrationFile } from './migration-files';
import { type MigrationRow, planMigrations } from './migration-plan';

const file = (name: string, script = `-- ${name}\n`): MigrationFile => ({
  name,
  path: `/m/${name}/migration.sql`,
  script,
  checksum: migrationChecksum(script),
});

const row = (name: string, overrides: Partial<MigrationRow> = {}): MigrationRow => ({
  id: `id-${name}`,
  checksum: migrationChecksum(`-- ${name}\n`),
  finished_at: new Date('2025-01-01T00:00:01Z'),
  migration_name: name,
  logs: null,
  rolled_back_at: null,
  started_at: new Date('2025-01-01T00:00:00Z'),
  applied_steps_count: 1,
  ...overrides,
});

describe('planMigrations', () => {
  const files = [file('20250101000000_init'), file('20250102000000_two'), file('20250103000000_three')];

  it('plans every migration on an empty database', () => {
    const plan = planMigrations(files, []);
    expect(plan.pending.map((m) => m.name)).toEqual(files.map((m) => m.name));
    expect(plan.applied).toEqual([]);
  });

  it('skips finished migrations and keeps the folder order for the rest', () => {
    const plan = planMigrations(files, [row('20250101000000_init')]);
    expect(plan.applied).toEqual(['20250101000000_init']);
    expect(plan.pending.map((m) => m.name)).toEqual(['20250102000000_two', '20250103000000_three']);
    expect(plan.failed).toEqual([]);
    expect(plan.modified).toEqual([]);
  });

  it('reports a started but unfinished migration as failed', () => {
    const plan = planMigrations(files, [row('20250101000000_init'), row('20250102000000_two', { finished_at: null })]);
    expect(plan.failed.map((r) => r.migration_name)).toEqual(['20250102000000_two']);
  });

  it('treats a migration marked rolled back as not applied and not failed', () => {
    const plan = planMigrations(files, [
      row('20250101000000_init'),
      row('20250102000000_two', { finished_at: null, rolled_back_at: new Date() }),
    ]);
    expect(plan.failed).toEqual([]);
    expect(plan.pending.map((m) => m.name)).toEqual(['20250102000000_two', '20250103000000_three']);
  });

  it('does not report an old failure once the migration was re-applied', () => {
    const plan = planMigrations(files, [
      row('20250101000000_init', { finished_at: null, id: 'first-attempt' }),
      row('20250101000000_init'),
    ]);
    expect(plan.failed).toEqual([]);
    expect(plan.applied).toEqual(['20250101000000_init']);
  });

  it('names applied migrations whose file changed', () => {
    const edited = [file('20250101000000_init', '-- edited\n'), ...files.slice(1)];
    const plan = planMigrations(edited, [row('20250101000000_init'), row('20250102000000_two')]);
    expect(plan.modified).toEqual(['20250101000000_init']);
  });

  it('lists applied migrations missing from the directory', () => {
    const plan = planMigrations(files.slice(0, 1), [row('20250101000000_init'), row('20250102000000_two')]);
    expect(plan.missingLocally).toEqual(['20250102000000_two']);
  });
});
