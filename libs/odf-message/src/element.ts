/**
 * The generic element tree used for the content of an ODF message (the `Competition` element and below),
 * identical in the XML and the JSON form:
 *
 * - an element is a plain object;
 * - each XML attribute is a property whose value is a string, under its ODF name unchanged (`Rank`, `Organisation`);
 * - each child element name is a property whose value is ALWAYS an array of elements, in document order,
 *   even when the element occurs once (`Result[0].Competitor[0].Composition[0].Athlete`): one predictable shape,
 *   no "object or array" guessing, no list of repeatable elements to keep in sync with the ODF dictionaries;
 * - character data, rare in ODF, is the string property `$text` (whitespace-only runs are ignored, the result trimmed).
 *
 * A property is therefore an attribute when its value is a string and a child element list when it is an array.
 */

/** An ODF element: attributes as string properties, children as arrays of elements, text as `$text`. */
export interface OdfElement {
  [name: string]: string | OdfElement[];
}

export { FORBIDDEN_NAMES, isNameChar, isNameStart, isXmlName, TEXT_KEY } from './names';
import { FORBIDDEN_NAMES, isXmlName, TEXT_KEY } from './names';

/** The attribute `name` of `el`, or undefined when absent (or when `name` is a child element list). */
export function attr(el: OdfElement | undefined, name: string): string | undefined {
  const value = el?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The child elements named `name` (an empty array when there are none). */
export function children(el: OdfElement | undefined, name: string): readonly OdfElement[] {
  const value = el?.[name];
  return Array.isArray(value) ? value : EMPTY;
}

/** The first child element named `name`, or undefined. */
export function child(el: OdfElement | undefined, name: string): OdfElement | undefined {
  return children(el, name)[0];
}

/** The attributes of `el` (string properties other than `$text`), in document order. */
export function attributesOf(el: OdfElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(el)) {
    const value = el[key];
    if (typeof value === 'string' && key !== TEXT_KEY) {
      out[key] = value;
    }
  }
  return out;
}

/** Every element named `name` at any depth below `el` (depth-first, document order within each name). */
export function descendants(el: OdfElement, name: string): OdfElement[] {
  const out: OdfElement[] = [];
  const visit = (node: OdfElement): void => {
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) {
          if (key === name) {
            out.push(item);
          }
          visit(item);
        }
      }
    }
  };
  visit(el);
  return out;
}

const EMPTY: readonly OdfElement[] = Object.freeze([]);

/**
 * The JSON of an element tree with keys sorted at every level (arrays keep their order): equal trees give equal
 * strings whatever the attribute order of the source (XML or JSON). Used for content fingerprints.
 * Keys are XML names or `$text`, which need no JSON escaping.
 */
export function canonicalElementJson(el: OdfElement): string {
  const keys = Object.keys(el).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = el[key];
    out += (i === 0 ? '"' : ',"') + key + '":';
    if (typeof value === 'string') {
      out += JSON.stringify(value);
    } else if (value !== undefined) {
      out += '[';
      for (let j = 0; j < value.length; j++) {
        out += (j === 0 ? '' : ',') + canonicalElementJson(value[j] as OdfElement);
      }
      out += ']';
    }
  }
  return out + '}';
}

/** Limits applied to element trees (XML and JSON). */
export interface TreeLimits {
  /** Maximum element nesting depth, OdfBody counted as 1 (ODF needs about 12). */
  readonly maxDepth: number;
  /** Maximum number of elements in one message. */
  readonly maxElements: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxDepth: 32, maxElements: 250_000 };

/** One problem found in a tree, with a path such as `competition.Result[2].Rank`. */
export interface TreeIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Validates an untrusted JSON value as an element tree and returns a fresh copy (plain objects and arrays only,
 * so the caller's object can be mutated later without touching the message). Stops after `maxIssues` issues.
 */
export function copyElementTree(
  value: unknown,
  path: string,
  limits: TreeLimits,
  baseDepth: number,
  maxIssues = 20,
): { ok: true; value: OdfElement } | { ok: false; issues: TreeIssue[] } {
  const issues: TreeIssue[] = [];
  let elements = 0;
  const fail = (where: string, message: string): void => {
    if (issues.length < maxIssues) {
      issues.push({ path: where, message });
    }
  };
  const copy = (node: unknown, where: string, depth: number): OdfElement | null => {
    if (issues.length >= maxIssues) {
      return null;
    }
    if (!isPlainObject(node)) {
      fail(
        where,
        `must be an element object (attributes as strings, children as arrays), got ${describeValue(node)}`,
      );
      return null;
    }
    if (depth > limits.maxDepth) {
      fail(where, `elements are nested deeper than ${limits.maxDepth} levels`);
      return null;
    }
    if (++elements > limits.maxElements) {
      fail(where, `more than ${limits.maxElements} elements`);
      return null;
    }
    const out: OdfElement = {};
    for (const key of Object.keys(node)) {
      const value = node[key];
      const at = `${where}.${key}`;
      if (key === TEXT_KEY) {
        if (typeof value !== 'string') {
          fail(at, `must be a string (the element's text), got ${describeValue(value)}`);
        } else {
          out[key] = value;
        }
        continue;
      }
      if (FORBIDDEN_NAMES.has(key) || !isXmlName(key)) {
        fail(at, `${JSON.stringify(key)} is not a valid ODF attribute or element name`);
        continue;
      }
      if (typeof value === 'string') {
        out[key] = value;
      } else if (Array.isArray(value)) {
        const list: OdfElement[] = [];
        for (let i = 0; i < value.length; i++) {
          const item = copy(value[i], `${at}[${i}]`, depth + 1);
          if (item) {
            list.push(item);
          }
        }
        if (list.length > 0) {
          out[key] = list; // an empty list is no element at all, as in XML
        }
      } else {
        const hint = isPlainObject(value) ? ' (child elements are always arrays: wrap it in [ ])' : '';
        fail(
          at,
          `must be a string (attribute) or an array of elements (children), got ${describeValue(value)}${hint}`,
        );
      }
    }
    return out;
  };
  const result = copy(value, path, baseDepth);
  return issues.length === 0 && result ? { ok: true, value: result } : { ok: false, issues };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  // Object.prototype of any realm (vm contexts, structuredClone in tests), or none; class instances are refused.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Serializes an element as XML (attributes first, then children grouped by name, text last). */
export function elementToXml(name: string, el: OdfElement): string {
  let out = '<' + name;
  let inner = '';
  let text = '';
  for (const key of Object.keys(el)) {
    const value = el[key];
    if (key === TEXT_KEY) {
      text = escapeText(value as string);
    } else if (typeof value === 'string') {
      out += ' ' + key + '="' + escapeAttribute(value) + '"';
    } else if (value !== undefined) {
      for (const item of value) {
        inner += elementToXml(key, item);
      }
    }
  }
  if (inner === '' && text === '') {
    return out + ' />';
  }
  return out + '>' + inner + text + '</' + name + '>';
}

const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const TEXT_SPECIAL = /[&<>]/;

export function escapeAttribute(value: string): string {
  if (!ATTR_SPECIAL.test(value)) {
    return value;
  }
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function escapeText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) {
    return value;
  }
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
