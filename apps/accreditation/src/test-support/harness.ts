/**
 * Test harness of the accreditation integration tests, on @podium/testing's startTestService: its own migrated database
 * and NATS prefix, the real AppModule on a random loopback port, dev tokens, and the ACCREDITATION stream's messages.
 * Test-only code (excluded from the app build).
 */
import { startTestService, type TestService } from '@podium/testing';

import { AppModule } from '../app/app.module';

export type Harness = TestService;

export function startAccreditation(env: Record<string, string> = {}): Promise<Harness> {
  return startTestService({
    service: 'accreditation',
    module: AppModule,
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error', ...env },
  });
}

/** The answer's JSON body, after checking its status (a mismatch throws with the body, to say why). */
export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}
