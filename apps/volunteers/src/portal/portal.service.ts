import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  clientAddress,
  getCorrelationId,
  type HttpRequest,
  CONFIG,
  parseTrustedProxies,
  ProblemException,
  type TrustedProxies,
} from '@podium/platform';
import { randomBytes } from 'node:crypto';

import type { VolunteersConfig } from '../app/config';
import type { FieldProblem } from '../applications/application.logic';
import { ApplicationsService } from '../applications/applications.service';
import type { ApplicationView } from '../applications/applications.view';
import { checkApplication, STATUS_TOKEN_BYTES } from '../applications/submission.logic';
import type { CampaignView } from '../campaign/campaign.logic';
import { CampaignService } from '../campaign/campaign.service';
import { exportFileName } from '../personal-data/personal-data.logic';
import { PersonalDataService } from '../personal-data/personal-data.service';
import { allowedMoves, effectiveStage, isOfferExpired, isWithdrawalReason } from '../pipeline/pipeline.logic';
import { PipelineService } from '../pipeline/pipeline.service';
import { readForm } from './body';
import { candidateOf, emptyForm, formValues } from './form';
import type { Html } from './html';
import { cookieValue, LANG_COOKIE, negotiateLocale, portalLanguages } from './locale';
import { CATALOGUES, type MessageKey, translator } from './messages';
import { closedPage, donePage, erasedPage, erasePage, type ErrorStatus, errorPage, formPage, type PageContext, statusPage } from './pages';
import { RateLimiter } from './rate-limit';

/** A page to send: its status, its HTML, and headers of its own (Retry-After, Location, Set-Cookie). */
export interface PortalAnswer {
  status: number;
  page?: Html;
  /** A body that is not a page (the applicant's data export: JSON, as an attachment). */
  file?: { contentType: string; name: string; text: string };
  headers?: Record<string, string>;
}

/** The window of VOLUNTEERS_PORTAL_POSTS_PER_ADDRESS. */
export const PORTAL_RATE_WINDOW_MS = 10 * 60_000;

/**
 * The public portal (docs/volunteers-portal.md): the form, its post, the status page and the applicant's answers. Every
 * form post is limited per client address before its body is read; the form is checked with the shared check and
 * created by ApplicationsService.submit; the answers go through PipelineService with the status token.
 */
@Injectable()
export class PortalService {
  private readonly logger = new Logger('Portal');
  private readonly limiter: RateLimiter;
  private readonly proxies: TrustedProxies;
  readonly edition: string;

  constructor(
    @Inject(CONFIG) config: VolunteersConfig,
    private readonly campaigns: CampaignService,
    private readonly applications: ApplicationsService,
    private readonly pipeline: PipelineService,
    private readonly personalData: PersonalDataService,
  ) {
    this.edition = config.VOLUNTEERS_PORTAL_EDITION;
    this.limiter = new RateLimiter({ capacity: config.VOLUNTEERS_PORTAL_POSTS_PER_ADDRESS, windowMs: PORTAL_RATE_WINDOW_MS });
    const parsed = parseTrustedProxies(config.TRUSTED_PROXIES);
    this.proxies = parsed.ok ? parsed.proxies : null;
  }

  /** GET /apply: the form, or a page saying applications are closed. */
  async form(request: HttpRequest): Promise<PortalAnswer> {
    const campaign = await this.campaign();
    const { ctx, headers } = this.context(request, campaign, '/apply');
    if (!campaign?.open) return { status: 200, page: closedPage(ctx), headers };
    return { status: 200, page: formPage(ctx, { campaign, values: emptyForm(campaign, ctx.t.locale) }), headers };
  }

  /** POST /apply (see the class comment). */
  async submit(request: HttpRequest): Promise<PortalAnswer> {
    const limited = this.limit(request, '/apply');
    if (limited) return limited;
    const body = await readForm(request.raw);
    if (!body.ok) return this.error(request, body.status, '/apply');
    const campaign = await this.campaign();
    const values = campaign ? formValues(body.form, campaign) : undefined;
    const { ctx } = this.context(request, campaign, '/apply', values?.locale);
    if (!campaign?.open || !values) return { status: 409, page: closedPage(ctx) };

    // The honeypot: a robot filled a field nobody sees. It gets the page a person gets, with a link to nothing, and
    // nothing is stored (and nothing of what it sent is logged).
    if (values.honeypot.trim() !== '') {
      this.logger.warn({ address: this.address(request) }, 'Portal form post with the honeypot filled: answered as accepted, nothing stored');
      return this.done(request, ctx, values.givenName, randomBytes(STATUS_TOKEN_BYTES).toString('base64url'));
    }

    const candidate = candidateOf(values);
    const checked = checkApplication(candidate.value, campaign);
    const again = (status: number, problems: readonly FieldProblem[], formError?: MessageKey): PortalAnswer => ({
      status,
      page: formPage(ctx, { campaign, values, problems: { list: problems, candidate }, formError }),
    });
    if (!checked.ok) return again(400, checked.errors);
    try {
      const { token } = await this.applications.submit(this.edition, checked.input, { via: 'portal', by: 'applicant' });
      return this.done(request, ctx, checked.input.givenName, token);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      if (error.slug === 'duplicate-application') return again(409, [], 'v.duplicate');
      if (error.slug === 'campaign-closed') return again(409, [], 'v.closed');
      if (error.getStatus() === 400 && error.errors?.length) return again(400, error.errors);
      throw error;
    }
  }

  /** GET /status/{token}: 404 page for any token that is not an application's. `done` after a recorded answer. */
  async status(request: HttpRequest, token: string, notice?: { status: number; key: MessageKey; values?: Record<string, string> }): Promise<PortalAnswer> {
    const application = await this.byToken(token);
    if (!application) return this.error(request, 404, `/status/${token}`);
    const campaign = await this.campaign(application.edition);
    const { ctx, headers } = this.context(request, campaign, `/status/${token}`, undefined, application.locale);
    const deadline = application.offer?.deadline ? new Date(application.offer.deadline) : null;
    const now = new Date();
    // An offer past its deadline reads lapsed at once, before the pipeline's sweep writes it down.
    const stage = effectiveStage(application.stage, deadline, now);
    const moves = allowedMoves(stage, 'applicant');
    const query = request.query as Record<string, unknown> | undefined;
    const recorded = notice === undefined && query?.['done'] === '1';
    const page = statusPage(ctx, {
      application: { ...application, stage },
      campaign,
      token,
      canAnswer: moves.includes('accepted') && !isOfferExpired(stage, deadline, now),
      canWithdraw: moves.includes('withdrawn'),
      notice: notice
        ? { kind: 'error', text: ctx.t.t(notice.key, notice.values) }
        : recorded
          ? { kind: 'ok', text: ctx.t.t('status.updated') }
          : undefined,
    });
    return { status: notice?.status ?? 200, page, headers };
  }

  /** POST /status/{token}/answer (answer=accept|decline) and /withdraw (confirm=yes): 303 back to the status page. */
  async act(request: HttpRequest, token: string, action: 'answer' | 'withdraw'): Promise<PortalAnswer> {
    const path = `/status/${token}`;
    const limited = this.limit(request, path);
    if (limited) return limited;
    const body = await readForm(request.raw);
    if (!body.ok) return this.error(request, body.status, path);
    const answer = body.form.get('answer');
    if (action === 'answer' && answer !== 'accept' && answer !== 'decline') return this.status(request, token, { status: 400, key: 'v.invalid' });
    if (action === 'withdraw' && body.form.get('confirm') !== 'yes') return this.status(request, token, { status: 400, key: 'status.confirm.required' });
    const code = body.form.get('reason') ?? '';
    if (action === 'withdraw' && code !== '' && !isWithdrawalReason(code)) return this.status(request, token, { status: 400, key: 'v.invalid' });
    try {
      if (action === 'answer') await this.pipeline.applicantAnswer(token, answer === 'accept' ? 'accept' : 'decline');
      else await this.pipeline.applicantWithdraw(token, { ...(isWithdrawalReason(code) ? { code } : {}), text: body.form.get('reasonText') ?? '' });
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      if (error.getStatus() === 404) return this.error(request, 404, path);
      if (error.getStatus() === 409) {
        const stage = error.slug === 'offer-lapsed' ? 'lapsed' : (await this.byToken(token))?.stage;
        if (!stage) return this.error(request, 404, path);
        const tr = translator(this.context(request, undefined, path).ctx.t.locale);
        return this.status(request, token, { status: 409, key: 'status.refused', values: { reason: tr.t(`stage.${stage}` as MessageKey) } });
      }
      throw error;
    }
    return { status: 303, headers: { Location: `${path}?done=1` } };
  }

  /**
   * GET /status/{token}/personal-data: everything held about the applicant, as a JSON file to download (a plain link:
   * works with JavaScript off). The 404 page for any other token.
   */
  async exportData(request: HttpRequest, token: string): Promise<PortalAnswer> {
    try {
      const document = await this.personalData.exportByToken(token);
      return {
        status: 200,
        file: { contentType: 'application/json; charset=utf-8', name: exportFileName(document.application.id), text: `${JSON.stringify(document, null, 2)}\n` },
      };
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) return this.error(request, 404, `/status/${token}`);
      throw error;
    }
  }

  /** GET /status/{token}/erase: the confirmation page (the 404 page for any other token). */
  async eraseForm(request: HttpRequest, token: string, missing?: { posted: string | undefined }): Promise<PortalAnswer> {
    const path = `/status/${token}/erase`;
    const application = await this.byToken(token);
    if (!application) return this.error(request, 404, path);
    const { ctx, headers } = this.context(request, await this.campaign(application.edition), path, missing?.posted, application.locale);
    return { status: missing ? 400 : 200, page: erasePage(ctx, { token, missing: missing !== undefined }), headers };
  }

  /**
   * POST /status/{token}/erase (confirm=yes): erases the applicant's personal data (PersonalDataService.eraseByToken)
   * and answers the page saying so, with no link back (the token leads nowhere afterwards: the 404 page). Without the
   * box: the confirmation page again with the error (400).
   */
  async erase(request: HttpRequest, token: string): Promise<PortalAnswer> {
    const path = `/status/${token}/erase`;
    const limited = this.limit(request, path);
    if (limited) return limited;
    const body = await readForm(request.raw);
    if (!body.ok) return this.error(request, body.status, path);
    if (body.form.get('confirm') !== 'yes') return this.eraseForm(request, token, { posted: body.form.get('locale') ?? undefined });
    const application = await this.byToken(token);
    if (!application) return this.error(request, 404, path);
    try {
      await this.personalData.eraseByToken(token);
    } catch (error) {
      // Erased meanwhile by another request or by staff: its token already leads nowhere.
      if (error instanceof ProblemException && (error.getStatus() === 404 || error.slug === 'already-erased')) return this.error(request, 404, path);
      throw error;
    }
    // The page's language switch leads to the form: the link it came from leads nowhere now.
    const { ctx, headers } = this.context(request, await this.campaign(application.edition), '/apply', body.form.get('locale') ?? undefined, application.locale);
    return { status: 200, page: erasedPage(ctx), headers };
  }

  /** An error page in the visitor's language (with no campaign read: a 429 or 413 costs nothing). */
  error(request: HttpRequest, status: ErrorStatus, path: string, values: Record<string, string | number> = {}): PortalAnswer {
    const { ctx, headers } = this.context(request, undefined, path);
    const ref = getCorrelationId() ?? '-';
    return { status, page: errorPage(ctx, status, { ref, ...values }), headers };
  }

  /** The per-address limit of form posts: undefined when allowed, else the 429 page (with Retry-After). */
  private limit(request: HttpRequest, path: string): PortalAnswer | undefined {
    const decision = this.limiter.take(this.address(request), Date.now());
    if (decision.allowed) return undefined;
    request.raw.resume(); // the body is never read: let it drain
    const answer = this.error(request, 429, path, { minutes: Math.max(1, Math.ceil(decision.retryAfterSeconds / 60)) });
    return { ...answer, headers: { ...answer.headers, 'Retry-After': String(decision.retryAfterSeconds) } };
  }

  private address(request: HttpRequest): string {
    return clientAddress(request.raw.socket.remoteAddress, request.headers['x-forwarded-for'], this.proxies);
  }

  private done(request: HttpRequest, ctx: PageContext, givenName: string, token: string): PortalAnswer {
    const host = typeof request.headers.host === 'string' && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(request.headers.host) ? request.headers.host : undefined;
    return { status: 201, page: donePage(ctx, { givenName, token, host }) };
  }

  /** The application of a status token, or undefined (any other token: the same 404 page, whatever it looks like). */
  private async byToken(token: string): Promise<ApplicationView | undefined> {
    try {
      return await this.applications.findByToken(token);
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) return undefined;
      throw error;
    }
  }

  /** The campaign of `edition` (the portal's by default), or undefined when there is none. */
  private async campaign(edition = this.edition): Promise<CampaignView | undefined> {
    try {
      return await this.campaigns.get(edition);
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) return undefined;
      throw error;
    }
  }

  /**
   * The page's context: its language (`?lang=`, then the form's own `locale` field on a post, the `lang` cookie, the
   * application's language, Accept-Language; see locale.ts) among the campaign's (every catalogue's without one), and
   * the cookie to set when the switch chose it.
   */
  private context(
    request: HttpRequest,
    campaign: CampaignView | undefined,
    path: string,
    posted?: string,
    preferred?: string,
  ): { ctx: PageContext; headers: Record<string, string> } {
    const languages = campaign ? portalLanguages(campaign.hostLanguage) : Object.keys(CATALOGUES);
    const query = request.query as Record<string, unknown> | undefined;
    const lang = typeof query?.['lang'] === 'string' ? query['lang'] : undefined;
    const cookie = cookieValue(request.headers.cookie, LANG_COOKIE);
    const { locale, switched } = negotiateLocale(languages, {
      query: lang ?? posted,
      cookie,
      preferred,
      acceptLanguage: request.headers['accept-language'],
    });
    const headers: Record<string, string> =
      switched && lang !== undefined && cookie !== locale ? { 'Set-Cookie': `${LANG_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` } : {};
    return { ctx: { t: translator(locale), languages, path, edition: campaign?.edition ?? this.edition }, headers };
  }
}
