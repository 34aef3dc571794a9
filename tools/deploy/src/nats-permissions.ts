/**
 * NATS users and permissions derived from the contracts (libs/contracts): who may publish, read and manage what, with
 * the least each user needs. Read as an attacker holding one credential:
 *
 * - Each service may publish only the subjects whose contract `source` is `podium/<service>` and its own dead letters
 *   (`dlq.<service>.>`); it receives replies only on its own inbox prefix (`_INBOX_<service>`, which the platform's
 *   connection sets). Of the JetStream API it gets exactly what the platform and the service call: the account info,
 *   STREAM.INFO and STREAM.CREATE of the declared streams (a create of an existing stream with another configuration is
 *   refused by the server: it cannot change a stream), and the consumer operations on its own consumers only. No
 *   service may update, delete, purge, snapshot or restore a stream, or touch another principal's consumer. A service
 *   granted message deletes on a stream it owns (SERVICE_MESSAGE_DELETES: volunteers on VOLUNTEERS, to erase a person's
 *   hand-overs) may delete single messages there, and on no other stream (each denied by name).
 * - Consumers: NATS permission wildcards stand for whole tokens and a consumer name is one token, so a name prefix
 *   cannot be granted. A service with fixed durable names gets those names exactly (create, info, next, ack; no delete,
 *   so that it cannot re-create its durable with another configuration).
 * - A service whose consumer names are made at run time (results-distribution: one durable per instance, ephemeral
 *   ordered consumers for the feed) must be free to create consumers, and NATS checks a push consumer's deliver subject
 *   against no permission of its creator (nats-server issue #8274): in the account of the streams, such a service could
 *   have JetStream deliver stream messages onto any subject of any other principal (a service's intake, a subject
 *   another stream captures). So it gets an account of its own (`accounts.isolated`): the streams it follows are
 *   mirrored there under the same names (same sequences), created by that account's deploy-time admin; it creates its
 *   consumers freely on those mirrors and creates no stream. Its account imports from the main account only what the
 *   mirrors need (consumer creation on the followed streams, their flow control, the delivery prefix of the mirrors)
 *   and, as services, the subjects it publishes (its dead letters): whatever it delivers onto lands in its own account.
 * - Partners (a list in the chart values, expanded by the chart from the `partner` template here): one user each, with
 *   its own inbox prefix, subscribe on the public subjects, and on the public streams only its own durable
 *   `partner_<name>` (info, next, ack), which the deployment declares (the `jetstream-admin` Job): partners create,
 *   update and delete no consumer, so none can point a push consumer's deliver subject at another subject.
 * - `jetstream-admin`: the deploy-time user (the chart's jetstream-admin Job) that creates and updates the streams to
 *   the contracts' settings and replicas (`streamConfigs`) before the services start, which they may not update, and
 *   declares the partners' durables; it can neither delete nor purge a stream.
 * - `helm-test` may only do a request/reply on its own subjects and read the JetStream account info.
 *
 * The chart renders charts/podium/files/nats-permissions.json (written by tools/helm/nats-permissions.ts) into the
 * NATS server's authorization block. Pure: no I/O here (the CLI passes the contracts, the consumers and the platform's
 * dead-letter names in).
 */
import { type StreamDefinition, subjectMatches } from '@podium/contracts';

/** Public results subjects, readable by partners (ODS). */
export const PUBLIC_SUBJECTS = 'ods.results.v1.>';
/** Subjects of the `helm test` request/reply. */
export const HELM_TEST_SUBJECTS = 'podium.helm-test.>';
export const HELM_TEST_INBOX_PREFIX = '_INBOX_helm_test';
export const ADMIN_USER = 'jetstream-admin';
export const ADMIN_INBOX_PREFIX = '_INBOX_jetstream_admin';
/** Placeholder of the partner's name in the partner template (the chart substitutes it). */
export const PARTNER_PLACEHOLDER = '{partner}';
/** The account of every principal but the isolated services (see `accounts`). */
export const MAIN_ACCOUNT = 'PODIUM';
/** How an isolated account reaches the main account's JetStream API (the mirrors' `external.api`). */
export const MAIN_API_PREFIX = `$JS.${MAIN_ACCOUNT}.API`;
/** Names NATS accepts for a consumer (the platform's durable names use the same characters). */
const CONSUMER_NAME = /^[A-Za-z0-9_-]+$/;

/** The inbox prefix of a service's connection (libs/platform nats.connection sets `inboxPrefix` to it). */
export function serviceInboxPrefix(service: string): string {
  return `_INBOX_${service}`;
}

/** The NATS user of a partner ('acme' -> 'partner-acme'). */
export function partnerUser(partner: string): string {
  return `partner-${partner}`;
}

/** The only durable a partner may read ('acme' -> 'partner_acme'). */
export function partnerDurable(partner: string): string {
  return `partner_${partner}`;
}

/** The inbox prefix a partner must connect with ('acme' -> '_INBOX_partner_acme'). */
export function partnerInboxPrefix(partner: string): string {
  return `_INBOX_partner_${partner}`;
}

export interface ContractSubject {
  subject: string;
  source: string;
  stream: string;
}

export interface ContractStream {
  name: string;
  subjects: readonly string[];
}

/** The consumers a service creates on a stream: fixed durable names, or `'any'` for names made at run time. */
export interface ConsumerGrant {
  service: string;
  stream: string;
  durables: readonly string[] | 'any';
}

/**
 * A service allowed to delete single messages of a stream it owns (JetStream's STREAM.MSG.DELETE), e.g. to erase a
 * person's data from its own events (volunteers: the hand-overs on VOLUNTEERS after a GDPR erasure). It gets that one
 * subject; the other streams' message deletes stay denied by name, and it may still not purge, update or delete a stream.
 */
export interface MessageDeleteGrant {
  service: string;
  stream: string;
}

/** A core NATS request/reply subject and the service answering it. */
export interface RpcSubject {
  subject: string;
  service: string;
}

export interface PermissionSet {
  allow: string[];
  deny: string[];
}

export interface UserPermissions {
  /** NATS user name. */
  user: string;
  /** Key of the password in the NATS credentials Secret (also the env var suffix on the NATS server). */
  secretKey: string;
  /** The inbox prefix the user must connect with (nats.js `inboxPrefix`): the only replies it can receive. */
  inboxPrefix: string;
  publish: PermissionSet;
  subscribe: PermissionSet;
  /** May answer requests it received (publish once to their reply subject). */
  allowResponses: boolean;
}

export interface StreamOwnership {
  name: string;
  subjects: string[];
  /** The service publishing the stream's subjects (null for the dead-letter stream, which every service writes). */
  owner: string | null;
  /** Captures only public subjects: partners may consume it. */
  public: boolean;
}

/**
 * The settings of a stream the platform manages, as JetStream takes them (what libs/platform's streamConfig makes of a
 * StreamDefinition, without NATS_PREFIX and replicas): the jetstream-admin Job creates or updates each stream to it.
 * A difference from the platform's would make a service try STREAM.UPDATE, which it may not: the integration spec
 * declares every stream through the platform after the Job and fails then.
 */
export interface ManagedStreamConfig {
  name: string;
  subjects: string[];
  description: string;
  retention: StreamDefinition['retention'];
  storage: StreamDefinition['storage'];
  /** Nanoseconds; 0 = unlimited. */
  max_age: number;
  /** Nanoseconds (0 in the definition: the server's default, 2 min). */
  duplicate_window: number;
  /** -1 = unlimited. */
  max_msgs_per_subject: number;
}

/** A subject one account exports and another imports (NATS `exports` / `imports` entries). */
export interface AccountLink {
  /** service: requests (a JetStream publish and its ack, an API call); stream: messages one way. */
  kind: 'service' | 'stream';
  /** The subject in the exporting account. */
  subject: string;
  /** The subject in the importing account, when not the same (a service import's `to`). */
  to?: string;
}

/** A stream of the main account mirrored into an isolated account under the same name. */
export interface AccountMirror {
  name: string;
  /** The delivery subject prefix of the mirror's consumer in the main account (`external.deliver`). */
  deliver: string;
}

/**
 * A service with an account of its own: the streams it follows mirrored there, what the main account exports to it
 * (and it imports), and the deploy-time user that creates the mirrors.
 */
export interface IsolatedAccount {
  account: string;
  service: string;
  /** The main account's JetStream API as the mirrors reach it (`external.api`). */
  api: string;
  mirrors: AccountMirror[];
  /** Exported by the main account to this one and imported here. */
  links: AccountLink[];
  /** Creates and updates the mirrors (the Job), nothing else. */
  admin: UserPermissions;
}

export interface NatsPermissionsDocument {
  $comment: string;
  services: Record<string, UserPermissions>;
  /** NATS accounts: `main` holds the streams and every principal but the isolated services. */
  accounts: { main: string; isolated: IsolatedAccount[] };
  /** Template of a partner's user: `{partner}` stands for the partner's name (chart value messaging.partners). */
  partner: UserPermissions & { durable: string };
  admin: UserPermissions;
  helmTest: UserPermissions;
  streams: StreamOwnership[];
  /** The streams' settings (contracts and the dead-letter stream), for the jetstream-admin Job. */
  streamConfigs: ManagedStreamConfig[];
  consumers: ConsumerGrant[];
}

export const GENERATED_COMMENT =
  'Generated by tools/helm/nats-permissions.ts from libs/contracts (subject sources and streams), the services` consumers and apps/: do not edit. ' +
  'Run `npx tsx tools/helm/nats-permissions.ts`.';

/**
 * JetStream operations no service and no partner performs: denied on top of the exact allow lists, so that a
 * compromised service cannot rewrite or destroy event history even if an allow pattern were widened by mistake.
 */
export const DESTRUCTIVE_JS_API = [
  '$JS.API.STREAM.UPDATE.>',
  '$JS.API.STREAM.DELETE.>',
  '$JS.API.STREAM.PURGE.>',
  '$JS.API.STREAM.MSG.DELETE.>',
  '$JS.API.STREAM.SNAPSHOT.>',
  '$JS.API.STREAM.RESTORE.>',
];

const SERVICE_SOURCE = /^podium\/([a-z0-9][a-z0-9-]*)$/;

/** 'oms.schedules.v1.unit.{discipline}.updated' -> 'oms.schedules.v1.unit.*.updated'. */
export function subjectPattern(template: string): string {
  return template.replace(/\{[^{}]+\}/g, '*');
}

/** 'results-ingest' -> 'RESULTS_INGEST' (Secret key and env var suffix). */
export function secretKeyFor(user: string): string {
  return user.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The service name of a contract `source` ('podium/schedules' -> 'schedules'). */
export function serviceOfSource(source: string): string {
  const match = SERVICE_SOURCE.exec(source);
  if (!match?.[1]) throw new Error(`Subject source ${JSON.stringify(source)} is not of the form podium/<service>`);
  return match[1];
}

/** Whether every subject matched by `filter` is also matched by `within` (both NATS filters). */
export function filterWithin(filter: string, within: string): boolean {
  const f = filter.split('.');
  const w = within.split('.');
  for (let i = 0; i < w.length; i++) {
    const token = w[i];
    if (token === '>') return f.length > i;
    const ft = f[i];
    if (ft === undefined) return false;
    if (token === '*') {
      if (ft === '>') return false;
      continue;
    }
    if (ft !== token) return false;
  }
  return f.length === w.length;
}

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * The JetStream API subjects of the operations on consumer `name` of `stream` (`*`: any name). nats.js (2.29, on a
 * 2.9+ server) creates and updates with `CONSUMER.CREATE.<stream>.<name>[.<filter>]`; `DURABLE.CREATE` is the older
 * form other clients use. Acks are `$JS.ACK.<stream>.<name>.<delivery tokens>`.
 */
export function consumerApi(stream: string, name: string, ops: { create: boolean; delete: boolean }): string[] {
  return [
    ...(ops.create
      ? [`$JS.API.CONSUMER.CREATE.${stream}.${name}`, `$JS.API.CONSUMER.CREATE.${stream}.${name}.>`, `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${name}`]
      : []),
    ...(ops.delete ? [`$JS.API.CONSUMER.DELETE.${stream}.${name}`] : []),
    `$JS.API.CONSUMER.INFO.${stream}.${name}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`,
    `$JS.ACK.${stream}.${name}.>`,
  ];
}

export interface BuildInput {
  subjects: readonly ContractSubject[];
  streams: readonly (ContractStream | StreamDefinition)[];
  /** Applications in apps/ (each gets a user even when it publishes nothing yet). */
  apps: readonly string[];
  /**
   * The platform's dead-letter stream and subject root (libs/platform nats.naming: 'DLQ', 'dlq'), and its settings when
   * the streams' settings are wanted (the definition libs/platform's deadLetterStream makes).
   */
  deadLetter: { stream: string; subjectRoot: string; definition?: StreamDefinition };
  /** The consumers each service creates (durable names as the apps declare them). */
  consumers: readonly ConsumerGrant[];
  /** Core request/reply subjects the services answer. */
  rpc?: readonly RpcSubject[];
  /** Services that delete single messages of their own streams. */
  messageDeletes?: readonly MessageDeleteGrant[];
}

/** The JetStream API subject of a message delete on `stream`. */
export function messageDeleteApi(stream: string): string {
  return `$JS.API.STREAM.MSG.DELETE.${stream}`;
}

/** Checks the message-delete grants: a known service, deleting in a stream it owns (its subjects' only publisher). */
function checkMessageDeletes(grants: readonly MessageDeleteGrant[], streams: readonly StreamOwnership[]): MessageDeleteGrant[] {
  for (const g of grants) {
    const stream = streams.find((s) => s.name === g.stream);
    if (!stream) throw new Error(`Message deletes of ${g.service}: no stream ${g.stream} in the contracts`);
    if (stream.owner !== g.service) throw new Error(`Message deletes of ${g.service} on ${g.stream}: only the stream's owner (${stream.owner ?? 'none'}) may delete its messages`);
  }
  return [...grants];
}

export function buildNatsPermissions(input: BuildInput): NatsPermissionsDocument {
  const { stream: DEAD_LETTER_STREAM, subjectRoot: DEAD_LETTER_SUBJECT_ROOT } = input.deadLetter;
  const published = new Map<string, string[]>();
  for (const app of input.apps) published.set(app, []);
  for (const s of input.subjects) {
    const service = serviceOfSource(s.source);
    const list = published.get(service) ?? [];
    list.push(subjectPattern(s.subject));
    published.set(service, list);
  }

  const streams: StreamOwnership[] = input.streams.map((stream) => {
    const owners = new Set(input.subjects.filter((s) => s.stream === stream.name).map((s) => serviceOfSource(s.source)));
    if (owners.size > 1) {
      throw new Error(`Stream ${stream.name} captures subjects of several services (${[...owners].join(', ')}): one owner per stream`);
    }
    for (const s of input.subjects.filter((x) => x.stream === stream.name)) {
      const concrete = subjectPattern(s.subject);
      if (!stream.subjects.some((filter) => filterWithin(concrete, filter))) {
        throw new Error(`Subject ${s.subject} names stream ${stream.name}, whose subjects (${stream.subjects.join(', ')}) do not capture it`);
      }
    }
    return {
      name: stream.name,
      subjects: [...stream.subjects],
      owner: [...owners][0] ?? null,
      public: stream.subjects.length > 0 && stream.subjects.every((filter) => filterWithin(filter, PUBLIC_SUBJECTS)),
    };
  });
  streams.push({ name: DEAD_LETTER_STREAM, subjects: [`${DEAD_LETTER_SUBJECT_ROOT}.>`], owner: null, public: false });
  streams.sort((a, b) => a.name.localeCompare(b.name));
  const streamNames = new Set(streams.map((s) => s.name));
  const publicStreams = streams.filter((s) => s.public).map((s) => s.name);

  const consumers = checkConsumers(input.consumers, published, streamNames, publicStreams);
  const messageDeletes = checkMessageDeletes(input.messageDeletes ?? [], streams);

  const rpc = input.rpc ?? [];
  for (const r of rpc) {
    if (!published.has(r.service)) throw new Error(`RPC subject ${r.subject} is answered by ${r.service}, which is not an app`);
  }

  const streamApi = [...streamNames].sort().flatMap((name) => [`$JS.API.STREAM.INFO.${name}`, `$JS.API.STREAM.CREATE.${name}`]);
  /** Services naming their consumers at run time: each gets its own account (see the header). */
  const isolatedServices = uniqueSorted(consumers.filter((c) => c.durables === 'any').map((c) => c.service));

  const services: Record<string, UserPermissions> = {};
  const isolated: IsolatedAccount[] = [];
  for (const service of isolatedServices) {
    if (messageDeletes.some((g) => g.service === service)) throw new Error(`${service} names its consumers at run time: it may delete no message`);
    if (rpc.some((r) => r.service === service)) throw new Error(`${service} answers requests and names its consumers at run time: not supported in an account of its own`);
    const followed = uniqueSorted(consumers.filter((c) => c.service === service).map((c) => c.stream));
    const publishes = [...uniqueSorted(published.get(service) ?? []), `${DEAD_LETTER_SUBJECT_ROOT}.${service}.>`];
    const account = secretKeyFor(service);
    const deliverRoot = `podium.mirror.${service}`;
    const mirrors = followed.map((name) => ({ name, deliver: `${deliverRoot}.${name}` }));
    const api = (subject: string): AccountLink => ({ kind: 'service', subject, to: subject.replace(/^\$JS\.API\./, `${MAIN_API_PREFIX}.`) });
    const links: AccountLink[] = [
      ...followed.flatMap((name) => [api(`$JS.API.CONSUMER.CREATE.${name}`), api(`$JS.API.CONSUMER.CREATE.${name}.>`), { kind: 'service' as const, subject: `$JS.FC.${name}.>` }]),
      { kind: 'stream', subject: `${deliverRoot}.>` },
      ...publishes.map((subject): AccountLink => ({ kind: 'service', subject })),
    ];
    const adminUser = `${ADMIN_USER}-${service}`;
    isolated.push({
      account,
      service,
      api: MAIN_API_PREFIX,
      mirrors,
      links,
      admin: {
        user: adminUser,
        secretKey: secretKeyFor(adminUser),
        inboxPrefix: ADMIN_INBOX_PREFIX,
        publish: {
          allow: ['$JS.API.INFO', ...followed.flatMap((name) => [`$JS.API.STREAM.INFO.${name}`, `$JS.API.STREAM.CREATE.${name}`, `$JS.API.STREAM.UPDATE.${name}`])],
          deny: DESTRUCTIVE_JS_API.filter((x) => !x.startsWith('$JS.API.STREAM.UPDATE.')),
        },
        subscribe: { allow: [`${ADMIN_INBOX_PREFIX}.>`], deny: [] },
        allowResponses: false,
      },
    });
    // In its own account: its subjects (imported services of the main account), the mirrors' info, any consumer on them.
    services[service] = {
      user: service,
      secretKey: secretKeyFor(service),
      inboxPrefix: serviceInboxPrefix(service),
      publish: {
        allow: [...publishes, '$JS.API.INFO', ...followed.flatMap((name) => [`$JS.API.STREAM.INFO.${name}`, ...consumerApi(name, '*', { create: true, delete: true })])],
        deny: [...DESTRUCTIVE_JS_API],
      },
      subscribe: { allow: [`${serviceInboxPrefix(service)}.>`], deny: [] },
      allowResponses: true,
    };
  }
  for (const service of [...published.keys()].sort()) {
    if (isolatedServices.includes(service)) continue;
    // Fixed names only here (a service naming its consumers at run time has its own account).
    const consumerAllow = consumers
      .filter((c) => c.service === service)
      .flatMap((c) => (c.durables === 'any' ? [] : c.durables.flatMap((d) => consumerApi(c.stream, d, { create: true, delete: false }))));
    // Message deletes on its own streams granted: the blanket deny gives way to one deny per other stream.
    const deletes = uniqueSorted(messageDeletes.filter((g) => g.service === service).map((g) => g.stream));
    const deny =
      deletes.length === 0
        ? [...DESTRUCTIVE_JS_API]
        : [
            ...DESTRUCTIVE_JS_API.filter((x) => x !== messageDeleteApi('>')),
            ...[...streamNames].sort().filter((name) => !deletes.includes(name)).map(messageDeleteApi),
          ];
    services[service] = {
      user: service,
      secretKey: secretKeyFor(service),
      inboxPrefix: serviceInboxPrefix(service),
      publish: {
        allow: [
          ...uniqueSorted(published.get(service) ?? []),
          `${DEAD_LETTER_SUBJECT_ROOT}.${service}.>`,
          '$JS.API.INFO',
          ...streamApi,
          ...consumerAllow,
          ...deletes.map(messageDeleteApi),
        ],
        deny,
      },
      subscribe: { allow: [...rpc.filter((r) => r.service === service).map((r) => r.subject), `${serviceInboxPrefix(service)}.>`], deny: [] },
      allowResponses: true,
    };
  }

  const durable = partnerDurable(PARTNER_PLACEHOLDER);
  const partner: NatsPermissionsDocument['partner'] = {
    user: partnerUser(PARTNER_PLACEHOLDER),
    secretKey: `PARTNER_${PARTNER_PLACEHOLDER}`,
    inboxPrefix: partnerInboxPrefix(PARTNER_PLACEHOLDER),
    durable,
    publish: {
      allow: ['$JS.API.INFO', ...publicStreams.flatMap((name) => [`$JS.API.STREAM.INFO.${name}`, ...consumerApi(name, durable, { create: false, delete: false })])],
      deny: [...DESTRUCTIVE_JS_API],
    },
    subscribe: { allow: [PUBLIC_SUBJECTS, `${partnerInboxPrefix(PARTNER_PLACEHOLDER)}.>`], deny: [] },
    allowResponses: false,
  };

  const admin: UserPermissions = {
    user: ADMIN_USER,
    secretKey: secretKeyFor(ADMIN_USER),
    inboxPrefix: ADMIN_INBOX_PREFIX,
    publish: {
      allow: [
        '$JS.API.INFO',
        ...[...streamNames].sort().flatMap((name) => [`$JS.API.STREAM.INFO.${name}`, `$JS.API.STREAM.CREATE.${name}`, `$JS.API.STREAM.UPDATE.${name}`]),
        ...publicStreams.flatMap((name) => [
          `$JS.API.CONSUMER.CREATE.${name}.*`,
          `$JS.API.CONSUMER.CREATE.${name}.*.>`,
          `$JS.API.CONSUMER.DURABLE.CREATE.${name}.*`,
          `$JS.API.CONSUMER.INFO.${name}.*`,
          `$JS.API.CONSUMER.DELETE.${name}.*`,
        ]),
      ],
      deny: DESTRUCTIVE_JS_API.filter((s) => !s.startsWith('$JS.API.STREAM.UPDATE.')),
    },
    subscribe: { allow: [`${ADMIN_INBOX_PREFIX}.>`], deny: [] },
    allowResponses: false,
  };

  const helmTest: UserPermissions = {
    user: 'helm-test',
    secretKey: 'HELM_TEST',
    inboxPrefix: HELM_TEST_INBOX_PREFIX,
    publish: { allow: [HELM_TEST_SUBJECTS, '$JS.API.INFO'], deny: [] },
    subscribe: { allow: [HELM_TEST_SUBJECTS, `${HELM_TEST_INBOX_PREFIX}.>`], deny: [] },
    allowResponses: true,
  };

  const definitions = [...input.streams, ...(input.deadLetter.definition ? [input.deadLetter.definition] : [])]
    .filter((d): d is StreamDefinition => 'retention' in d)
    .sort((a, b) => a.name.localeCompare(b.name));
  const streamConfigs = definitions.map(managedStreamConfig);

  const sortedServices = Object.fromEntries(Object.entries(services).sort(([a], [b]) => a.localeCompare(b)));
  return { $comment: GENERATED_COMMENT, services: sortedServices, accounts: { main: MAIN_ACCOUNT, isolated }, partner, admin, helmTest, streams, streamConfigs, consumers };
}

const NANOS_PER_MS = 1_000_000;
/** The server's dedupe window when none is given (2 min), which it then reports. */
const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

/** libs/platform's streamConfig of a definition, without NATS_PREFIX and replicas. */
export function managedStreamConfig(d: StreamDefinition): ManagedStreamConfig {
  return {
    name: d.name,
    subjects: [...d.subjects],
    description: d.description,
    retention: d.retention,
    storage: d.storage,
    max_age: d.maxAge * NANOS_PER_MS,
    duplicate_window: (d.duplicateWindow > 0 ? d.duplicateWindow : DEFAULT_DUPLICATE_WINDOW_MS) * NANOS_PER_MS,
    max_msgs_per_subject: d.maxMsgsPerSubject ?? -1,
  };
}

/** Validates the consumer grants: known services and streams, valid unique names, one free-naming service per stream. */
function checkConsumers(
  grants: readonly ConsumerGrant[],
  services: ReadonlyMap<string, unknown>,
  streams: ReadonlySet<string>,
  publicStreams: readonly string[],
): ConsumerGrant[] {
  const owners = new Map<string, string>();
  const anyOwner = new Map<string, string>();
  for (const g of grants) {
    if (!services.has(g.service)) throw new Error(`Consumers of ${g.service} on ${g.stream}: ${g.service} is not an app`);
    if (!streams.has(g.stream)) throw new Error(`Consumers of ${g.service}: no stream ${g.stream} in the contracts`);
    if (g.durables === 'any') {
      const other = anyOwner.get(g.stream);
      if (other && other !== g.service) {
        throw new Error(`Both ${other} and ${g.service} name their consumers on ${g.stream} at run time: they could not be kept apart; give one of them fixed names`);
      }
      anyOwner.set(g.stream, g.service);
      continue;
    }
    for (const name of g.durables) {
      if (!CONSUMER_NAME.test(name)) throw new Error(`Durable ${JSON.stringify(name)} of ${g.service}: use letters, digits, '-' or '_'`);
      if (publicStreams.includes(g.stream) && name.startsWith(partnerDurable(''))) {
        throw new Error(`Durable ${name} of ${g.service} on ${g.stream}: the names ${partnerDurable('')}* are the partners'`);
      }
      const key = `${g.stream}/${name}`;
      const owner = owners.get(key);
      if (owner && owner !== g.service) throw new Error(`Durable ${name} on ${g.stream} is claimed by both ${owner} and ${g.service}`);
      owners.set(key, g.service);
    }
  }
  return grants
    .map((g) => ({ service: g.service, stream: g.stream, durables: g.durables === 'any' ? ('any' as const) : uniqueSorted(g.durables) }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.stream.localeCompare(b.stream));
}

/** The document as committed (stable key order, 2-space JSON, trailing newline). */
export function renderNatsPermissions(doc: NatsPermissionsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A partner of the chart values (messaging.partners). */
export interface Partner {
  name: string;
  secretKey?: string;
}

/** What the chart renders for a partner (the template with `{partner}` replaced), for tests and tools. */
export function partnerPermissions(doc: NatsPermissionsDocument, partner: Partner): UserPermissions & { durable: string } {
  const fill = (s: string): string => s.split(PARTNER_PLACEHOLDER).join(partner.name);
  const t = doc.partner;
  return {
    user: fill(t.user),
    secretKey: partner.secretKey ?? secretKeyFor(fill(t.secretKey)),
    inboxPrefix: fill(t.inboxPrefix),
    durable: fill(t.durable),
    publish: { allow: t.publish.allow.map(fill), deny: t.publish.deny.map(fill) },
    subscribe: { allow: t.subscribe.allow.map(fill), deny: t.subscribe.deny.map(fill) },
    allowResponses: t.allowResponses,
  };
}

/** Whether a user may publish a concrete subject under these permissions (deny wins), as the NATS server decides. */
export function mayPublish(permissions: UserPermissions, subject: string): boolean {
  return allowed(permissions.publish, subject);
}

export function maySubscribe(permissions: UserPermissions, subject: string): boolean {
  return allowed(permissions.subscribe, subject);
}

function allowed(set: PermissionSet, subject: string): boolean {
  if (set.deny.some((f) => subjectMatches(f, subject))) return false;
  return set.allow.some((f) => subjectMatches(f, subject));
}
