#!/usr/bin/env node
// `node tools/db/cli.mjs <command> ...` = `npx tsx tools/db/cli.ts <command> ...` (see tools/db/cli.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const cli = new URL('./cli.ts', import.meta.url).pathname;
const result = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
