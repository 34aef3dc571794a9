/** The spellings of a service or lib name that the generated files use. */
export interface Names {
  /** kebab-case, as given: `results-ingest` (folder, project, SERVICE_NAME, chart key). */
  kebab: string;
  /** camelCase: `resultsIngest` (variables). */
  camel: string;
  /** PascalCase: `ResultsIngest` (classes, types). */
  pascal: string;
  /** CONSTANT_CASE: `RESULTS_INGEST` (constants, stream names). */
  constant: string;
  /** Lowercase words: `results ingest` (prose). */
  words: string;
}

export const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function namesOf(kebab: string): Names {
  if (!NAME_PATTERN.test(kebab)) throw new Error(`"${kebab}" is not a kebab-case name (a-z, 0-9 and single dashes, starting with a letter)`);
  const parts = kebab.split('-');
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    kebab,
    camel: parts[0] + parts.slice(1).map(cap).join(''),
    pascal: parts.map(cap).join(''),
    constant: parts.map((p) => p.toUpperCase()).join('_'),
    words: parts.join(' '),
  };
}

/** `item` -> `items`, `category` -> `categories`, `class` -> `classes` (enough for generated feature names). */
export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}
