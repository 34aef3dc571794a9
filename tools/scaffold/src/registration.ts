/**
 * The registration points a new service is added to, as pure text edits (string in, string out) so that each is
 * unit-tested and the generator never half-writes a file: the service list, the bake file, the chart values, the
 * README table and the contracts registry. Each edit refuses to add what is already there.
 */
import type { ServiceDefinition } from '@podium/contracts';
import { type Names, namesOf } from './names';

export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
}

/** libs/contracts/src/services.json with `service` added, one service a line, in port order. */
export function addToServiceList(json: string, service: ServiceDefinition): string {
  const doc = JSON.parse(json) as { $comment: string; services: ServiceDefinition[] };
  if (doc.services.some((s) => s.name === service.name)) throw new RegistrationError(`${service.name} is already in the service list`);
  const taken = doc.services.find((s) => s.port === service.port);
  if (taken) throw new RegistrationError(`port ${service.port} is ${taken.name}'s in the service list`);
  const services = [...doc.services, service].sort((a, b) => a.port - b.port);
  const line = (s: ServiceDefinition): string =>
    `    { "name": ${JSON.stringify(s.name)}, "port": ${s.port}, "family": ${JSON.stringify(s.family)}, "purpose": ${JSON.stringify(s.purpose)} }`;
  return `{\n  "$comment": ${JSON.stringify(doc.$comment)},\n  "services": [\n${services.map(line).join(',\n')}\n  ]\n}\n`;
}

/** docker/docker-bake.hcl with a target for the service and the service in the default group (both alphabetical). */
export function addBakeTarget(hcl: string, name: string): string {
  if (new RegExp(`^target "${name}"`, 'm').test(hcl)) throw new RegistrationError(`docker/docker-bake.hcl already has a target "${name}"`);
  const group = /(group "default" \{\s*targets\s*=\s*\[)([^\]]*)(\])/.exec(hcl);
  if (!group) throw new RegistrationError('docker/docker-bake.hcl has no `group "default" { targets = [...] }`');
  const targets = [...(group[2] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
  const sorted = [...targets, name].sort();
  let out = hcl.replace(group[0], `${group[1]}${sorted.map((t) => JSON.stringify(t)).join(', ')}${group[3]}`);
  const block = `target "${name}" {\n  inherits = ["_service"]\n  args     = { SERVICE = "${name}" }\n  tags     = ["\${REGISTRY}/${name}:\${TAG}"]\n}\n`;
  const next = sorted[sorted.indexOf(name) + 1];
  const anchor = next ? out.indexOf(`target "${next}" {`) : -1;
  out = anchor >= 0 ? `${out.slice(0, anchor)}${block}\n${out.slice(anchor)}` : `${out.trimEnd()}\n\n${block}`;
  return out;
}

/** The `services:` entry of charts/podium/values.yaml for a new service (documented with `## @param`). */
export function valuesEntry(service: ServiceDefinition): string {
  const n = service.name;
  return [
    `  ${n}:`,
    `    ## @param services.${n}.enabled Deploy the ${n} service (${service.family}: ${service.purpose})`,
    `    enabled: true`,
    `    ## @param services.${n}.port HTTP port of the service (PORT)`,
    `    port: ${service.port}`,
    `    database:`,
    `      ## @param services.${n}.database.enabled The service owns a PostgreSQL database`,
    `      enabled: true`,
    `      ## @param services.${n}.database.existingSecret Existing Secret with DATABASE_URL, when postgresql.enabled is false`,
    `      existingSecret: ""`,
    `      ## @param services.${n}.database.existingSecretKey Key of DATABASE_URL in that Secret`,
    `      existingSecretKey: DATABASE_URL`,
    `      ## @param services.${n}.database.egress NetworkPolicy egress peers (\`to\`) of an external database`,
    `      egress: []`,
    `    ## @param services.${n}.allowFromIngressController Its API is exposed through an Ingress`,
    `    allowFromIngressController: false`,
    '',
  ].join('\n');
}

/** charts/podium/values.yaml with the service's entry in `services:`, before the first service on a higher port. */
export function addValuesEntry(yaml: string, service: ServiceDefinition, portOf: (name: string) => number | undefined): string {
  const lines = yaml.split('\n');
  const start = lines.indexOf('services:');
  if (start < 0) throw new RegistrationError('charts/podium/values.yaml has no top-level `services:`');
  let end = lines.findIndex((l, i) => i > start && /^\S/.test(l) && !l.startsWith('#'));
  if (end < 0) end = lines.length;
  // The blank lines and section comment before the next top-level key stay after the services.
  while (end > start + 1 && (lines[end - 1]?.trim() === '' || lines[end - 1]?.startsWith('#'))) end--;
  const keys = lines.map((l, i) => ({ i, key: /^ {2}([a-z0-9-]+):\s*$/.exec(l)?.[1] })).filter((k) => k.i > start && k.i < end && k.key);
  if (keys.some((k) => k.key === service.name)) throw new RegistrationError(`charts/podium/values.yaml already has services.${service.name}`);
  const before = keys.find((k) => (portOf(k.key ?? '') ?? Number.MAX_SAFE_INTEGER) > service.port);
  const at = before ? before.i : end;
  const entry = valuesEntry(service).trimEnd().split('\n');
  return [...lines.slice(0, at), ...entry, ...lines.slice(at)].join('\n');
}

/** README.md with the service's row in the "What runs" table, in port order. */
export function addReadmeRow(md: string, service: ServiceDefinition): string {
  const row = /^\| `([a-z0-9-]+)` \((?:OMS|ODS)\) \| (\d+) \|.*$/gm;
  const rows = [...md.matchAll(row)];
  if (rows.length === 0) throw new RegistrationError('README.md has no service table (| `name` (OMS) | port | ... |)');
  if (rows.some((r) => r[1] === service.name)) throw new RegistrationError(`README.md already has a row for ${service.name}`);
  const line = `| \`${service.name}\` (${service.family}) | ${service.port} | ${service.purpose} | http://localhost:${service.port}/docs, [static](docs/reference/http/${service.name}.html) |`;
  const next = rows.find((r) => Number(r[2]) > service.port);
  if (next?.index !== undefined) return `${md.slice(0, next.index)}${line}\n${md.slice(next.index)}`;
  const last = rows[rows.length - 1];
  const endOfLast = (last?.index ?? 0) + (last?.[0].length ?? 0);
  return `${md.slice(0, endOfLast)}\n${line}${md.slice(endOfLast)}`;
}

/** libs/contracts/src/registry.ts with the service's subjects and streams (subjects/<name>.ts) listed. */
export function addToRegistry(registry: string, name: string): string {
  const n: Names = namesOf(name);
  if (registry.includes(`'./subjects/${name}'`)) throw new RegistrationError(`the contracts registry already imports subjects/${name}`);
  const imports = [...registry.matchAll(/^import .* from '\.\/subjects\/[a-z0-9-]+';$/gm)];
  const lastImport = imports[imports.length - 1];
  if (!lastImport || lastImport.index === undefined) throw new RegistrationError('libs/contracts/src/registry.ts imports no subjects file');
  const at = lastImport.index + lastImport[0].length;
  let out = `${registry.slice(0, at)}\nimport { ${n.camel}Streams, ${n.camel}Subjects } from './subjects/${name}';${registry.slice(at)}`;
  const subjects = /(export const subjects = defineRegistry\(\[)([^\]]*)(\]\))/.exec(out);
  const streams = /(export const streams: readonly StreamDefinition\[\] = \[)([^\]]*)(\])/.exec(out);
  if (!subjects || !streams) throw new RegistrationError('libs/contracts/src/registry.ts: cannot find the subjects and streams lists');
  out = out.replace(subjects[0], `${subjects[1]}${subjects[2]}, ...${n.camel}Subjects${subjects[3]}`);
  out = out.replace(streams[0], `${streams[1]}${streams[2]}, ...${n.camel}Streams${streams[3]}`);
  return out;
}

/** libs/contracts/src/index.ts exporting subjects/<name>. */
export function addToContractsIndex(index: string, name: string): string {
  const line = `export * from './subjects/${name}';`;
  if (index.includes(line)) throw new RegistrationError(`libs/contracts/src/index.ts already exports subjects/${name}`);
  const exportsOfSubjects = [...index.matchAll(/^export \* from '\.\/subjects\/[a-z0-9-]+';$/gm)];
  const last = exportsOfSubjects[exportsOfSubjects.length - 1];
  if (!last || last.index === undefined) return `${index.trimEnd()}\n${line}\n`;
  const at = last.index + last[0].length;
  return `${index.slice(0, at)}\n${line}${index.slice(at)}`;
}

/**
 * docs/architecture.md's service table with the service built: its `planned` row turns `built`, or a row is added in
 * port order (what it owns is for the author to fill in).
 */
export function markBuiltInArchitecture(md: string, service: ServiceDefinition): string {
  const row = /^\| `([a-z0-9-]+)` \| (?:OMS|ODS) \| (\d+) \| [^|]* \| (built|planned) \|$/gm;
  const rows = [...md.matchAll(row)];
  if (rows.length === 0) throw new RegistrationError('docs/architecture.md has no service table (| `name` | family | port | owns | status |)');
  const own = rows.find((r) => r[1] === service.name);
  if (own?.index !== undefined) {
    if (own[3] === 'built') throw new RegistrationError(`docs/architecture.md already lists ${service.name} as built`);
    const line = own[0].replace(/\| planned \|$/, '| built |');
    return `${md.slice(0, own.index)}${line}${md.slice(own.index + own[0].length)}`;
  }
  const line = `| \`${service.name}\` | ${service.family} | ${service.port} | ${service.purpose} | built |`;
  const next = rows.find((r) => Number(r[2]) > service.port);
  if (next?.index !== undefined) return `${md.slice(0, next.index)}${line}\n${md.slice(next.index)}`;
  const last = rows[rows.length - 1];
  const end = (last?.index ?? 0) + (last?.[0].length ?? 0);
  return `${md.slice(0, end)}\n${line}${md.slice(end)}`;
}
