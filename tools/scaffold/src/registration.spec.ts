import { SERVICES, type ServiceDefinition } from '@podium/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { namesOf, plural } from './names';
import {
  addBakeTarget,
  addReadmeRow,
  addToContractsIndex,
  addToRegistry,
  addToServiceList,
  addValuesEntry,
  markBuiltInArchitecture,
  RegistrationError,
} from './registration';

/**
 * The files the registration edits, as they were before accreditation was scaffolded (git show 0a11e48:<path>), so that
 * scaffolding a service does not change what these tests read (the kit's `prove` target checks the live files).
 */
const FIXTURES = join(__dirname, '__fixtures__', 'before-accreditation');
const read = (path: string): string => readFileSync(join(FIXTURES, `${path.replace(/\//g, '_')}.txt`), 'utf8');
const ticketing: ServiceDefinition = { name: 'ticketing', port: 3008, family: 'OMS', purpose: 'ticket sales' };
const between: ServiceDefinition = { name: 'kit-proof', port: 3003, family: 'ODS', purpose: 'a proof' };
const portOf = (name: string): number | undefined => [...SERVICES, ticketing].find((s) => s.name === name)?.port;

describe('names', () => {
  it('spells a kebab name every way the files need', () => {
    expect(namesOf('results-ingest')).toEqual({
      kebab: 'results-ingest',
      camel: 'resultsIngest',
      pascal: 'ResultsIngest',
      constant: 'RESULTS_INGEST',
      words: 'results ingest',
    });
    expect(() => namesOf('Results_Ingest')).toThrow(/kebab-case/);
    expect([plural('item'), plural('category'), plural('pass'), plural('day')]).toEqual(['items', 'categories', 'passes', 'days']);
  });
});

describe('registration edits', () => {
  it('adds a service to the list in port order and refuses a taken name or port', () => {
    const json = read('libs/contracts/src/services.json');
    const out = JSON.parse(addToServiceList(json, ticketing)) as { services: ServiceDefinition[] };
    expect(out.services.map((s) => s.name).at(-1)).toBe('ticketing');
    expect(out.services.map((s) => s.port)).toEqual([...out.services.map((s) => s.port)].sort((a, b) => a - b));
    expect(() => addToServiceList(json, { ...ticketing, name: 'entries' })).toThrow(RegistrationError);
    expect(() => addToServiceList(json, { ...ticketing, port: 3001 })).toThrow(/schedules/);
  });

  it('adds a bake target and puts it in the default group, alphabetically', () => {
    const out = addBakeTarget(read('docker/docker-bake.hcl'), 'kit-proof');
    expect(out).toMatch(/targets = \["entries", "kit-proof", "results-distribution"/);
    expect(out).toContain('target "kit-proof" {\n  inherits = ["_service"]\n  args     = { SERVICE = "kit-proof" }');
    expect(out.indexOf('target "kit-proof"')).toBeLessThan(out.indexOf('target "results-distribution"'));
    expect(() => addBakeTarget(out, 'kit-proof')).toThrow(RegistrationError);
  });

  it('adds a documented chart values entry before the first service on a higher port', () => {
    const yaml = read('charts/podium/values.yaml');
    const out = addValuesEntry(yaml, ticketing, portOf);
    const values = parse(out) as { services: Record<string, { port: number; database: { enabled: boolean } }> };
    expect(values.services['ticketing']).toMatchObject({ port: 3008, database: { enabled: true } });
    expect(Object.keys(values.services).at(-1)).toBe('ticketing');
    expect(out).toContain('## @param services.ticketing.port HTTP port of the service (PORT)');
    // What followed the services (the next section) is still there, after them.
    expect(out.indexOf('## @section Database migrations')).toBeGreaterThan(out.indexOf('services.ticketing.allowFromIngressController'));
    const middle = parse(addValuesEntry(yaml, between, portOf)) as { services: Record<string, unknown> };
    const keys = Object.keys(middle.services);
    expect(keys.indexOf('kit-proof')).toBe(keys.indexOf('entries') + 1);
    expect(() => addValuesEntry(out, ticketing, portOf)).toThrow(RegistrationError);
  });

  it('adds the README row in port order', () => {
    const out = addReadmeRow(read('README.md'), ticketing);
    expect(out).toContain('| `ticketing` (OMS) | 3008 | ticket sales | http://localhost:3008/docs, [static](docs/reference/http/ticketing.html) |');
    const rows = [...out.matchAll(/^\| `([a-z0-9-]+)` \((?:OMS|ODS)\) \| (\d+) \|/gm)].map((m) => Number(m[2]));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(() => addReadmeRow(out, ticketing)).toThrow(RegistrationError);
  });

  it('registers the subjects file in the contracts registry and index', () => {
    const registry = addToRegistry(read('libs/contracts/src/registry.ts'), 'kit-proof');
    expect(registry).toContain("import { kitProofStreams, kitProofSubjects } from './subjects/kit-proof';");
    expect(registry).toMatch(/defineRegistry\(\[[^\]]*\.\.\.kitProofSubjects\]\)/);
    expect(registry).toMatch(/StreamDefinition\[\] = \[[^\]]*\.\.\.kitProofStreams\]/);
    const index = addToContractsIndex(read('libs/contracts/src/index.ts'), 'kit-proof');
    expect(index).toContain("export * from './subjects/kit-proof';");
    expect(() => addToRegistry(registry, 'kit-proof')).toThrow(RegistrationError);
    expect(() => addToContractsIndex(index, 'kit-proof')).toThrow(RegistrationError);
  });

  it('marks a planned service built in docs/architecture.md, or adds its row in port order', () => {
    const md = read('docs/architecture.md');
    const built = markBuiltInArchitecture(md, { name: 'accreditation', port: 3003, family: 'OMS', purpose: 'cards' });
    expect(built).toMatch(/^\| `accreditation` \| OMS \| 3003 \| .* \| built \|$/m);
    expect(() => markBuiltInArchitecture(built, { name: 'accreditation', port: 3003, family: 'OMS', purpose: 'cards' })).toThrow(RegistrationError);
    const added = markBuiltInArchitecture(md, ticketing);
    expect(added).toContain('| `ticketing` | OMS | 3008 | ticket sales | built |');
    const ports = [...added.matchAll(/^\| `[a-z0-9-]+` \| (?:OMS|ODS) \| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
  });
});
