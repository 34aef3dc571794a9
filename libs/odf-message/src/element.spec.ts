import {
  attr,
  attributesOf,
  canonicalElementJson,
  child,
  children,
  descendants,
  elementToXml,
  isPlainObject,
  isXmlName,
  type OdfElement,
} from './element';
import { parseXml } from './xml';

const tree: OdfElement = {
  Code: 'X',
  Result: [
    { Rank: '1', Competitor: [{ Code: 'A', Composition: [{ Athlete: [{ Code: 'a1' }, { Code: 'a2' }] }] }] },
    { Rank: '2', Competitor: [{ Code: 'B' }] },
  ],
  $text: 'note',
};

describe('element helpers', () => {
  it('reads attributes and children without confusing the two', () => {
    expect(attr(tree, 'Code')).toBe('X');
    expect(attr(tree, 'Result')).toBeUndefined();
    expect(attr(undefined, 'Code')).toBeUndefined();
    expect(children(tree, 'Result')).toHaveLength(2);
    expect(children(tree, 'Code')).toEqual([]);
    expect(children(tree, 'constructor')).toEqual([]);
    expect(child(tree, 'Result')?.['Rank']).toBe('1');
    expect(child(tree, 'Missing')).toBeUndefined();
    expect(attributesOf(tree)).toEqual({ Code: 'X' });
  });

  it('finds descendants at any depth', () => {
    expect(descendants(tree, 'Competitor').map((c) => c['Code'])).toEqual(['A', 'B']);
    expect(descendants(tree, 'Athlete').map((c) => c['Code'])).toEqual(['a1', 'a2']);
  });

  it('serializes to XML that parses back to the same tree, escaping what must be', () => {
    const tricky: OdfElement = { V: 'a & b < c > "d" \'e\'\n\tf', Child: [{ $text: '1 < 2 & 3' }, {}] };
    const xml = elementToXml('Root', tricky);
    expect(xml).toBe(
      '<Root V="a &amp; b &lt; c &gt; &quot;d&quot; \'e\'&#10;&#9;f"><Child>1 &lt; 2 &amp; 3</Child><Child /></Root>',
    );
    const parsed = parseXml(xml, { maxDepth: 8, maxElements: 10 });
    expect(parsed.ok && parsed.root).toEqual(tricky);
  });

  it('gives a canonical JSON independent of key order', () => {
    const a: OdfElement = { B: '1', A: [{ y: '2', x: '"q"' }] };
    const b: OdfElement = { A: [{ x: '"q"', y: '2' }], B: '1' };
    expect(canonicalElementJson(a)).toBe('{"A":[{"x":"\\"q\\"","y":"2"}],"B":"1"}');
    expect(canonicalElementJson(b)).toBe(canonicalElementJson(a));
    expect(JSON.parse(canonicalElementJson(tree))).toEqual(tree);
    expect(canonicalElementJson({ A: [{ x: '1' }, { x: '2' }] })).not.toBe(
      canonicalElementJson({ A: [{ x: '2' }, { x: '1' }] }),
    );
  });

  it('recognizes XML names and plain objects', () => {
    expect(['Result', 'xsi:type', '_a.b-c', 'Ünit'].every(isXmlName)).toBe(true);
    expect(['', '1A', 'a b', '$text', '-a'].some(isXmlName)).toBe(false);
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject(null)).toBe(false);
  });
});
