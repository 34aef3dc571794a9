import { subjects, streams } from './registry';
import { tokenNames } from './subject-map';
import { type AnySubjectDefinition, defineRegistry } from './subjects/define';

const definitions: AnySubjectDefinition[] = Object.values(subjects);
const SEGMENT = /^(?:[a-z0-9_-]+|\{[a-z][A-Za-z0-9]*\})$/;

/** Does a NATS subject filter (with * and >) match a concrete subject? */
function filterMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

describe('subject registry rules', () => {
  it('is not empty and keyed by template', () => {
    expect(definitions.length).toBeGreaterThan(0);
    for (const [key, definition] of Object.entries(subjects)) {
      expect(definition.subject).toBe(key);
    }
  });

  it.each(definitions.map((d) => [d.subject, d] as const))(
    '%s is lowercase, dot-separated, versioned and never starts with $',
    (subject, definition) => {
      expect(subject.startsWith('$')).toBe(false);
      const segments = subject.split('.');
      expect(segments.length).toBeGreaterThanOrEqual(3);
      for (const segment of segments) {
        expect(segment).toMatch(SEGMENT);
      }
      expect(segments.filter((s) => !s.startsWith('{')).join('.')).toBe(
        segments.filter((s) => !s.startsWith('{')).join('.').toLowerCase(),
      );
      expect(segments).toContain(`v${definition.version}`);
      expect(definition.type).toMatch(new RegExp(`\\.v${definition.version}$`));
    },
  );

  it.each(definitions.map((d) => [d.subject, d] as const))('%s documents every token', (subject, definition) => {
    const names = tokenNames(subject);
    expect(Object.keys(definition.tokens).sort()).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(definitions.map((d) => [d.subject, d] as const))('%s has a valid example', (_subject, definition) => {
    expect(definition.data.safeParse(definition.example).success).toBe(true);
  });

  it.each(definitions.map((d) => [d.subject, d] as const))(
    '%s is captured by its declared stream',
    (subject, definition) => {
      const stream = streams.find((s) => s.name === definition.stream);
      expect(stream).toBeDefined();
      const concrete = subject.replace(/\{[^}]+\}/g, 'x');
      expect(stream?.subjects.some((filter) => filterMatches(filter, concrete))).toBe(true);
      const others = streams.filter((s) => s !== stream);
      expect(others.some((s) => s.subjects.some((filter) => filterMatches(filter, concrete)))).toBe(false);
    },
  );

  it('has unique event types and dataschemas', () => {
    expect(new Set(definitions.map((d) => d.type)).size).toBe(definitions.length);
    expect(new Set(definitions.map((d) => d.dataschema)).size).toBe(definitions.length);
  });

  it('declares streams with valid names and lowercase subject filters', () => {
    expect(new Set(streams.map((s) => s.name)).size).toBe(streams.length);
    for (const stream of streams) {
      expect(stream.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(stream.subjects.length).toBeGreaterThan(0);
      for (const filter of stream.subjects) {
        expect(filter.startsWith('$')).toBe(false);
        expect(filter).toMatch(/^[a-z0-9_-]+(\.([a-z0-9_-]+|\*))*(\.>)?$/);
      }
      expect(stream.duplicateWindow).toBeGreaterThan(0);
      if (stream.maxAge > 0) expect(stream.duplicateWindow).toBeLessThanOrEqual(stream.maxAge);
    }
  });

  it('refuses a template declared twice', () => {
    const [first] = definitions;
    expect(() => defineRegistry([first!, first!])).toThrow(/declared twice/);
  });

  it('self-check: the filter matcher used above is right', () => {
    expect(filterMatches('oms.schedules.v1.>', 'oms.schedules.v1.unit.x.updated')).toBe(true);
    expect(filterMatches('oms.schedules.v1.>', 'oms.schedules.v1')).toBe(false);
    expect(filterMatches('oms.*.v1.unit', 'oms.entries.v1.unit')).toBe(true);
    expect(filterMatches('oms.*.v1.unit', 'oms.entries.v2.unit')).toBe(false);
  });
});
