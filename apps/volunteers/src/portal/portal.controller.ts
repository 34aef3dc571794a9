import { Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type HttpReply, type HttpRequest, Public, resolveProblem } from '@podium/platform';

import { PORTAL_CSS } from './styles';
import { type PortalAnswer, PortalService } from './portal.service';

/**
 * What every portal page carries: a CSP without any script (and no inline style: the stylesheet is served), no
 * sniffing, no framing, no Referer (a status page's URL holds the applicant's token: it must not leak to another
 * site), and no caching (the pages hold personal data or the token).
 */
export const PORTAL_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  Vary: 'Accept-Language, Cookie',
};

/**
 * The public portal's pages (server-rendered HTML, no JavaScript; docs/volunteers-portal.md). Public (no token), and
 * not in the API's OpenAPI document: these are pages for people, not an API.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  private readonly logger = new Logger('Portal');

  constructor(private readonly portal: PortalService) {}

  @Get('apply')
  form(@Req() req: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    return this.send(req, reply, () => this.portal.form(req));
  }

  @Post('apply')
  submit(@Req() req: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    return this.send(req, reply, () => this.portal.submit(req));
  }

  @Get('status/:token')
  status(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.status(req, token));
  }

  @Post('status/:token/answer')
  answer(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.act(req, token, 'answer'));
  }

  @Post('status/:token/withdraw')
  withdraw(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.act(req, token, 'withdraw'));
  }

  @Get('status/:token/personal-data')
  exportData(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.exportData(req, token));
  }

  @Get('status/:token/erase')
  eraseForm(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.eraseForm(req, token));
  }

  @Post('status/:token/erase')
  erase(@Req() req: HttpRequest, @Res() reply: HttpReply, @Param('token') token: string): Promise<void> {
    return this.send(req, reply, () => this.portal.erase(req, token));
  }

  @Get('portal.css')
  stylesheet(@Res() reply: HttpReply): void {
    void reply
      .code(200)
      .header('Content-Type', 'text/css; charset=utf-8')
      .header('Cache-Control', 'public, max-age=3600')
      .header('X-Content-Type-Options', 'nosniff')
      .send(PORTAL_CSS);
  }

  /** Sends the page (an HTML error page, never problem+json, when something unexpected fails). */
  private async send(req: HttpRequest, reply: HttpReply, make: () => Promise<PortalAnswer>): Promise<void> {
    let answer: PortalAnswer;
    try {
      answer = await make();
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (!req.raw.readableEnded) req.raw.resume();
      // What the API would answer with a Retry-After (PostgreSQL or NATS away for a moment: 503; a serialization
      // conflict still lost after the service's own retries: 409): the "busy, try again" page with the same header.
      const problem = resolveProblem(error);
      const retryAfter = problem.headers['Retry-After'];
      if (retryAfter !== undefined) {
        this.logger.warn({ method: req.method, path: req.routeOptions.url, status: problem.status }, `Portal page refused for a moment: ${err.message}`);
        const busy = this.portal.error(req, 503, '/apply');
        answer = { ...busy, headers: { ...busy.headers, 'Retry-After': retryAfter } };
      } else {
        // The message and stack only (the request's body, which holds personal data, is never logged).
        this.logger.error({ err, method: req.method, path: req.routeOptions.url }, `Portal page failed: ${err.message}`);
        answer = this.portal.error(req, 500, '/apply');
      }
    }
    reply.code(answer.status);
    for (const [name, value] of Object.entries({ ...PORTAL_HEADERS, ...answer.headers })) reply.header(name, value);
    if (answer.file) {
      void reply.header('Content-Type', answer.file.contentType).header('Content-Disposition', `attachment; filename="${answer.file.name}"`).send(answer.file.text);
      return;
    }
    if (!answer.page) {
      void reply.send();
      return;
    }
    void reply.header('Content-Type', 'text/html; charset=utf-8').send(answer.page.value);
  }
}
