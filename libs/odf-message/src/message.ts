/**
 * Parsing one ODF message, as XML (`<OdfBody …>`) or as its JSON mapping, into a validated {@link OdfMessage};
 * and the JSON form published to partners ({@link toOdfJson}). See docs/odf-messages.md.
 */
import { parseRsc, type Rsc, rscLevel } from '@podium/odf';
import { z } from 'zod';

import {
  attr,
  children,
  copyElementTree,
  DEFAULT_TREE_LIMITS,
  describeValue,
  elementToXml,
  isPlainObject,
  type OdfElement,
  type TreeLimits,
} from './element';
import {
  documentKey,
  HEADER_FIELDS,
  headerSchemaFor,
  JSON_TO_XML,
  odfHeaderSchema,
  type OdfHeader,
  XML_TO_JSON,
} from './header';
import { updateRuleOf } from './update-rules';
import { decodeXmlBytes, isUtf8Compatible, parseXml } from './xml';

export interface OdfMessage {
  /** The validated header, camelCase. */
  readonly header: OdfHeader;
  /** The document identity, see {@link documentKey} (includes the feed flag). */
  readonly key: string;
  /** The parsed RSC when DocumentCode is a valid RSC, else null (e.g. `OWS----…` with gender '-', or `ARC`). */
  readonly rsc: Rsc | null;
  /** The discipline: first 3 characters of DocumentCode when they are letters A-Z, else null. */
  readonly discipline: string | null;
  /** True when the message has no `Competition` element: it withdraws the document. */
  readonly withdrawal: boolean;
  /** The `Competition` element as an element tree (see element.ts), null for a withdrawal. */
  readonly competition: OdfElement | null;
}

/** One validation problem. `field` names the XML attribute / JSON property / element path that is wrong. */
export interface OdfParseError {
  readonly field: string;
  readonly message: string;
  /** Position in the XML source, for XML syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

export type ParseResult = { ok: true; message: OdfMessage } | { ok: false; errors: OdfParseError[] };

export interface ParseOptions {
  /** Document types admitted beyond @podium/odf DOCUMENT_TYPES (e.g. 'DT_STATS'). */
  readonly extraDocumentTypes?: readonly string[];
  /** Tree limits (defaults: depth 32, 250,000 elements). */
  readonly limits?: Partial<TreeLimits>;
}

/** The JSON form of a message: header fields camelCase at the top level plus `competition`. */
export type OdfJson = OdfHeader & { competition: OdfElement | null };

/** zod schema of the JSON form (for contracts): the header plus an element tree checked by {@link parseOdfJson}. */
export const odfJsonSchema = odfHeaderSchema.and(
  z.object({
    competition: z
      .custom<OdfElement>((v) => isPlainObject(v), { error: 'must be an element object' })
      .nullable(),
  }),
);

const MAX_ERRORS = 20;

function limitsOf(options: ParseOptions | undefined): TreeLimits {
  return { ...DEFAULT_TREE_LIMITS, ...options?.limits };
}

/** Parses one ODF message in XML. Never throws. */
export function parseOdfXml(xml: string | Uint8Array, options?: ParseOptions): ParseResult {
  let src: string;
  if (typeof xml === 'string') {
    src = xml;
  } else {
    const decoded = decodeXmlBytes(xml);
    if (!decoded.ok) {
      return { ok: false, errors: [{ field: 'xml', message: decoded.message }] };
    }
    src = decoded.text;
  }
  const limits = limitsOf(options);
  const parsed = parseXml(src, limits);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return {
      ok: false,
      errors: [
        {
          field: 'xml',
          message: `malformed XML at line ${line}, column ${column}: ${message}`,
          line,
          column,
        },
      ],
    };
  }
  if (
    typeof xml !== 'string' &&
    parsed.declaredEncoding !== null &&
    !isUtf8Compatible(parsed.declaredEncoding)
  ) {
    return {
      ok: false,
      errors: [{ field: 'xml', message: `encoding ${parsed.declaredEncoding} is not supported: send UTF-8` }],
    };
  }
  if (parsed.rootName !== 'OdfBody') {
    return {
      ok: false,
      errors: [{ field: 'xml', message: `the root element must be OdfBody, got ${parsed.rootName}` }],
    };
  }

  const root = parsed.root;
  const errors: OdfParseError[] = [];
  const raw: Record<string, unknown> = {};
  let competition: OdfElement | null = null;
  for (const name of Object.keys(root)) {
    const value = root[name];
    if (typeof value === 'string') {
      const jsonName = XML_TO_JSON.get(name);
      // Unknown attributes (xmlns, xsi:…) are ignored.
      if (jsonName !== undefined) {
        raw[jsonName] = jsonName === 'version' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
      }
    } else if (name === 'Competition' && Array.isArray(value)) {
      if (value.length > 1) {
        errors.push({ field: 'OdfBody.Competition', message: 'Competition may occur only once' });
      }
      competition = value[0] ?? null;
    } else if (Array.isArray(value)) {
      errors.push({
        field: `OdfBody.${name}`,
        message: `unexpected element ${name}: OdfBody contains only Competition`,
      });
    }
  }
  return finish(raw, competition, 'xml', options, errors);
}

const REQUIRED: ReadonlySet<string> = new Set([
  'competitionCode',
  'documentCode',
  'documentType',
  'version',
  'feedFlag',
  'source',
]);

const JSON_KEYS: ReadonlySet<string> = new Set([...HEADER_FIELDS.map((f) => f.json), 'competition']);
const JSON_KEY_BY_LOWER: ReadonlyMap<string, string> = new Map(
  [...JSON_KEYS].map((k) => [k.toLowerCase(), k]),
);

/**
 * Parses one ODF message in its JSON mapping: `{ competitionCode, documentCode, …, version: <number>,
 * competition: <element tree> | null }`. Unknown top-level properties are errors. Never throws.
 */
export function parseOdfJson(value: unknown, options?: ParseOptions): ParseResult {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      errors: [{ field: '(root)', message: `must be a JSON object, got ${describeValue(value)}` }],
    };
  }
  const errors: OdfParseError[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (JSON_KEYS.has(key)) {
      if (key !== 'competition') raw[key] = value[key];
      continue;
    }
    const known = JSON_KEY_BY_LOWER.get(key.toLowerCase());
    errors.push({
      field: key,
      message: known
        ? `unknown property: did you mean ${known}? (header fields are camelCase)`
        : 'unknown property',
    });
  }
  let competition: OdfElement | null = null;
  const tree = value['competition'];
  if (tree !== undefined && tree !== null) {
    const copied = copyElementTree(tree, 'competition', limitsOf(options), 2, MAX_ERRORS);
    if (copied.ok) {
      competition = copied.value;
    } else {
      errors.push(...copied.issues.map((i) => ({ field: i.path, message: i.message })));
    }
  }
  return finish(raw, competition, 'json', options, errors);
}

function finish(
  raw: Record<string, unknown>,
  competition: OdfElement | null,
  form: 'xml' | 'json',
  options: ParseOptions | undefined,
  errors: OdfParseError[],
): ParseResult {
  const fieldName = (jsonName: string): string =>
    form === 'xml' ? (JSON_TO_XML.get(jsonName) ?? jsonName) : jsonName;
  // An empty attribute means "absent" in ODF: dropped when optional, an error when required. Same for JSON.
  for (const key of Object.keys(raw)) {
    if (raw[key] === '') {
      delete raw[key];
      if (REQUIRED.has(key)) errors.push({ field: fieldName(key), message: 'must not be empty' });
    }
  }
  const parsed = headerSchemaFor(options?.extraDocumentTypes).safeParse(raw);
  if (!parsed.success) {
    const seen = new Set(errors.map((e) => e.field));
    for (const issue of parsed.error.issues) {
      const field = fieldName(String(issue.path[0] ?? ''));
      if (!seen.has(field)) {
        errors.push({ field, message: issue.message });
        seen.add(field);
      }
    }
  }
  if (errors.length > 0 || !parsed.success) {
    return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  }
  const header = parsed.data;
  if (competition !== null) {
    const keyErrors = checkUpdateItemKeys(header.documentType, competition, form);
    if (keyErrors.length > 0) {
      return { ok: false, errors: keyErrors.slice(0, MAX_ERRORS) };
    }
  }
  return { ok: true, message: buildMessage(header, competition) };
}

/** `_UPDATE` messages merge item by item: every item must carry its identity attribute. */
function checkUpdateItemKeys(
  documentType: string,
  competition: OdfElement,
  form: 'xml' | 'json',
): OdfParseError[] {
  const rule = updateRuleOf(documentType);
  if (rule === undefined) return [];
  const errors: OdfParseError[] = [];
  const prefix = form === 'xml' ? 'OdfBody.Competition' : 'competition';
  for (const [element, keyAttr] of Object.entries(rule.items)) {
    children(competition, element).forEach((item, i) => {
      const id = attr(item, keyAttr);
      if (id === undefined || id === '') {
        errors.push({
          field: `${prefix}.${element}[${i}].${keyAttr}`,
          message: `is required: ${documentType} merges ${element} items by ${keyAttr}`,
        });
      }
    });
  }
  return errors;
}

/** Builds a message from an already validated header and content (no validation). */
export function buildMessage(header: OdfHeader, competition: OdfElement | null): OdfMessage {
  const rsc = parseRsc(header.documentCode);
  const prefix = header.documentCode.slice(0, 3);
  return {
    header,
    key: documentKey(header),
    // A discipline-level code (e.g. 'OWS' and filler, as DT_SCHEDULE uses) is not a result's RSC.
    rsc: rsc.ok && rscLevel(rsc.value) !== 'discipline' ? rsc.value : null,
    discipline: /^[A-Z]{3}$/.test(prefix) ? prefix : null,
    withdrawal: competition === null,
    competition,
  };
}

/**
 * The JSON form published to partners and accepted by {@link parseOdfJson}: header fields camelCase in ODF order
 * (absent optional fields omitted, `version` a number) and `competition` (null for a withdrawal).
 * `parseOdfJson(toOdfJson(m))` gives back `m`.
 */
export function toOdfJson(message: OdfMessage): OdfJson {
  const out: Record<string, unknown> = {};
  const header = message.header as Record<string, unknown>;
  for (const f of HEADER_FIELDS) {
    const v = header[f.json];
    if (v !== undefined) out[f.json] = v;
  }
  out['competition'] = message.competition;
  return out as OdfJson;
}

/** The XML form of a message (`<?xml …?><OdfBody …>`), which {@link parseOdfXml} parses back to an equal message. */
export function toOdfXml(message: OdfMessage | OdfJson): string {
  const header = ('header' in message ? message.header : message) as Record<string, unknown>;
  const competition = message.competition;
  const body: OdfElement = {};
  for (const f of HEADER_FIELDS) {
    const v = header[f.json];
    if (v !== undefined) body[f.xml] = String(v);
  }
  if (competition !== null) body['Competition'] = [competition];
  return '<?xml version="1.0" encoding="UTF-8"?>' + elementToXml('OdfBody', body);
}
