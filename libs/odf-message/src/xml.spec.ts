import { DEFAULT_TREE_LIMITS } from './element';
import { decodeXmlBytes, lineColumn, parseXml, type XmlParseResult } from './xml';

function ok(src: string): Extract<XmlParseResult, { ok: true }> {
  const result = parseXml(src, DEFAULT_TREE_LIMITS);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return result;
}

function error(src: string, limits = DEFAULT_TREE_LIMITS): { message: string; line: number; column: number } {
  const result = parseXml(src, limits);
  if (result.ok) throw new Error('expected a syntax error');
  return result.error;
}

describe('parseXml: tree shape', () => {
  it('maps attributes to strings and children to arrays, always arrays even for one child', () => {
    const { rootName, root } = ok('<A x="1" y=\'two\'><B k="v"/><C/><B k="w"></B></A>');
    expect(rootName).toBe('A');
    expect(root).toEqual({ x: '1', y: 'two', B: [{ k: 'v' }, { k: 'w' }], C: [{}] });
  });

  it('keeps values as strings (leading zeros, empty values, colons)', () => {
    const { root } = ok('<A Unit="000100" Empty="" Lead="0:00" />');
    expect(root).toEqual({ Unit: '000100', Empty: '', Lead: '0:00' });
  });

  it('decodes predefined entities and character references', () => {
    const { root } = ok('<A v="34\'3 &quot;" w="&lt;&gt;&amp;&apos;&#65;&#x42;&#x1F947;">a &amp; b</A>');
    expect(root['v']).toBe('34\'3 "');
    expect(root['w']).toBe("<>&'AB🥇");
    expect(root['$text']).toBe('a & b');
  });

  it('normalizes literal tab/CR/LF in attribute values to spaces but keeps character references', () => {
    const { root } = ok('<A v="a\tb\nc" w="x&#10;y" />');
    expect(root['v']).toBe('a b c');
    expect(root['w']).toBe('x\ny');
  });

  it('ignores whitespace-only text, comments, processing instructions, and trims text', () => {
    const { root } = ok(
      '<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><A>\n  <?pi data?><B>  hi <![CDATA[<raw> & ]]> </B>\n</A><!--hash-->\n',
    );
    expect(root).toEqual({ B: [{ $text: 'hi <raw> &' }] });
  });

  it('accepts a UTF-8 BOM and reports the declared encoding', () => {
    const result = ok('\ufeff<?xml version="1.0" encoding="ISO-8859-1"?><A/>');
    expect(result.declaredEncoding).toBe('ISO-8859-1');
    expect(ok('<A/>').declaredEncoding).toBeNull();
  });

  it('turns element names inherited from Object.prototype into own properties', () => {
    const { root } = ok('<A><constructor x="1"/><toString/><constructor x="2"/></A>');
    expect(root['constructor']).toEqual([{ x: '1' }, { x: '2' }]);
    expect(root['toString']).toEqual([{}]);
  });

  it('accepts both quote styles and whitespace around =', () => {
    expect(ok('<A a = "1"\n\tb=\'2\' />').root).toEqual({ a: '1', b: '2' });
  });
});

describe('parseXml: well-formedness errors with line and column', () => {
  it.each([
    ['<A><B></A>', 'expected closing tag </B> (opened at line 1, column 4), found </A>', 1, 7],
    ['<A>\n  <B>', 'unclosed tag <B> at the end of the document', 2, 3],
    ['<A x="1" x="2"/>', 'attribute x is repeated in <A>', 1, 10],
    ['<A/><B/>', 'a second root element <B>: only one is allowed', 1, 5],
    ['<A b=c/>', 'value of attribute b must be quoted', 1, 6],
    ['<A b/>', "attribute b has no value (expected '=')", 1, 5],
    ['<A b="1"c="2"/>', "expected whitespace, '>' or '/>' in tag <A>", 1, 9],
    ['<A b="x<y"/>', "'<' is not allowed in the value of attribute b", 1, 8],
    ['<A b="never closed/>', 'unterminated value of attribute b', 1, 6],
    [
      '<A>&foo;</A>',
      'unknown entity &foo; (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)',
      1,
      4,
    ],
    [
      '<A>fish & chips</A>',
      "'&' must start an entity reference such as &amp; (unterminated reference)",
      1,
      9,
    ],
    ['<A v="&#0;"/>', 'invalid character reference &#0;', 1, 7],
    ['<A v="&#xD800;"/>', 'invalid character reference &#xD800;', 1, 7],
    ['text<A/>', 'text before the root element', 1, 1],
    ['<A/>trailing', 'text after the root element', 1, 5],
    ['</A>', 'closing tag </A> without a matching opening tag', 1, 1],
    ['', 'no root element', 1, 1],
    ['<A><!-- open </A>', 'unterminated comment', 1, 4],
    ['<A/><?xml version="1.0"?>', 'the XML declaration <?xml ...?> is only allowed at the very start', 1, 5],
    ['<1A/>', 'expected element name', 1, 2],
    ['<A><__proto__/></A>', 'element name __proto__ is not allowed', 1, 5],
    ['<A __proto__="x"/>', 'attribute name __proto__ is not allowed', 1, 4],
    [
      '<A Medal="1"><Medal/></A>',
      'element <Medal> has the same name as an attribute of its parent <A>',
      1,
      14,
    ],
    ['<![CDATA[x]]><A/>', 'CDATA section outside the root element', 1, 1],
    ['<A', 'unterminated tag <A>', 1, 1],
  ])('%j → %s', (src, message, line, column) => {
    expect(error(src)).toEqual(expect.objectContaining({ message, line, column }));
  });

  it('refuses any DOCTYPE, so entity expansion (billion laughs) cannot happen', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
    expect(error(lol).message).toBe(
      'DOCTYPE is not allowed: ODF messages must not declare a DTD or entities',
    );
    expect(error('<!DOCTYPE OdfBody SYSTEM "file:///etc/passwd"><OdfBody/>').message).toMatch(
      /^DOCTYPE is not allowed/,
    );
  });

  it('bounds the nesting depth', () => {
    const deep = '<A>'.repeat(40) + '</A>'.repeat(40);
    expect(error(deep).message).toBe('elements are nested deeper than 32 levels');
    expect(parseXml('<A>'.repeat(32) + '</A>'.repeat(32), DEFAULT_TREE_LIMITS).ok).toBe(true);
    // a very deep document fails fast, without recursion
    const huge = '<A>'.repeat(200_000);
    expect(error(huge).message).toBe('elements are nested deeper than 32 levels');
  });

  it('bounds the number of elements', () => {
    const many = '<A>' + '<B/>'.repeat(11) + '</A>';
    expect(error(many, { maxDepth: 32, maxElements: 10 })).toEqual(
      // the root counts: the 10th <B> is the 11th element, at offset 3 + 9 * 4
      expect.objectContaining({ message: 'more than 10 elements', column: 40 }),
    );
  });
});

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('decodeXmlBytes', () => {
  it('decodes UTF-8 and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<A v="réunion"/>', 'utf8')]);
    expect(decodeXmlBytes(bytes)).toEqual({ ok: true, text: '<A v="réunion"/>' });
  });

  it('refuses invalid UTF-8 and UTF-16', () => {
    expect(decodeXmlBytes(Buffer.from([0x3c, 0x41, 0xff, 0x2f, 0x3e]))).toEqual({
      ok: false,
      message: 'the message is not valid UTF-8',
    });
    expect(decodeXmlBytes(Buffer.from('\ufeff<A/>', 'utf16le'))).toEqual({
      ok: false,
      message: 'UTF-16 is not supported: send the message encoded as UTF-8',
    });
  });
});
