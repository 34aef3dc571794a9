/**
 * Test harness of the workforce integration tests, on @podium/testing's startTestService: its own migrated database
 * and NATS prefix, the real AppModule on a random loopback port, dev tokens, and the WORKFORCE stream's messages.
 * Test-only code (excluded from the app build).
 */
import { startTestService, type TestService } from '@podium/testing';

import { AppModule } from '../app/app.module';

export type Harness = TestService;

export function startWorkforce(env: Record<string, string> = {}): Promise<Harness> {
  return startTestService({
    service: 'workforce',
    module: AppModule,
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error', ...env },
  });
}
