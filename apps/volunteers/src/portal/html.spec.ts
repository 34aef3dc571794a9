import { escapeHtml, html, raw } from './html';

describe('html', () => {
  it('escapes every interpolated value, in content and attributes', () => {
    const value = `"><script>alert('x')</script>&`;
    expect(html`<input value="${value}"><p>${value}</p>`.value).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"><p>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
    expect(escapeHtml("a'b")).toBe('a&#39;b');
  });

  it('keeps markup made by html or raw, renders lists, and nothing for null, undefined and false', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${raw('<hr>')}`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0<hr>');
  });
});
