/**
 * Offline verification of accreditation card credentials (@podium/accreditation-credential) against its physical
 * floor, in the same run: a bare Ed25519 `crypto.verify` of the same bytes with the same key. The issue's aim: the
 * library within 1.5x the bare verification's cost.
 *
 *   npx tsx tools/bench/credential-verify.ts [--credentials 2000] [--revoked 100000] [--seconds 4]
 *
 * --credentials distinct credentials, signed once before measuring, each verified in turn (a mix of allowed and
 * denied ones, every one of which costs one signature verification: malformed and unknown-key credentials, which are
 * denied before it, would flatter the library and are left out). The revocation list holds --revoked entries (390,000
 * cards, each reissued a few times over the Games). Rounds alternate (bare, library, bare, ...), each one pass over the
 * credentials, until --seconds have passed, so that both see the same machine. Figures are the process's CPU time
 * (user + system) per verification, not wall time: the machine may be shared; what other processes used of it during
 * the run is printed too.
 */
import {
  GATE_REASONS,
  type GateReason,
  RevocationState,
  type RevocationEntry,
  type SigningKey,
  generateSigningKey,
  importJwkSet,
  jwkSetOf,
  signCredential,
  verifyCredential,
} from '@podium/accreditation-credential';
import { generateKeyPairSync, verify } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { machineBusySeconds } from './proc';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const AT = new Date('2024-07-30T10:00:00Z');
const NOW = AT.getTime() / 1000;
const VENUES = ['STA', 'AQC', 'VEL', 'BCY', 'ARE', 'GYM', 'TEN', 'HOC'];
const ZONES = ['1', '2', '3', '4', '5', '6', 'VIP'];

/** The share of each reason in the mix (the rest is allowed). */
const MIX: [GateReason, number][] = [
  ['bad-signature', 0.02],
  ['not-yet-valid', 0.02],
  ['expired', 0.04],
  ['revoked', 0.05],
  ['suspended', 0.02],
  ['venue-not-granted', 0.1],
  ['zone-not-granted', 0.05],
];

interface Case {
  credential: string;
  /** The bare verification's inputs: the same bytes and key the library verifies. */
  data: Buffer;
  signature: Buffer;
  expected: GateReason;
}

/** The element of `list` at `i`, round and round. */
function nth<T>(list: readonly T[], i: number): T {
  const value = list[i % list.length];
  if (value === undefined) throw new Error('empty list');
  return value;
}

function reasonOf(i: number, count: number): GateReason {
  let from = 0;
  for (const [reason, share] of MIX) {
    if (i < Math.round((from + share) * count)) return reason;
    from += share;
  }
  return 'ok';
}

function main(): void {
  const count = Math.floor(option('credentials', 2000));
  const revokedCount = Math.floor(option('revoked', 100_000));
  const seconds = option('seconds', 4);

  // key rotation: the previous key still verifies, the current one signs
  const previous = generateSigningKey('og2024-1');
  const current = generateSigningKey('og2024-2');
  const impostor: SigningKey = { kid: current.kid, privateKey: generateKeyPairSync('ed25519').privateKey };
  const keys = importJwkSet(jwkSetOf([previous, current]));
  const publicKey = keys.get(current.kid);
  if (!publicKey) throw new Error('the current key is not in the set');

  const entries: RevocationEntry[] = [];
  for (let i = 0; i < revokedCount; i++) entries.push({ seq: i + 1, at: '2024-07-29T12:00:00Z', kind: 'credential-revoked', jti: `old-${i}` });
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const expected = reasonOf(i, count);
    const venue = nth(VENUES, i);
    const card = `OG24-${String(i).padStart(6, '0')}`;
    const jti = `cred-${i}`;
    if (expected === 'revoked') entries.push({ seq: entries.length + 1, at: '2024-07-29T12:00:00Z', kind: 'credential-revoked', jti, card });
    if (expected === 'suspended') entries.push({ seq: entries.length + 1, at: '2024-07-29T12:00:00Z', kind: 'card-suspended', card });
    const credential = signCredential(
      {
        iss: 'podium-accreditation/OG2024',
        sub: `acc-${i}`,
        jti,
        iat: NOW - 86_400,
        nbf: expected === 'not-yet-valid' ? NOW + 86_400 : NOW - 86_400,
        exp: expected === 'expired' ? NOW - 3_600 : NOW + 30 * 86_400,
        card,
        cat: 'Aa',
        ven: expected === 'venue-not-granted' ? ['XXX'] : i % 10 === 0 ? ['ALL'] : [venue, nth(VENUES, i + 1)],
        zon: expected === 'zone-not-granted' ? ['6'] : ['1', '2', '4'],
      },
      expected === 'bad-signature' ? impostor : current,
    );
    const lastDot = credential.lastIndexOf('.');
    cases.push({
      credential,
      data: Buffer.from(credential.slice(0, lastDot), 'latin1'),
      signature: Buffer.from(credential.slice(lastDot + 1), 'base64url'),
      expected,
    });
  }
  const revocations = new RevocationState();
  revocations.apply(entries);
  // each credential is shown at a gate of its venue, zone 1 or 2
  const checks = cases.map((c, i) => ({ ...c, options: { keys, revocations, venue: nth(VENUES, i), zone: nth(ZONES, i % 3 === 0 ? 0 : 1), at: AT } }));

  // the decisions are checked once before measuring: a benchmark of wrong answers would be worthless
  const seen = new Map<GateReason, number>();
  for (const [i, c] of checks.entries()) {
    const { reason } = verifyCredential(c.credential, c.options);
    if (reason !== c.expected) throw new Error(`credential ${i}: expected ${c.expected}, got ${reason}`);
    seen.set(reason, (seen.get(reason) ?? 0) + 1);
  }

  const bareRound = (): number => {
    let valid = 0;
    for (const c of cases) if (verify(null, c.data, publicKey, c.signature)) valid++;
    return valid;
  };
  const libRound = (): number => {
    let allowed = 0;
    for (const c of checks) if (verifyCredential(c.credential, c.options).decision === 'allow') allowed++;
    return allowed;
  };
  const measure = (round: () => number): { cpuMicros: number; wallMicros: number } => {
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    round();
    const used = process.cpuUsage(cpu);
    return { cpuMicros: used.user + used.system, wallMicros: Number(process.hrtime.bigint() - wall) / 1000 };
  };

  console.log(
    `[credential-verify] ${count} credentials (${[...seen].map(([r, n]) => `${r} ${n}`).join(', ')}), ` +
      `revocation list of ${entries.length} entries, 2 verification keys, node ${process.version}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()[0]?.toFixed(2)}`,
  );
  measure(bareRound); // warm-up of both paths
  measure(libRound);
  const bare: number[] = [];
  const lib: number[] = [];
  let bareWall = 0;
  let libWall = 0;
  const machineFrom = machineBusySeconds();
  const ownFrom = process.cpuUsage();
  const started = Date.now();
  for (let round = 0; round < 10_000 && Date.now() - started < seconds * 1000; round++) {
    const b = measure(bareRound);
    const l = measure(libRound);
    bare.push(b.cpuMicros / count);
    lib.push(l.cpuMicros / count);
    bareWall += b.wallMicros;
    libWall += l.wallMicros;
  }
  const ownUsed = process.cpuUsage(ownFrom);
  const otherSeconds = Math.max(0, machineBusySeconds() - machineFrom - (ownUsed.user + ownUsed.system) / 1e6);
  const elapsed = (Date.now() - started) / 1000;

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const mean = (xs: number[]): number => xs.reduce((t, x) => t + x, 0) / xs.length;
  const rounds = bare.length;
  const line = (name: string, perOp: number[], wallMicros: number) =>
    `[credential-verify] ${name.padEnd(18)} ${mean(perOp).toFixed(2).padStart(7)} µs CPU per verification (median round ${median(perOp).toFixed(2)}), ` +
    `${Math.round(1e6 / mean(perOp)).toLocaleString('en-US')}/s per core, ${Math.round((rounds * count) / (wallMicros / 1e6)).toLocaleString('en-US')}/s wall`;
  console.log(`[credential-verify] ${rounds} rounds of each, ${(rounds * count).toLocaleString('en-US')} verifications of each, ${elapsed.toFixed(1)} s`);
  console.log(line('bare crypto.verify', bare, bareWall));
  console.log(line('verifyCredential', lib, libWall));
  const ratio = mean(lib) / mean(bare);
  const ratios = bare.map((b, i) => (lib[i] ?? Number.NaN) / b);
  console.log(
    `[credential-verify] ratio verifyCredential / bare: ${ratio.toFixed(3)} (median of the rounds' ratios ${median(ratios).toFixed(3)}, ` +
      `min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}); aim at most 1.5; ` +
      `the library's own work ${(mean(lib) - mean(bare)).toFixed(2)} µs per credential`,
  );
  console.log(`[credential-verify] other processes used ${otherSeconds.toFixed(1)} CPU seconds of the machine during the ${elapsed.toFixed(1)} s run`);
  console.log(`[credential-verify] reasons in the mix, in precedence order: ${GATE_REASONS.filter((r) => seen.has(r)).join(', ')}`);
}

main();
