#!/usr/bin/env node
/**
 * Test oracle: asks Prisma's own schema engine (the wasm build that ships inside node_modules with
 * @prisma/internals) for the migration SQL between two Prisma schemas, without any database work
 * (`migrate diff --from-schema --to-schema --script`). The integration tests compare the offline
 * generator's output with it. Not used by the CLI: this is an internal Prisma API.
 *
 * stdin: {"from": "<schema text or empty string for an empty database>", "to": "<schema text>"}
 * stdout: the SQL script. Needs a reachable PostgreSQL (TEST_DATABASE_URL / DATABASE_URL / local).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, '');
const runtime = await import(`${base}schema_engine_bg.js`);
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(`${base}schema_engine_bg.wasm`)), {
  './schema_engine_bg.js': runtime,
});
runtime.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

const { PrismaPg } = require('@prisma/adapter-pg');
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

const input = JSON.parse(readFileSync(0, 'utf8'));
const target = (content, path) => ({ tag: 'schemaDatamodel', files: [{ path, content }] });
// The engine connects (read-only: it asks for the server version); a datamodel-to-datamodel diff changes nothing.
const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
const engine = await runtime.SchemaEngine.new({ datamodels: [['to.prisma', input.to]] }, () => undefined, adapter);
const result = await engine.diff({
  from: input.from ? target(input.from, 'from.prisma') : { tag: 'empty' },
  to: target(input.to, 'to.prisma'),
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
process.stdout.write(result.stdout ?? '');
process.exit(0);
