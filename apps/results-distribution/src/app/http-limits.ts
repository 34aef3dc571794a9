import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CONFIG } from '@podium/platform';
import type { Server } from 'node:http';
import type { DistributionConfig } from './config';

export type HttpLimits = Pick<DistributionConfig, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_IDLE_TIMEOUT_MS'>;

/**
 * How often Node checks the requests in progress against the headers and request timeouts (its default, 30 s, would
 * let a slow-headers client hold a socket for up to 30 s past HTTP_HEADERS_TIMEOUT_MS). The check walks only the
 * requests in progress: cheap.
 */
export function checkingIntervalMs(limits: HttpLimits): number {
  return Math.max(100, Math.min(1_000, Math.floor(limits.HTTP_HEADERS_TIMEOUT_MS / 4)));
}

/**
 * This service's HTTP server limits, for a public service that anyone may connect to:
 * - headersTimeout: a request's headers must be complete within HTTP_HEADERS_TIMEOUT_MS of its first byte (a client
 *   sending them byte by byte is answered 408 and cut), requestTimeout the same for the whole request;
 *   (Node counts a connection's first request from the connection: one that never sends anything is cut too);
 * - timeout (the sockets' idle timeout): a connection on which no byte moves for HTTP_IDLE_TIMEOUT_MS is closed, e.g.
 *   a response the client does not read. SSE streams set their own (SSE_IDLE_TIMEOUT_MS), WebSockets none (`ws`; the
 *   CIS gateway's pings and CIS_SUBSCRIBE_TIMEOUT_MS bound them); between requests, the platform's keepAliveTimeout
 *   applies (the headers timeout starts again with the next request's first byte).
 * Applied when the application bootstraps: after bootstrapService set the platform's headersTimeout, before the server
 * listens (Node reads connectionsCheckingInterval then).
 */
export function applyHttpLimits(server: Server, limits: HttpLimits): void {
  server.headersTimeout = limits.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = limits.HTTP_REQUEST_TIMEOUT_MS;
  server.setTimeout(limits.HTTP_IDLE_TIMEOUT_MS);
  // Read by Node when the server starts listening (not part of @types/node's Server).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = checkingIntervalMs(limits);
}

/** Applies {@link applyHttpLimits} to the service's HTTP server. */
@Injectable()
export class HttpServerLimits implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: DistributionConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    if (server.listening) {
      throw new Error('HttpServerLimits: the HTTP server listens already; its limits must be set before (at bootstrap)');
    }
    applyHttpLimits(server, this.config);
  }
}
