import { ALL } from '@podium/accreditation-credential';
import { editionCodeSchema } from '@podium/contracts';
import { z } from 'zod';

/**
 * The accreditation reference data pack of an edition (`podium.accreditation-pack/v1`, docs/accreditation.md): pure
 * validation, no I/O. Every problem is reported with where it is; a pack with any problem is rejected whole.
 */
export const ACCREDITATION_PACK_FORMAT = 'podium.accreditation-pack/v1';

const name = z.string().trim().min(1).max(200);
/** Venue codes are the schedule's (2-8 A-Z 0-9); zone codes 1-16 A-Z 0-9 `-`: the credential's claims' rules. */
const venueCode = z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be a venue code (2-8 characters A-Z 0-9)').refine((c) => c !== ALL, `"${ALL}" is reserved`);
const zoneCode = z.string().regex(/^[A-Z0-9-]{1,16}$/, 'must be a zone code (1-16 characters A-Z 0-9 -)').refine((c) => c !== ALL, `"${ALL}" is reserved`);
const privilegeCode = z.string().regex(/^[A-Z0-9-]{1,16}$/, 'must be a code (1-16 characters A-Z 0-9 -)');
const categoryCode = z.string().regex(/^[A-Za-z0-9]{1,8}$/, 'must be a category code (1-8 characters A-Z a-z 0-9)');
const organisationCode = z.string().regex(/^[A-Z0-9-]{2,32}$/, 'must be an organisation code (2-32 characters A-Z 0-9 -)');
const grant = (code: z.ZodType<string>) => z.array(z.union([z.literal(ALL), code])).max(512);

export const accreditationPackSchema = z.strictObject({
  format: z.literal(ACCREDITATION_PACK_FORMAT),
  edition: z.strictObject({
    code: editionCodeSchema,
    /** First and last instant of card validity (the credential's nbf and exp). */
    validFrom: z.iso.datetime({ offset: true }),
    validTo: z.iso.datetime({ offset: true }),
  }),
  venues: z.array(z.strictObject({ code: venueCode, name })).min(1).max(512),
  zones: z.array(z.strictObject({ code: zoneCode, name })).min(1).max(512),
  transport: z.array(z.strictObject({ code: privilegeCode, name })).max(64).default([]),
  dining: z.array(z.strictObject({ code: privilegeCode, name })).max(64).default([]),
  categories: z
    .array(
      z.strictObject({
        code: categoryCode,
        name,
        venues: grant(venueCode).min(1),
        zones: grant(zoneCode).min(1),
        transport: z.array(privilegeCode).max(64).default([]),
        dining: z.array(privilegeCode).max(64).default([]),
      }),
    )
    .min(1)
    .max(256),
  organisations: z
    .array(
      z.strictObject({
        code: organisationCode,
        name,
        kind: z.enum(['NOC', 'IF', 'BROADCASTER', 'PRESS', 'OC', 'OTHER']),
        quotas: z.record(categoryCode, z.int().min(0).max(1_000_000)),
      }),
    )
    .min(1)
    .max(2_000),
});

export type AccreditationPack = z.output<typeof accreditationPackSchema>;
export type PackCategory = AccreditationPack['categories'][number];

export interface PackProblem {
  readonly path: string;
  readonly message: string;
}

export type ParsePackResult = { ok: true; pack: AccreditationPack } | { ok: false; problems: PackProblem[] };

const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');

function duplicates(codes: readonly string[], section: string, problems: PackProblem[]): Set<string> {
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (seen.has(code)) problems.push({ path: `${section}[${i}].code`, message: `${code}: given twice` });
    seen.add(code);
  });
  return seen;
}

function checkGrant(list: readonly string[], known: Set<string>, path: string, what: string, problems: PackProblem[]): void {
  if (list.includes(ALL) && list.length > 1) problems.push({ path, message: `"${ALL}" must be the only ${what} when present` });
  if (new Set(list).size !== list.length) problems.push({ path, message: `${what}s must be distinct` });
  list.forEach((code, i) => {
    if (code !== ALL && !known.has(code)) problems.push({ path: `${path}[${i}]`, message: `${code}: unknown ${what}` });
  });
}

/** Validates a pack: its shape, then every reference (codes unique, privileges and quotas naming what the pack defines). */
export function parseAccreditationPack(input: unknown): ParsePackResult {
  const parsed = accreditationPackSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path) || 'pack', message: issue.message })) };
  }
  const pack = parsed.data;
  const problems: PackProblem[] = [];
  if (Date.parse(pack.edition.validTo) <= Date.parse(pack.edition.validFrom)) {
    problems.push({ path: 'edition.validTo', message: 'must be after validFrom' });
  }
  const venues = duplicates(pack.venues.map((v) => v.code), 'venues', problems);
  const zones = duplicates(pack.zones.map((z) => z.code), 'zones', problems);
  const transport = duplicates(pack.transport.map((t) => t.code), 'transport', problems);
  const dining = duplicates(pack.dining.map((d) => d.code), 'dining', problems);
  const categories = duplicates(pack.categories.map((c) => c.code), 'categories', problems);
  duplicates(pack.organisations.map((o) => o.code), 'organisations', problems);
  pack.categories.forEach((category, i) => {
    checkGrant(category.venues, venues, `categories[${i}].venues`, 'venue', problems);
    checkGrant(category.zones, zones, `categories[${i}].zones`, 'zone', problems);
    checkGrant(category.transport, transport, `categories[${i}].transport`, 'transport privilege', problems);
    checkGrant(category.dining, dining, `categories[${i}].dining`, 'dining privilege', problems);
  });
  pack.organisations.forEach((organisation, i) => {
    for (const category of Object.keys(organisation.quotas)) {
      if (!categories.has(category)) problems.push({ path: `organisations[${i}].quotas.${category}`, message: `${category}: unknown category` });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pack };
}
