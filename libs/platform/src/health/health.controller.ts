import { Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { redactUrlCredentials } from '../config/config.define';
import type { HttpReply, HttpRequest } from '../http/fastify';
import { ProblemException } from '../http/problem';
import { resolveProblem, sendProblem } from '../http/problem.filter';
import { Public } from '../http/public.decorator';
import { AppLifecycle } from './app-lifecycle';
import { HealthRegistry } from './health.registry';
import { type ReadinessReport, runReadinessChecks } from './readiness';

export const HEALTH_OPTIONS = Symbol.for('podium.platform.health.options');

export interface HealthModuleOptions {
  /** Longest a readiness check may take before it counts as down. Default 2000 ms. */
  checkTimeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

function unavailable(req: HttpRequest, res: HttpReply, slug: string, title: string, detail: string, extensions = {}): void {
  const problem = new ProblemException({ status: 503, slug, title, detail, extensions });
  sendProblem(req, res, resolveProblem(problem));
}

/**
 * Probes, split by purpose: startup (bootstrap finished), readiness (every registered dependency
 * check passes, within a timeout), liveness (the process answers; no dependency is checked, so a
 * database outage never gets the pod restarted). Public, not in the OpenAPI document, not logged
 * per request. Readiness answers each check's name with `up`/`down` and a short reason code
 * (`timeout`, `error`, or a check's HealthCheckError code), never a driver's error text, which can
 * name hosts, ports, users or SQL states to anyone who can reach the port: that text is logged,
 * once per change of a check (down, another reason, up again), not per probe.
 */
@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  private inflight: Promise<ReadinessReport> | undefined;
  private lastReady: boolean | undefined;
  /** Per check, what the last run found: 'up' or its reason code. */
  private readonly lastStates = new Map<string, string>();

  constructor(
    private readonly registry: HealthRegistry,
    private readonly lifecycle: AppLifecycle,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  @Get('live')
  live(@Res() res: HttpReply): void {
    void res.code(200).header('Cache-Control', 'no-store').send({ status: 'ok' });
  }

  @Get('startup')
  startup(@Req() req: HttpRequest, @Res() res: HttpReply): void {
    if (!this.lifecycle.isStarted) {
      unavailable(req, res, 'not-started', 'Service starting', 'The service has not finished starting.');
      return;
    }
    void res.code(200).header('Cache-Control', 'no-store').send({ status: 'ok' });
  }

  @Get('ready')
  async ready(@Req() req: HttpRequest, @Res() res: HttpReply): Promise<void> {
    if (!this.lifecycle.isStarted) {
      unavailable(req, res, 'not-ready', 'Service not ready', 'The service has not finished starting.');
      return;
    }
    if (this.lifecycle.isShuttingDown) {
      unavailable(req, res, 'not-ready', 'Service not ready', 'The service is shutting down.');
      return;
    }
    const report = await this.check();
    if (report.ready) {
      void res.code(200).header('Cache-Control', 'no-store').send({ status: 'ok', checks: report.checks });
      return;
    }
    const detail = Object.entries(report.failures)
      .map(([name, reason]) => `${name}: ${reason}`)
      .join('; ');
    unavailable(req, res, 'not-ready', 'Service not ready', detail, { checks: report.checks, failures: report.failures });
  }

  /** Concurrent probes share one run of the checks. */
  private check(): Promise<ReadinessReport> {
    if (this.inflight === undefined) {
      const timeoutMs = this.options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
      this.inflight = runReadinessChecks(this.registry.list(), timeoutMs)
        .then((report) => {
          this.logTransition(report);
          return report;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  private logTransition(report: ReadinessReport): void {
    for (const [name, status] of Object.entries(report.checks)) {
      const failure = report.errors[name];
      const state = status === 'up' || failure === undefined ? 'up' : failure.code;
      const previous = this.lastStates.get(name);
      this.lastStates.set(name, state);
      if (state === previous) continue;
      if (failure !== undefined && state !== 'up') {
        const error = redactUrlCredentials(failure.message);
        this.logger.warn({ check: name, reason: failure.code, error }, `Readiness check '${name}' down (${failure.code}): ${error}`);
      } else if (previous !== undefined) {
        this.logger.log({ check: name }, `Readiness check '${name}' up again`);
      }
    }
    if (report.ready === this.lastReady) return;
    if (report.ready) this.logger.log({ checks: report.checks }, 'Ready: every dependency check passes');
    else this.logger.warn({ checks: report.checks, failures: report.failures }, 'Not ready: a dependency check fails');
    this.lastReady = report.ready;
  }
}
