/**
 * The package as a partner gets it: `npm pack` (its prepack builds dist/), `npm install` of the tarball in a temporary
 * project outside the workspace (nats, ws and zod from the registry or npm's cache), then imported from there by Node
 * (CommonJS and ESM) and typechecked by a TypeScript consumer: no workspace path, alias or lib is needed at run time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'partner-sdk-pack-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('installs from its tarball outside the workspace and works there', () => {
  execFileSync('npm', ['pack', '--pack-destination', scratch], { cwd: packageDir, stdio: 'pipe' });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBe('podium-partner-sdk-0.1.0.tgz');
  const listing = execFileSync('tar', ['-tzf', join(scratch, tarball as string)], { encoding: 'utf8' }).split('\n');
  expect(listing).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/vendor/contracts/index.js']));
  expect(listing.some((f) => f.includes('/src/') || f.endsWith('.spec.js'))).toBe(false);

  const app = join(scratch, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'partner-app', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(scratch, tarball as string)], { cwd: app, stdio: 'pipe' });

  const example = `{"stream":"RESULTS","seq":7,"feedFlag":"P","documentType":"DT_RESULT"}`;
  writeFileSync(
    join(app, 'check.cjs'),
    `const sdk = require('@podium/partner-sdk');
const { resultsDocumentPublished } = sdk;
const good = new TextEncoder().encode(JSON.stringify({ id: '6f1b1c2e-1f7b-5d57-9a53-7a3a2b1c0d9e', type: resultsDocumentPublished.type, source: resultsDocumentPublished.source, time: '2024-08-04T19:58:12.401Z', dataschema: resultsDocumentPublished.dataschema, datacontenttype: 'application/json', data: resultsDocumentPublished.example }));
const parsed = sdk.parseResult('ods.results.v1.ATH.ATHM100M--------------FNL-000100--.DT_RESULT', good);
const bad = sdk.parseResult('ods.results.v1.ATH.X.DT_RESULT', new TextEncoder().encode('{}'));
console.log(JSON.stringify({ ok: parsed.ok, version: parsed.ok && parsed.envelope.data.version, bad: bad.ok, badFields: bad.ok ? [] : bad.errors.map((e) => e.field).slice(0, 2), filter: sdk.resultsFilterSubject({ discipline: 'ATH' }), doc: sdk.cisDocumentSchema.safeParse(${example}).success, resolved: require.resolve('@podium/partner-sdk') }));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ['check.cjs'], { cwd: app, encoding: 'utf8' })) as Record<string, unknown>;
  expect(out).toEqual({
    ok: true,
    version: 7,
    bad: false,
    badFields: ['id', 'type'],
    filter: 'ods.results.v1.ATH.*.*',
    doc: false,
    resolved: join(app, 'node_modules', '@podium', 'partner-sdk', 'dist', 'index.js'),
  });

  writeFileSync(join(app, 'check.mjs'), `import { CisClient, connectPartner, followResults } from '@podium/partner-sdk';\nconsole.log([typeof CisClient, typeof connectPartner, typeof followResults].join(','));\n`);
  expect(execFileSync(process.execPath, ['check.mjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe('function,function,function');

  writeFileSync(
    join(app, 'consumer.ts'),
    `import { followResults, type PartnerConnection, type ResultDocument } from '@podium/partner-sdk';
export async function run(connection: PartnerConnection): Promise<number> {
  let last = 0;
  const follower = await followResults({ connection, handler: (r) => { const d: ResultDocument = r.data; last = d.version; } });
  await follower.stop();
  return last;
}
// @ts-expect-error version is a number in the contract
export const wrong: ResultDocument['version'] = 'seven';
`,
  );
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });
});
