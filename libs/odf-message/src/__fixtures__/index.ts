// Test-only helpers (imported by *.spec.ts only; not exported from the lib).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type OdfMessage, parseOdfXml, type ParseOptions } from '../message';

export const FIXTURES = {
  stats: 'paris2024-glf-dt_stats.xml',
  schedule: 'paris2024-ows-dt_schedule.xml',
  scheduleUpdate: 'cis2025-wre-dt_schedule_update.xml',
  result: 'itl-og2028-squ-dt_result-wsingles-gold.xml',
  medallists: 'itl-og2028-squ-dt_medallists-wsingles.xml',
  medals: 'itl-og2028-squ-dt_medals.xml',
  validatorGood: 'odfvalidator-arc-schedule_good.xml',
  validatorBad: 'odfvalidator-arc-schedule_bad.xml',
} as const;

export function fixture(name: keyof typeof FIXTURES): Buffer {
  return readFileSync(join(__dirname, FIXTURES[name]));
}

/** Parses XML that must be valid; throws with the errors otherwise. */
export function mustParse(xml: string | Uint8Array, options?: ParseOptions): OdfMessage {
  const result = parseOdfXml(xml, options);
  if (!result.ok) {
    throw new Error(`expected a valid message, got ${JSON.stringify(result.errors)}`);
  }
  return result.message;
}
