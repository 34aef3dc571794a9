/**
 * Parse benchmark for @podium/odf-message. Prints ops/s and p50/p99 per message; asserts nothing.
 *
 *   npx tsx libs/odf-message/bench/parse.bench.ts [--iterations 5000]
 *
 * Figures depend on the machine; keep the command and the output together when quoting them.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { XMLParser } from 'fast-xml-parser';

import {
  decide,
  fingerprint,
  makeCurrentMessage,
  makeResultMessage,
  type OdfMessage,
  parseOdfJson,
  parseOdfXml,
  stateOf,
  toOdfJson,
} from '../src';

const args = process.argv.slice(2);
const flag = args.indexOf('--iterations');
const ITERATIONS = flag >= 0 ? Number(args[flag + 1]) : 5000;
const WARMUP = Math.min(2000, ITERATIONS);

interface Row {
  name: string;
  bytes: number;
  opsPerSec: number;
  p50: number;
  p99: number;
}

function measure(name: string, bytes: number, fn: () => unknown): Row {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples = new Float64Array(ITERATIONS);
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalUs = Number(process.hrtime.bigint() - start) / 1000;
  samples.sort();
  const pct = (p: number): number => samples[Math.min(ITERATIONS - 1, Math.floor(ITERATIONS * p))] ?? NaN;
  return { name, bytes, opsPerSec: (ITERATIONS / totalUs) * 1e6, p50: pct(0.5), p99: pct(0.99) };
}

function must(result: ReturnType<typeof parseOdfXml>): OdfMessage {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.message;
}

const UNIT = 'ATHM100M--------------FNL-000100--';
const inputs: { name: string; xml: string; options?: { extraDocumentTypes: string[] } }[] = [
  {
    name: 'DT_RESULT 8 competitors',
    xml: makeResultMessage({ rsc: UNIT, resultStatus: 'OFFICIAL', competitors: 8 }).xml,
  },
  {
    name: 'DT_RESULT 16 competitors',
    xml: makeResultMessage({ rsc: UNIT, resultStatus: 'OFFICIAL', competitors: 16 }).xml,
  },
  {
    name: 'DT_RESULT 30 competitors',
    xml: makeResultMessage({ rsc: UNIT, resultStatus: 'OFFICIAL', competitors: 30 }).xml,
  },
  { name: 'DT_CURRENT 8 competitors', xml: makeCurrentMessage({ rsc: UNIT, competitors: 8 }).xml },
  {
    name: 'real DT_STATS (Paris golf)',
    xml: readFileSync(join(__dirname, '../src/__fixtures__/paris2024-glf-dt_stats.xml'), 'utf8'),
    options: { extraDocumentTypes: ['DT_STATS'] },
  },
];

const fxp = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
});

const rows: Row[] = [];
for (const input of inputs) {
  const bytes = Buffer.byteLength(input.xml);
  const buffer = Buffer.from(input.xml);
  const message = must(parseOdfXml(input.xml, input.options));
  const json = JSON.parse(JSON.stringify(toOdfJson(message))) as unknown;
  const state = stateOf(message);
  rows.push(
    measure(`parseOdfXml(string)  ${input.name}`, bytes, () => parseOdfXml(input.xml, input.options)),
  );
  rows.push(measure(`parseOdfXml(Buffer)  ${input.name}`, bytes, () => parseOdfXml(buffer, input.options)));
  rows.push(measure(`parseOdfJson         ${input.name}`, bytes, () => parseOdfJson(json, input.options)));
  rows.push(measure(`fingerprint          ${input.name}`, bytes, () => fingerprint(message)));
  rows.push(measure(`decide (duplicate)   ${input.name}`, bytes, () => decide(state, message)));
  rows.push(measure(`fast-xml-parser 5.12 ${input.name}`, bytes, () => fxp.parse(input.xml)));
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
console.log(
  `@podium/odf-message parse benchmark: node ${process.version}, ${ITERATIONS} iterations (after ${WARMUP} warm-up)`,
);
console.log(
  [
    'operation / message'.padEnd(56),
    'bytes'.padStart(7),
    'ops/s'.padStart(9),
    'p50 µs'.padStart(8),
    'p99 µs'.padStart(8),
  ].join(' '),
);
for (const r of rows) {
  console.log(
    [
      r.name.padEnd(56),
      String(r.bytes).padStart(7),
      fmt(r.opsPerSec, 0).padStart(9),
      fmt(r.p50).padStart(8),
      fmt(r.p99).padStart(8),
    ].join(' '),
  );
}
