import { createPublicKey } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type CryptoKey,
  type JWTHeaderParameters,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
} from 'jose';
import { AUTH_OPTIONS } from './auth.constants';
import { type AsymmetricAlgorithm, type AuthOptions, AuthConfigError } from './auth.options';
import { devAuthRefusal } from './local-dev';
import { type Principal, principalFromClaims } from './principal';

/** Why a token was refused: `invalid` -> 401, `unavailable` (key set unreachable) -> 503. */
export class TokenVerificationError extends Error {
  override name = 'TokenVerificationError';
  constructor(
    readonly reason: 'invalid' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** How long a verified token is taken at its word, and how many are kept ({@link TokenVerifier.verify}). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

interface KeySource {
  algorithms: string[];
  getKey: JWTVerifyGetKey;
  unavailable(error: unknown): boolean;
}

const EC_CURVE_ALGORITHM: Record<string, AsymmetricAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** Algorithms a given SPKI key can verify, from its key type (and curve). */
function algorithmsForPublicKey(pem: string): AsymmetricAlgorithm[] {
  let key;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new AuthConfigError(`Invalid auth configuration: AUTH_PUBLIC_KEY is not a readable public key (${(error as Error).message})`);
  }
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg = curve === undefined ? undefined : EC_CURVE_ALGORITHM[curve];
      return alg ? [alg] : [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

function publicKeySource(pem: string, configured: AsymmetricAlgorithm[]): KeySource {
  const compatible = algorithmsForPublicKey(pem);
  const algorithms = configured.filter((alg) => compatible.includes(alg));
  if (algorithms.length === 0) {
    throw new AuthConfigError(
      `Invalid auth configuration: AUTH_PUBLIC_KEY can verify ${compatible.join(', ') || 'no supported algorithm'}, but AUTH_ALGORITHMS allows only ${configured.join(', ')}`,
    );
  }
  const keys = new Map<string, Promise<CryptoKey>>();
  return {
    algorithms,
    // jose checks the header's alg against `algorithms` before asking for the key.
    getKey: (header: JWTHeaderParameters) => {
      let key = keys.get(header.alg);
      if (!key) {
        key = importSPKI(pem, header.alg);
        keys.set(header.alg, key);
      }
      return key;
    },
    unavailable: () => false,
  };
}

function jwksSource(options: Extract<AuthOptions, { mode: 'jwks' }>): KeySource {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.jwksCooldownMs,
    cacheMaxAge: options.jwksCacheMaxAgeMs,
    timeoutDuration: options.jwksTimeoutMs,
  });
  return {
    algorithms: options.algorithms,
    getKey: (header, token) => jwks(header, token),
    // A key set that cannot be fetched (network error, timeout, non-200, not a JWKS) is our outage, not the caller's fault.
    unavailable: (error) =>
      !(error instanceof errors.JOSEError) ||
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      error.code === 'ERR_JOSE_GENERIC',
  };
}

function devSource(secret: string): KeySource {
  // Imported once: given the raw bytes, jose would import them into WebCrypto again for every token it verifies.
  let key: Promise<CryptoKey> | undefined;
  const getKey = () =>
    (key ??= crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']));
  return { algorithms: ['HS256'], getKey, unavailable: () => false };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim check failed: ${error.message}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key matches the token (kid/alg)';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'token does not select a single key (kid missing?)';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed token';
  if (error instanceof errors.JOSEError) return `invalid token (${error.code})`;
  return 'invalid token';
}

/**
 * Verifies bearer JWTs (signature, alg allow-list, exp/nbf with tolerance, iss/aud when configured)
 * and maps the claims to a {@link Principal}. Injectable for non-HTTP entry points (e.g. WebSocket upgrades).
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger('Auth');
  private readonly source: KeySource;
  private readonly verifyOptions: JWTVerifyOptions;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(@Inject(AUTH_OPTIONS) readonly options: AuthOptions) {
    switch (options.mode) {
      case 'jwks':
        this.source = jwksSource(options);
        break;
      case 'public-key':
        this.source = publicKeySource(options.publicKey, options.algorithms);
        break;
      case 'dev': {
        // Whichever way the options came (forService, forRoot, authOptionsFromEnv), the process itself must be local.
        const refusal = devAuthRefusal(process.env);
        if (refusal !== undefined) throw new AuthConfigError(`Invalid auth configuration: ${refusal}`);
        this.source = devSource(options.devSecret);
        this.warnDevMode();
        break;
      }
    }
    this.verifyOptions = {
      algorithms: this.source.algorithms,
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp'],
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    };
  }

  get mode(): AuthOptions['mode'] {
    return this.options.mode;
  }

  /** Resolves the principal, or rejects with a TokenVerificationError. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known !== undefined && known.until > now) return known.principal;
    if (known !== undefined) this.verified.delete(token);
    const { principal, exp } = await this.verifyNow(token);
    this.remember(token, principal, exp, now);
    return principal;
  }

  /**
   * A token verified a moment ago is the same token: clients send theirs with every request, and checking its
   * signature again cost about a tenth of the CPU of a list read. Kept until its `exp` (no clock tolerance: never past
   * what verifying again would accept) and at most VERIFIED_TTL_MS (a key removed from the key set stops being
   * honoured within that time), VERIFIED_MAX tokens, the oldest forgotten first.
   */
  private remember(token: string, principal: Principal, exp: number | undefined, now: number): void {
    const until = Math.min(exp === undefined ? now : exp * 1000, now + VERIFIED_TTL_MS);
    if (until <= now) return;
    if (this.verified.size >= VERIFIED_MAX) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal: Object.freeze(principal), until });
  }

  private async verifyNow(token: string): Promise<{ principal: Principal; exp: number | undefined }> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.source.getKey, this.verifyOptions));
    } catch (error) {
      if (this.source.unavailable(error)) {
        this.logger.error(`Cannot load the signing keys: ${(error as Error).message}`);
        throw new TokenVerificationError('unavailable', 'signing keys are unavailable, retry later');
      }
      throw new TokenVerificationError('invalid', describe(error));
    }
    const result = principalFromClaims(payload);
    if (!result.ok) throw new TokenVerificationError('invalid', result.error);
    const exp = (payload as { exp?: unknown }).exp;
    return { principal: result.principal, exp: typeof exp === 'number' ? exp : undefined };
  }

  private warnDevMode(): void {
    const banner = [
      '******************************************************************',
      '* AUTH_MODE=dev: tokens are HS256-signed with a shared secret.   *',
      '* Anyone who knows the secret can mint any role. LOCAL USE ONLY. *',
      '******************************************************************',
    ].join('\n');
    this.logger.warn(banner);
  }
}
