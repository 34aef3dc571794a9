/**
 * Validates rendered Kubernetes objects:
 * 1. against the Kubernetes OpenAPI schemas compiled into kubernetes-models (types, enums, required fields);
 * 2. for unknown fields, which those schemas accept: each object is walked against the TypeScript declarations of the
 *    same models (the TypeScript compiler API gives the declared properties at every level), so a misspelt or
 *    misplaced field (`readinessprobe`, `spec.template.securityContext.capabilites`) fails;
 * 3. custom resources (CloudNativePG `Cluster`, Prometheus operator `ServiceMonitor`/`PodMonitor`) against strict
 *    schemas of the fields Podium uses, unknown fields included (crd-schemas.ts);
 * 4. pod templates for what the API server refuses beyond the schemas: duplicate container or volume names, a mount
 *    of an undeclared volume, two mounts at one path in a container (a subchart's own mounts plus a patch can do that).
 */
import { join } from 'node:path';
import ts from 'typescript';
import { WORKSPACE_ROOT } from './apps';
import { CRD_SCHEMAS } from './crd-schemas';
import type { K8sObject } from './helm';

interface ModelInfo {
  /** Module specifier of the model (kubernetes-models/apps/v1/Deployment). */
  module: string;
  /** Name of the exported class and of its `I<Kind>` interface. */
  kind: string;
}

/** Module of the model of an apiVersion/kind, or undefined when no model package covers it. */
export function modelOf(apiVersion: string, kind: string): ModelInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!version || !/^[A-Za-z]+$/.test(kind)) return undefined;
  if (CRD_SCHEMAS[`${apiVersion}/${kind}`]) return undefined;
  if (group === '') return { module: `kubernetes-models/${version}/${kind}`, kind };
  return { module: `kubernetes-models/${group}/${version}/${kind}`, kind };
}

type ModelClass = new (data: unknown) => { validate(): void };

function loadModel(info: ModelInfo): ModelClass {
  let mod: Record<string, unknown>;
  try {
    mod = require(info.module) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`No model for ${info.module} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const cls = mod[info.kind];
  if (typeof cls !== 'function') throw new Error(`${info.module} does not export ${info.kind}`);
  return cls as ModelClass;
}

export interface ObjectProblem {
  object: string;
  problem: string;
}

export function describe(obj: K8sObject): string {
  return `${obj.kind}/${obj.metadata.name}`;
}

/** Schema validation (kubernetes-models / CRD schemas). */
export function schemaProblems(obj: K8sObject): string[] {
  const crd = CRD_SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
  if (crd) {
    const result = crd.safeParse(obj);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const info = modelOf(obj.apiVersion, obj.kind);
  if (!info) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
  const Model = loadModel(info);
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    const details = (err as { errors?: { instancePath?: string; message?: string; params?: unknown }[] }).errors;
    if (Array.isArray(details) && details.length > 0) {
      return details.map((d) => `${d.instancePath || '(root)'}: ${d.message ?? 'invalid'} ${d.params ? JSON.stringify(d.params) : ''}`.trim());
    }
    return [err instanceof Error ? err.message : String(err)];
  }
}

// --- unknown fields, from the models' TypeScript declarations ---

const VIRTUAL_FILE = join(WORKSPACE_ROOT, 'tools', 'deploy', '__k8s_model_types__.ts');

class TypeCatalog {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor(models: readonly ModelInfo[]) {
    const lines = models.map((m, i) => `import type { I${m.kind} as T${i} } from '${m.module}';\nexport type M${i} = T${i};`);
    const source = lines.join('\n');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const original = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
    host.fileExists = (f) => f === VIRTUAL_FILE || original.fileExists(f);
    host.readFile = (f) => (f === VIRTUAL_FILE ? source : original.readFile(f));
    host.getSourceFile = (f, lang, ...rest) =>
      f === VIRTUAL_FILE ? ts.createSourceFile(f, source, lang, true) : original.getSourceFile(f, lang, ...rest);
    this.program = ts.createProgram([VIRTUAL_FILE], options, host);
    this.checker = this.program.getTypeChecker();
    const file = this.program.getSourceFile(VIRTUAL_FILE);
    if (!file) throw new Error('type catalog: virtual file missing');
    const unresolved = ts.getPreEmitDiagnostics(this.program, file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (unresolved.length > 0) throw new Error(`type catalog: ${unresolved.join('; ')}`);
    file.forEachChild((node) => {
      if (ts.isTypeAliasDeclaration(node)) {
        const index = Number(node.name.text.slice(1));
        const model = models[index];
        if (model) this.types.set(model.module, this.checker.getTypeAtLocation(node.name));
      }
    });
  }

  typeOf(module: string): ts.Type | undefined {
    return this.types.get(module);
  }

  /** Unknown fields of `value` against `type`, as paths. */
  unknownFields(value: unknown, type: ts.Type, path: string): string[] {
    if (value === null || value === undefined || typeof value !== 'object') return [];
    const t = this.checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
    if (t.isUnion()) {
      const candidates = t.types.filter((m) => (Array.isArray(value) ? this.checker.isArrayType(m) : this.isObjectType(m)));
      if (candidates.length === 0) return [];
      let best: string[] | undefined;
      for (const candidate of candidates) {
        const problems = this.unknownFields(value, candidate, path);
        if (problems.length === 0) return [];
        if (!best || problems.length < best.length) best = problems;
      }
      return best ?? [];
    }
    if (Array.isArray(value)) {
      if (!this.checker.isArrayType(t)) return [];
      const element = this.checker.getTypeArguments(t as ts.TypeReference)[0];
      if (!element) return [];
      return value.flatMap((item, i) => this.unknownFields(item, element, `${path}[${i}]`));
    }
    if (!this.isObjectType(t)) return [];
    const record = value as Record<string, unknown>;
    const indexType = this.checker.getIndexTypeOfType(t, ts.IndexKind.String);
    const properties = this.checker.getPropertiesOfType(t);
    if (properties.length === 0 && !indexType) return [];
    const problems: string[] = [];
    for (const [key, child] of Object.entries(record)) {
      const property = t.getProperty(key);
      const childPath = path ? `${path}.${key}` : key;
      if (property) problems.push(...this.unknownFields(child, this.checker.getTypeOfSymbol(property), childPath));
      else if (indexType) problems.push(...this.unknownFields(child, indexType, childPath));
      else problems.push(`${childPath}: unknown field`);
    }
    return problems;
  }

  private isObjectType(t: ts.Type): boolean {
    return (t.flags & ts.TypeFlags.Object) !== 0 && !this.checker.isArrayType(t);
  }
}

let catalog: { key: string; value: TypeCatalog } | undefined;

function catalogFor(models: readonly ModelInfo[]): TypeCatalog {
  const key = models.map((m) => m.module).sort().join(',');
  if (!catalog || catalog.key !== key) catalog = { key, value: new TypeCatalog(models) };
  return catalog.value;
}

/** Unknown fields of each object (CRDs with a strict zod schema are checked by it instead). */
export function unknownFieldProblems(objects: readonly K8sObject[]): ObjectProblem[] {
  const models = new Map<string, ModelInfo>();
  for (const obj of objects) {
    const info = modelOf(obj.apiVersion, obj.kind);
    if (info) models.set(info.module, info);
  }
  if (models.size === 0) return [];
  const types = catalogFor([...models.values()].sort((a, b) => a.module.localeCompare(b.module)));
  const problems: ObjectProblem[] = [];
  for (const obj of objects) {
    const info = modelOf(obj.apiVersion, obj.kind);
    if (!info) continue;
    const type = types.typeOf(info.module);
    if (!type) {
      problems.push({ object: describe(obj), problem: `no type for ${info.module}` });
      continue;
    }
    for (const problem of types.unknownFields(obj, type, '')) problems.push({ object: describe(obj), problem });
  }
  return problems;
}

// --- pod templates: what the API server's validation refuses and the OpenAPI schemas accept ---

interface PodTemplateParts {
  path: string;
  containers?: { name?: string; volumeMounts?: { name?: string; mountPath?: string }[] }[];
  initContainers?: PodTemplateParts['containers'];
  volumes?: { name?: string }[];
}

function podTemplateOf(obj: K8sObject): { spec: PodTemplateParts; claimTemplates: string[] } | undefined {
  const spec = obj['spec'] as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return { spec: { ...(spec as Omit<PodTemplateParts, 'path'>), path: 'spec' }, claimTemplates: [] };
  const jobTemplate = (spec['jobTemplate'] as { spec?: { template?: { spec?: object } } } | undefined)?.spec?.template?.spec;
  const template = (spec['template'] as { spec?: object } | undefined)?.spec;
  const podSpec = template ?? jobTemplate;
  if (!podSpec) return undefined;
  const claims = ((spec['volumeClaimTemplates'] as { metadata?: { name?: string } }[] | undefined) ?? []).flatMap((c) => (c.metadata?.name ? [c.metadata.name] : []));
  return { spec: { ...(podSpec as Omit<PodTemplateParts, 'path'>), path: template ? 'spec.template.spec' : 'spec.jobTemplate.spec.template.spec' }, claimTemplates: claims };
}

function duplicates(values: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) {
    if (v === undefined) continue;
    if (seen.has(v)) repeated.add(v);
    seen.add(v);
  }
  return [...repeated];
}

/** Problems of a pod template the API server would refuse (names and mounts). */
export function podTemplateProblems(obj: K8sObject): string[] {
  const found = podTemplateOf(obj);
  if (!found) return [];
  const { spec, claimTemplates } = found;
  const problems: string[] = [];
  const volumes = (spec.volumes ?? []).map((v) => v.name);
  for (const name of duplicates(volumes)) problems.push(`${spec.path}.volumes: duplicate volume name ${name}`);
  const declared = new Set([...volumes.filter((v): v is string => v !== undefined), ...claimTemplates]);
  const groups = [
    ['containers', spec.containers ?? []],
    ['initContainers', spec.initContainers ?? []],
  ] as const;
  for (const name of duplicates(groups.flatMap(([, cs]) => cs.map((c) => c.name)))) problems.push(`${spec.path}: duplicate container name ${name}`);
  for (const [field, containers] of groups) {
    containers.forEach((c, i) => {
      const where = `${spec.path}.${field}[${i}]`;
      const mounts = c.volumeMounts ?? [];
      for (const path of duplicates(mounts.map((m) => m.mountPath))) problems.push(`${where}.volumeMounts: ${path} is mounted twice`);
      for (const m of mounts) if (m.name && !declared.has(m.name)) problems.push(`${where}.volumeMounts: ${m.name} is not a declared volume`);
    });
  }
  return problems;
}

/** Every problem of every object: schema violations, unknown fields, refused pod templates. */
export function validateObjects(objects: readonly K8sObject[]): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  for (const obj of objects) {
    for (const problem of [...schemaProblems(obj), ...podTemplateProblems(obj)]) problems.push({ object: describe(obj), problem });
  }
  problems.push(...unknownFieldProblems(objects));
  return problems;
}
