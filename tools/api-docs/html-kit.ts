/**
 * What the pages of docs/reference written by this tool share (the index and the NATS subjects page): escaping, a
 * little inline markdown for the documents' descriptions, the page shell with its inline CSS, and the scan for
 * resources a page would fetch from another site when viewed (it must fetch none: every page is self-contained).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: every character that could open markup or close an attribute, escaped. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A description as HTML: paragraphs at blank lines, `code` spans, and nothing else (the documents' descriptions are
 * plain prose with code spans). Everything is escaped first, so a description cannot inject markup.
 */
export function prose(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '';
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${inline(paragraph)}</p>`)
    .join('\n');
}

/** One line or paragraph of prose without the <p>: escaped, with `code` spans. */
export function inline(text: string): string {
  return esc(text.trim()).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** An id usable in a URL fragment, from a document's name (letters, digits, '-', '_', '.'). */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** The CSS of the pages this tool writes (inline: the pages fetch nothing). Colours keep a 4.5:1 contrast or more. */
const CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #4a5360; --line: #d0d7de; --bg-alt: #f4f6f8; --accent: #0b5cad; --code-bg: #eef1f4; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5; color: var(--fg); background: #fff; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, pre:focus-visible, .scroll:focus-visible, summary:focus-visible { outline: 3px solid #c25400; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: 0.5rem 1rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
header.top { padding: 1.25rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--bg-alt); }
header.top p { margin: 0.25rem 0; max-width: 75rem; }
header.top .crumbs { margin: 0 0 0.5rem; font-size: 0.9rem; }
h1 { margin: 0 0 0.5rem; font-size: 1.75rem; line-height: 1.25; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 2rem 0 0.5rem; overflow-wrap: anywhere; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.5rem; }
.layout { display: grid; grid-template-columns: minmax(14rem, 19rem) minmax(0, 1fr); }
nav.toc { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; padding: 1rem 1rem 2rem 1.5rem; border-right: 1px solid var(--line); font-size: 0.9rem; }
nav.toc h2 { font-size: 1rem; margin: 0.75rem 0 0.25rem; border: 0; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc li { margin: 0.15rem 0; overflow-wrap: anywhere; }
main { padding: 0 1.5rem 3rem; max-width: 90rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.875em; }
code { background: var(--code-bg); padding: 0.05rem 0.3rem; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: 0.75rem 1rem; border-radius: 4px; overflow: auto; max-height: 32rem; }
pre code { background: none; padding: 0; overflow-wrap: normal; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.925rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); }
td p { margin: 0 0 0.35rem; }
td p:last-child { margin-bottom: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.75rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
table.schema { table-layout: fixed; min-width: 40rem; }
table.schema .c-field { width: 24%; }
table.schema .c-type { width: 14%; }
table.schema .c-req { width: 6.5rem; }
table.schema td { overflow-wrap: anywhere; }
.field code { overflow-wrap: normal; }
.req { font-weight: 600; }
.constraint { display: block; color: var(--muted); font-size: 0.875rem; overflow-wrap: anywhere; }
section.channel { border-top: 1px solid var(--line); margin-top: 2rem; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; font-weight: 600; }
ul.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
ul.cards li { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; }
ul.cards h3 { margin: 0 0 0.25rem; }
@media (max-width: 50rem) { .layout { display: block; } nav.toc { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); } }
`;

export interface PageOptions {
  title: string;
  /** Shown in the page's header (HTML). */
  header: string;
  /** The table of contents (HTML of a <nav>), or none for a page without one. */
  toc?: string;
  /** The main content (HTML). */
  body: string;
}

/** A complete, self-contained HTML page (inline CSS, no script; its Content-Security-Policy allows nothing else). */
export function page({ title, header, toc, body }: PageOptions): string {
  const content = toc === undefined ? `<main id="content">\n${body}\n</main>` : `<div class="layout">\n${toc}\n<main id="content">\n${body}\n</main>\n</div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tools/api-docs/html.ts (npm run api-docs:html)">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="top">
${header}
</header>
${content}
</body>
</html>
`;
}

/**
 * What a page would fetch from another origin when viewed: script, stylesheet, image, font, frame, media or module
 * sources and preloads, CSS url()/@import, and ES module imports, whose address is absolute (scheme or
 * protocol-relative). Links a reader may follow (<a href>) fetch nothing by themselves and are not listed.
 */
export function externalFetches(html: string): string[] {
  const found = new Set<string>();
  const external = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;
  const add = (url: string | undefined): void => {
    if (url !== undefined && external.test(url.trim())) found.add(url.trim());
  };
  // Elements that load what they name: every src/srcset/data/poster attribute, and <link> (stylesheet, preload, icon).
  for (const tag of html.matchAll(/<(script|img|iframe|frame|embed|object|source|audio|video|track|input|image|use)\b[^>]*>/gi)) {
    for (const attr of tag[0].matchAll(/\s(?:src|data|poster|href|xlink:href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) add(attr[2] ?? attr[3] ?? attr[4]);
    for (const attr of tag[0].matchAll(/\ssrcset\s*=\s*("([^"]*)"|'([^']*)')/gi)) for (const part of (attr[2] ?? attr[3] ?? '').split(',')) add(part.trim().split(/\s+/)[0]);
  }
  for (const tag of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = /\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag[0]);
    add(href?.[2] ?? href?.[3] ?? href?.[4]);
  }
  for (const m of html.matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/gi)) add(m[2]);
  for (const m of html.matchAll(/@import\s+(?:url\()?\s*["']([^"']+)["']/gi)) add(m[1]);
  for (const m of html.matchAll(/\bimport\s*(?:[\w*{}\s,]+\s*from\s*)?["']([^"']+)["']/g)) add(m[1]);
  for (const m of html.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) add(m[1]);
  return [...found].sort();
}
