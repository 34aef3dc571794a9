/**
 * Test harness of the volunteers integration tests, on @podium/testing's startTestService: its own migrated database
 * and NATS prefix, the real AppModule on a random loopback port, dev tokens, and the VOLUNTEERS stream's messages.
 * Test-only code (excluded from the app build).
 */
import { startTestService, type TestService } from '@podium/testing';

import { AppModule } from '../app/app.module';

export type Harness = TestService;

export function startVolunteers(env: Record<string, string> = {}): Promise<Harness> {
  return startTestService({
    service: 'volunteers',
    module: AppModule,
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error', ...env },
  });
}
