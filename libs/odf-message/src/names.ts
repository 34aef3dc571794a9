/** XML name rules and reserved keys shared by the XML parser and the element tree. */

/** Property holding an element's character data. `$` cannot start an XML name, so it never collides. */
export const TEXT_KEY = '$text';

/** Names refused anywhere in a tree: assigning them on a plain object would change its prototype. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__']);

/** True for a valid XML name (ASCII rules; any non-ASCII character is accepted as a name character). */
export function isXmlName(name: string): boolean {
  if (name.length === 0) {
    return false;
  }
  if (!isNameStart(name.charCodeAt(0))) {
    return false;
  }
  for (let i = 1; i < name.length; i++) {
    if (!isNameChar(name.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

export const NAME_START = new Uint8Array(128);
export const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const start = letter || c === 95 /* _ */ || c === 58; /* : */
  NAME_START[c] = start ? 1 : 0;
  NAME_CHAR[c] = start || (c >= 48 && c <= 57) || c === 45 /* - */ || c === 46 /* . */ ? 1 : 0;
}

export function isNameStart(c: number): boolean {
  return c < 128 ? NAME_START[c] === 1 : c !== 0xfeff;
}

export function isNameChar(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] === 1 : c !== 0xfeff;
}
