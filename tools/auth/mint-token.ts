/**
 * Mints a bearer token for local use and prints ONLY the token, so `$(npm run -s token -- ...)` works.
 *
 *   npm run -s token -- --sub alice --roles schedule-manager --noc JPN --ttl 8h
 *   npm run -s token -- --sub bob --roles oc-admin,ioc-observer --scope "schedules:read schedules:write"
 *   npm run -s token -- --sub carol --key ./ec-private.pem --alg ES256 --kid k1 --iss https://idp --aud podium-api
 *
 * Without --key: HS256 with AUTH_DEV_SECRET, or the local dev secret (what `npm start` runs with, AUTH_MODE=dev).
 * Defaults for --iss/--aud come from AUTH_ISSUER/AUTH_AUDIENCE so tokens match a service started with the same env.
 *
 * Runs with tools/auth/tsconfig.json (see tools/auth/mint-token.mjs), which lets tsx load @podium/auth's sources.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SignJWT, importPKCS8 } from 'jose';
import { LOCAL_DEV_SECRET, MIN_DEV_SECRET_LENGTH, principalFromClaims } from '@podium/auth';

const USAGE = `Usage: npm run -s token -- --sub <id> [--roles r1,r2] [--noc JPN] [--org OC] [--scope "a b"]
                       [--ttl 8h] [--iss <issuer>] [--aud <audience>]
                       [--key <pkcs8.pem> --alg RS256|ES256|EdDSA|... [--kid <kid>]] [--secret <hs256-secret>]`;

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const TTL = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function fail(message: string): never {
  process.stderr.write(`mint-token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function list(values: string[] | undefined, separator: RegExp): string[] {
  return (values ?? []).flatMap((v) => v.split(separator)).map((v) => v.trim()).filter((v) => v.length > 0);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        sub: { type: 'string' },
        roles: { type: 'string', multiple: true },
        noc: { type: 'string' },
        org: { type: 'string' },
        scope: { type: 'string', multiple: true },
        ttl: { type: 'string', default: '1h' },
        iss: { type: 'string' },
        aud: { type: 'string' },
        key: { type: 'string' },
        alg: { type: 'string' },
        kid: { type: 'string' },
        secret: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!v.sub) fail('--sub is required');

  const scopes = list(v.scope, /[\s,]+/);
  const claims: Record<string, unknown> = { sub: v.sub, roles: list(v.roles, /,/) };
  if (v.noc !== undefined) claims['noc'] = v.noc;
  if (v.org !== undefined) claims['org'] = v.org;
  if (scopes.length > 0) claims['scope'] = scopes.join(' ');
  // The same validation the services apply: a token the tool mints is a token they accept.
  const principal = principalFromClaims(claims);
  if (!principal.ok) fail(principal.error);
  if (principal.principal.noc !== undefined) claims['noc'] = principal.principal.noc;

  const ttl = TTL.exec(v.ttl);
  if (!ttl) fail(`--ttl must look like 90s, 30m, 8h or 2d (got '${v.ttl}')`);
  const ttlSeconds = Number(ttl[1]) * (UNIT_SECONDS[ttl[2] ?? 's'] ?? 1);

  const issuer = v.iss ?? process.env['AUTH_ISSUER'];
  const audience = v.aud ?? process.env['AUTH_AUDIENCE']?.split(',')[0];

  let alg: string;
  let key: Awaited<ReturnType<typeof importPKCS8>> | Uint8Array;
  if (v.key !== undefined) {
    if (!v.alg || !ASYMMETRIC.includes(v.alg)) fail(`--key needs --alg, one of ${ASYMMETRIC.join(', ')}`);
    alg = v.alg;
    let pem: string;
    try {
      pem = readFileSync(v.key, 'utf8');
    } catch (error) {
      fail(`cannot read --key: ${(error as Error).message}`);
    }
    try {
      key = await importPKCS8(pem, alg);
    } catch (error) {
      fail(`--key is not a PKCS#8 private key usable with ${alg}: ${(error as Error).message}`);
    }
  } else {
    if (v.alg !== undefined && v.alg !== 'HS256') fail('without --key the token is HS256 (dev mode); pass --key for other algorithms');
    const secret = v.secret ?? process.env['AUTH_DEV_SECRET'] ?? LOCAL_DEV_SECRET;
    if (secret.length < MIN_DEV_SECRET_LENGTH) fail(`the HS256 secret must be at least ${MIN_DEV_SECRET_LENGTH} characters`);
    alg = 'HS256';
    key = new TextEncoder().encode(secret);
  }

  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(v.kid ? { kid: v.kid } : {}) })
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds);
  if (issuer) jwt.setIssuer(issuer);
  if (audience) jwt.setAudience(audience);
  process.stdout.write(`${await jwt.sign(key)}\n`);
}

main().catch((error: unknown) => fail((error as Error).message));
