import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import { type HttpReply, type HttpRequest, sendCached } from '@podium/platform';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedBody, STATIC_CACHE } from '../common/http-cache';

const WIDGET_FILE = 'podium-widget.js';

/** The widget script: next to main.js in the build (webpack asset), next to this file in the sources (tests). */
export function loadWidgetScript(): string {
  const candidates = [join(__dirname, 'widget', WIDGET_FILE), join(__dirname, WIDGET_FILE)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`The widget script ${WIDGET_FILE} is missing (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}

const DEMO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Podium results widget</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<p>Embed: <code>&lt;script src="/widget.js" async&gt;&lt;/script&gt; &lt;podium-results unit="RSC" medals&gt;&lt;/podium-results&gt;</code>.
This page shows the unit given as <code>?unit=RSC</code>.</p>
<podium-results id="widget" medals></podium-results>
<script>
  var unit = new URLSearchParams(location.search).get('unit');
  if (unit) document.getElementById('widget').setAttribute('unit', unit);
</script>
<script src="/widget.js" async></script>
</body></html>
`;

/** The embeddable widget: one script tag defines <podium-results unit="…" medals>, live over SSE. */
@ApiExcludeController()
@Public()
@Controller()
export class WidgetController {
  private readonly script = cachedBody(loadWidgetScript());
  private readonly page = cachedBody(DEMO_PAGE);

  @Get('widget.js')
  widget(@Req() req: HttpRequest, @Res() reply: HttpReply): void {
    sendCached(req, reply, this.script.body, {
      etag: this.script.etag,
      cacheControl: STATIC_CACHE,
      contentType: 'text/javascript; charset=utf-8',
    });
  }

  @Get('widget.html')
  demo(@Req() req: HttpRequest, @Res() reply: HttpReply): void {
    sendCached(req, reply, this.page.body, { etag: this.page.etag, cacheControl: STATIC_CACHE, contentType: 'text/html; charset=utf-8' });
  }
}
