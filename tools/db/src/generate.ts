/**
 * `prisma generate` for a service, offline: Prisma 7 only needs a schema-engine path to exist (it does not
 * run it for generate), so PRISMA_SCHEMA_ENGINE_BINARY points at the Node binary. The generated client is
 * stamped with a hash of the schema and the Prisma version, and an unchanged schema is not generated again:
 * every Nx target depends on prisma-generate, so this keeps them fast.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const STAMP = '.schema-hash';

/** The directory the `generator client` block writes to (its `output`, relative to the schema). */
export function generatorOutput(schemaPath: string, source: string): string | null {
  const block = /generator\s+\w+\s*\{([^}]*)\}/.exec(source)?.[1];
  const output = block ? /^\s*output\s*=\s*"([^"]+)"/m.exec(block)?.[1] : undefined;
  return output ? resolve(dirname(schemaPath), output) : null;
}

function prismaVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(require.resolve('prisma/package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export interface GenerateResult {
  service: string;
  status: 'generated' | 'up-to-date';
  ms: number;
}

export async function generateClient(service: string, schemaPath: string, options: { force?: boolean } = {}): Promise<GenerateResult> {
  const started = Date.now();
  const source = await readFile(schemaPath, 'utf8');
  const output = generatorOutput(schemaPath, source);
  const hash = createHash('sha256').update(`${prismaVersion()}\n${source}`).digest('hex');
  const stamp = output ? join(output, STAMP) : null;
  if (!options.force && stamp && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === hash) {
    return { service, status: 'up-to-date', ms: Date.now() - started };
  }
  const cli = require.resolve('prisma/build/index.js');
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env['PRISMA_SCHEMA_ENGINE_BINARY'] || process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  };
  const { code, output: log } = await new Promise<{ code: number | null; output: string }>((done, fail) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schemaPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', fail);
    child.on('close', (exitCode) => done({ code: exitCode, output: text }));
  });
  if (code !== 0) throw new Error(`prisma generate failed for ${service} (${schemaPath}):\n${log.trim()}`);
  if (stamp) await writeFile(stamp, `${hash}\n`);
  return { service, status: 'generated', ms: Date.now() - started };
}
