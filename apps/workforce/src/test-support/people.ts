/**
 * Test-only fixtures of the workforce integration tests: a member's create body (unique names per call), a venue,
 * and reading the WORKFORCE stream's events of one entity.
 */
import { waitFor } from '@podium/testing';

import type { Harness } from './harness';

let serial = 0;

/** A valid member create body (staff of the OC unless overridden), with a family name unique to the call. */
export function memberBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  const n = String(serial).padStart(5, '0');
  return {
    type: 'staff',
    familyName: `MARCHAND${n}`,
    givenName: `Léa${n}`,
    dateOfBirth: `1990-04-${String((serial % 28) + 1).padStart(2, '0')}`,
    nationality: 'FRA',
    organisation: 'PARIS2024',
    role: 'Venue host',
    functionalArea: 'VEN',
    homeVenue: 'STA',
    skills: ['first-aid'],
    languages: ['fr', 'en'],
    ...over,
  };
}

/** The events of WORKFORCE on `subject` about `id`, once at least `count` of them arrived (relayed by the outbox). */
export async function eventsOf(h: Harness, subject: string, id: string, count = 1): Promise<{ data: Record<string, unknown> }[]> {
  const found = await waitFor(
    async () => {
      const found = (await h.readStream('WORKFORCE'))
        .filter((m) => m.subject === subject)
        .map((m) => m.json as { data: Record<string, unknown> })
        .filter((e) => e.data['id'] === id);
      return found.length >= count ? found : undefined;
    },
    { timeoutMs: 15_000, description: `${count} event(s) ${subject} of ${id}` },
  );
  if (!found) throw new Error(`no event ${subject} of ${id}`);
  return found;
}
