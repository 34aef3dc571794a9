#!/usr/bin/env node
// `npm run token -- ...`: runs tools/auth/mint-token.ts with tsx. Only the token reaches stdout.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const result = spawnSync(
  'npx',
  ['--no-install', 'tsx', '--tsconfig', join(root, 'tools/auth/tsconfig.json'), join(root, 'tools/auth/mint-token.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) {
  process.stderr.write(`mint-token: cannot run tsx (${result.error.message})\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
