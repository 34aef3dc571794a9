import { z } from 'zod';
import { LOCAL_DEV_SECRET, MIN_DEV_SECRET_LENGTH } from './dev-defaults';
import { devAuthRefusal } from './local-dev';

/** Asymmetric algorithms accepted in jwks/public-key modes. HS* is never accepted there (key confusion). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export const DEFAULT_ALGORITHMS: AsymmetricAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

const algorithms = z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(DEFAULT_ALGORITHMS);

const common = {
  /** Expected `iss`; checked when set. */
  issuer: z.string().min(1).optional(),
  /** Expected `aud` (one of); checked when set. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Leeway for exp/nbf/iat, in seconds. */
  clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
  /** `realm` of the WWW-Authenticate challenge. */
  realm: z.string().min(1).default('podium'),
};

export const authOptionsSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('jwks'),
    jwksUrl: z.url({ protocol: /^https?$/ }),
    algorithms,
    /** Minimum time between two JWKS fetches (an unknown `kid` triggers a refetch). */
    jwksCooldownMs: z.number().int().min(0).default(30_000),
    /** Age after which the cached JWKS is refetched. */
    jwksCacheMaxAgeMs: z.number().int().min(1_000).default(600_000),
    jwksTimeoutMs: z.number().int().min(100).default(5_000),
    ...common,
  }),
  z.object({
    mode: z.literal('public-key'),
    /** SPKI PEM (-----BEGIN PUBLIC KEY-----). */
    publicKey: z.string().refine((pem) => pem.includes('-----BEGIN PUBLIC KEY-----'), 'must be an SPKI PEM (BEGIN PUBLIC KEY)'),
    algorithms,
    ...common,
  }),
  z.object({
    mode: z.literal('dev'),
    /** Shared HS256 secret; a secret (never logged). */
    devSecret: z.string().min(MIN_DEV_SECRET_LENGTH, `must be at least ${MIN_DEV_SECRET_LENGTH} characters`),
    ...common,
  }),
]);

/** What you give AuthModule (defaults not yet applied). */
export type AuthOptionsInput = z.input<typeof authOptionsSchema>;
/** Validated options with defaults applied. */
export type AuthOptions = z.output<typeof authOptionsSchema>;

export class AuthConfigError extends Error {
  override name = 'AuthConfigError';
}

/** Validates options; throws an AuthConfigError naming every bad field (the secret's value is never printed). */
export function parseAuthOptions(input: unknown): AuthOptions {
  const parsed = authOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'options'}: ${i.message}`);
    throw new AuthConfigError(`Invalid auth configuration:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

const list = (value: string | undefined): string[] | undefined => {
  const items = value
    ?.split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items && items.length > 0 ? items : undefined;
};

const blankToUndefined = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

/**
 * Reads AUTH_* variables:
 *   AUTH_MODE (jwks | public-key | dev; when unset: jwks if AUTH_JWKS_URL is set, else public-key if AUTH_PUBLIC_KEY is set),
 *   AUTH_JWKS_URL, AUTH_PUBLIC_KEY (PEM; literal "\n" sequences are accepted), AUTH_ALGORITHMS (comma list),
 *   AUTH_DEV_SECRET (only with AUTH_MODE=dev; defaults to LOCAL_DEV_SECRET), AUTH_ISSUER, AUTH_AUDIENCE (comma list),
 *   AUTH_CLOCK_TOLERANCE_SECONDS.
 * Dev mode is never inferred: it needs AUTH_MODE=dev, and is local only: PODIUM_LOCAL_DEV=true with NODE_ENV=development
 * or test (read from the same `env`), else an AuthConfigError.
 */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const jwksUrl = blankToUndefined(env['AUTH_JWKS_URL']);
  const publicKey = blankToUndefined(env['AUTH_PUBLIC_KEY'])?.replace(/\\n/g, '\n');
  const devSecret = blankToUndefined(env['AUTH_DEV_SECRET']);
  const mode = blankToUndefined(env['AUTH_MODE']) ?? (jwksUrl ? 'jwks' : publicKey ? 'public-key' : undefined);
  if (mode === undefined) {
    throw new AuthConfigError('Invalid auth configuration: set AUTH_MODE (jwks | public-key | dev) with AUTH_JWKS_URL or AUTH_PUBLIC_KEY');
  }
  if (devSecret !== undefined && mode !== 'dev') {
    throw new AuthConfigError(`Invalid auth configuration: AUTH_DEV_SECRET is set but AUTH_MODE is '${mode}' (dev secrets are only accepted with AUTH_MODE=dev)`);
  }
  const audience = list(env['AUTH_AUDIENCE']);
  const tolerance = blankToUndefined(env['AUTH_CLOCK_TOLERANCE_SECONDS']);
  const shared = {
    issuer: blankToUndefined(env['AUTH_ISSUER']),
    audience: audience && audience.length === 1 ? audience[0] : audience,
    clockToleranceSeconds: tolerance === undefined ? undefined : Number(tolerance),
    algorithms: list(env['AUTH_ALGORITHMS']),
  };
  switch (mode) {
    case 'jwks':
      return parseAuthOptions({ mode, jwksUrl, ...shared });
    case 'public-key':
      return parseAuthOptions({ mode, publicKey, ...shared });
    case 'dev': {
      const refusal = devAuthRefusal(env);
      if (refusal !== undefined) throw new AuthConfigError(`Invalid auth configuration: ${refusal}`);
      const { algorithms: _ignored, ...rest } = shared;
      return parseAuthOptions({ mode, devSecret: devSecret ?? LOCAL_DEV_SECRET, ...rest });
    }
    default:
      throw new AuthConfigError(`Invalid auth configuration: AUTH_MODE must be jwks, public-key or dev (got '${mode}')`);
  }
}
