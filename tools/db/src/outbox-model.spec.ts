/**
 * The outbox table has one owner, the platform (libs/platform/src/outbox/outbox.prisma and the SQL it renders to,
 * outbox.table.sql): every service schema that declares it holds that block verbatim, and every service that wires
 * the OutboxModule declares it. Migrations follow their schema (`node tools/db/cli.mjs drift all`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchemaSql, loadDesiredSchema } from './planner';
import { listServices, servicePaths, WORKSPACE_ROOT } from './services';

const OUTBOX_DIR = join(WORKSPACE_ROOT, 'libs', 'platform', 'src', 'outbox');
const canonical = readFileSync(join(OUTBOX_DIR, 'outbox.prisma'), 'utf8');
/** The model block: from its doc comment to its closing brace (the file's header comment is not part of it). */
const block = canonical.slice(canonical.indexOf('///')).trimEnd();

function sourcesOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'generated' ? [] : sourcesOf(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const usesOutbox = (service: string): boolean =>
  sourcesOf(join(WORKSPACE_ROOT, 'apps', service, 'src')).some((f) => /\bOutboxModule\.for/.test(readFileSync(f, 'utf8')));

describe('the outbox model, owned by the platform', () => {
  it('is one model block mapped to outbox_event', () => {
    expect(block).toMatch(/^\/\/\/[^]*\nmodel OutboxEvent \{[^]*@@map\("outbox_event"\)\n\}$/);
  });

  it.each(listServices())('is declared verbatim by %s when it declares or uses an outbox', (service) => {
    const schema = readFileSync(servicePaths(service).schemaPath, 'utf8');
    const declares = /@@map\("outbox_event"\)/.test(schema);
    if (!declares && !usesOutbox(service)) return;
    expect({ service, holdsPlatformBlock: schema.includes(block) }).toEqual({ service, holdsPlatformBlock: true });
  });

  it('renders to outbox.table.sql, the DDL every outbox migration holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-outbox-'));
    try {
      const schemaPath = join(dir, 'schema.prisma');
      writeFileSync(schemaPath, `datasource db {\n  provider = "postgresql"\n}\n\n${block}\n`);
      const sql = createSchemaSql(await loadDesiredSchema(schemaPath));
      expect(readFileSync(join(OUTBOX_DIR, 'outbox.table.sql'), 'utf8')).toBe(sql);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
