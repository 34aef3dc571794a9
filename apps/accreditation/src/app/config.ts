import { type PublicKey, type SigningKey } from '@podium/accreditation-credential';
import { defineConfig, envByteSize, type InferConfig, type KeyRing, keyRingSchema, platformConfigSchema, secret, envBoolean } from '@podium/platform';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** The credential keys as the service uses them: the one that signs, and every key scanners must accept. */
export interface CredentialKeys {
  readonly signing: SigningKey;
  readonly verification: readonly (SigningKey | PublicKey)[];
}

function importKey(kid: string, base64: string): SigningKey | PublicKey {
  const der = Buffer.from(base64, 'base64');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      throw new Error(`key ${kid} is neither a base64 PKCS#8 private key nor a base64 SPKI public key`);
    }
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key ${kid} is not an Ed25519 key (${key.asymmetricKeyType ?? 'unknown'})`);
  return key.type === 'private' ? { kid, privateKey: key } : { kid, publicKey: key };
}

/**
 * ACCREDITATION_SIGNING_KEYS: JSON `{"signing": "<kid>", "keys": {"<kid>": "<base64 DER>", ...}}`. Each key is an
 * Ed25519 private key (PKCS#8 DER, base64) or, for a retired key kept only for verification, its public key (SPKI
 * DER, base64). `signing` names the private key that signs; every key is published in `GET /v1/keys` (rotation:
 * docs/accreditation-credential.md#keys-and-rotation). Never logged.
 */
export const credentialKeysSchema = z
  .string()
  .transform((text, ctx): CredentialKeys => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"signing":"<kid>","keys":{"<kid>":"<base64 DER>"}}' });
      return z.NEVER;
    }
    const shape = z
      .strictObject({
        signing: z.string().regex(KID),
        keys: z.record(z.string().regex(KID), z.string().min(1)).refine((keys) => Object.keys(keys).length > 0, 'needs at least one key'),
      })
      .safeParse(raw);
    if (!shape.success) {
      ctx.addIssue({ code: 'custom', message: `must be {"signing":"<kid>","keys":{"<kid>":"<base64 DER>"}} (${shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})` });
      return z.NEVER;
    }
    const verification: (SigningKey | PublicKey)[] = [];
    for (const [kid, base64] of Object.entries(shape.data.keys)) {
      try {
        verification.push(importKey(kid, base64));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }
    const signing = verification.find((key) => key.kid === shape.data.signing);
    if (!signing || !('privateKey' in signing)) {
      ctx.addIssue({ code: 'custom', message: `the signing key ${shape.data.signing} must be one of the keys, and a private one` });
      return z.NEVER;
    }
    return { signing, verification };
  });

/**
 * The public development key (local only: PODIUM_LOCAL_DEV=true, as `npm start` and the tests run). Anyone can read
 * it here, so anyone could sign cards with it: a deployment refuses to start without ACCREDITATION_SIGNING_KEYS.
 */
export const DEV_SIGNING_KEYS = JSON.stringify({
  signing: 'dev-1',
  keys: { 'dev-1': 'MC4CAQAwBQYDK2VwBCIEICoaiaJtyEGWZLMZwaPfVoImY9jqcTgN121csutuoL1S' },
});

/**
 * The public development key-encryption key of the personal data (local only, like DEV_SIGNING_KEYS): anyone can read
 * it here, so a deployment refuses to start without ACCREDITATION_DATA_KEYS.
 */
export const DEV_DATA_KEYS = JSON.stringify({ current: 'dev-1', keys: { 'dev-1': 'Nn3GjHgtckvBxOn7lTdXv8ynqQHn1fTRKYKTM0jbZ1s=' } });

/** The accreditation service's configuration: the platform variables (docs/architecture.md), then its own. */
export const accreditationConfigSchema = platformConfigSchema.extend({
  ACCREDITATION_SIGNING_KEYS: secret(credentialKeysSchema).optional(),
  /**
   * How long after a card's validity ended its revocation entries stay in the list (then they are pruned): well
   * beyond any scanner's clock error. Gate checks with an `at` before the pruning horizon are refused (400).
   */
  ACCREDITATION_REVOCATION_RETENTION_SECONDS: z.coerce.number().int().min(3_600).max(366 * 86_400).default(7 * 86_400),
  /** How often the service prunes the revocation list (seconds; 0: never on its own, only POST /v1/revocations/prune). */
  ACCREDITATION_REVOCATION_PRUNE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3_600),
  /** How far in the future a gate check's `at` may be (seconds): a scanner's clock error, not a forecast. */
  ACCREDITATION_GATE_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(300),
  /**
   * Memory for the credentials whose signature the gate checks already verified (bytes; '1b' keeps none): a card scanned
   * again skips the Ed25519 verification (VerifiedCredentials of @podium/accreditation-credential). About 1.4 KB a card.
   */
  ACCREDITATION_GATE_VERIFIED_CACHE_BYTES: envByteSize().prefault('32mb'),
  /**
   * A credential not yet verified by this instance that is, byte for byte, its card's current credential (the card
   * table holds what the service signed) is not verified with Ed25519 again: one shared read of the card table instead
   * (docs/accreditation.md#cards-credentials-and-gates). false: every such credential is verified in full.
   */
  ACCREDITATION_GATE_TRUST_ISSUED: envBoolean().default(true),
  /**
   * The key-encryption keys of the personal data at rest (passport number, photo reference): JSON
   * `{"current": "<kid>", "keys": {"<kid>": "<base64 of 32 random bytes>"}}` (docs/accreditation.md#personal-data).
   */
  ACCREDITATION_DATA_KEYS: secret(keyRingSchema).optional(),
});

export const accreditationConfig = defineConfig(accreditationConfigSchema, {
  rules: [
    (config) =>
      config.ACCREDITATION_SIGNING_KEYS === undefined && !config.PODIUM_LOCAL_DEV
        ? [
            {
              variable: 'ACCREDITATION_SIGNING_KEYS',
              message:
                'is required: {"signing":"<kid>","keys":{"<kid>":"<base64 PKCS#8 Ed25519 private key>"}}; ' +
                'the public development key is for local development only (PODIUM_LOCAL_DEV=true)',
            },
          ]
        : [],
    (config) =>
      config.ACCREDITATION_DATA_KEYS === undefined && !config.PODIUM_LOCAL_DEV
        ? [
            {
              variable: 'ACCREDITATION_DATA_KEYS',
              message:
                'is required: {"current":"<kid>","keys":{"<kid>":"<base64 of 32 random bytes>"}} (the personal data\'s key-encryption keys); ' +
                'the public development key is for local development only (PODIUM_LOCAL_DEV=true)',
            },
          ]
        : [],
  ],
});
export type AccreditationConfig = InferConfig<typeof accreditationConfigSchema>;

/** The keys the service signs and verifies with: ACCREDITATION_SIGNING_KEYS, or the development key once opted in. */
export function credentialKeysOf(config: Pick<AccreditationConfig, 'ACCREDITATION_SIGNING_KEYS' | 'PODIUM_LOCAL_DEV'>): CredentialKeys {
  if (config.ACCREDITATION_SIGNING_KEYS) return config.ACCREDITATION_SIGNING_KEYS;
  if (!config.PODIUM_LOCAL_DEV) throw new Error('ACCREDITATION_SIGNING_KEYS is required outside local development');
  return credentialKeysSchema.parse(DEV_SIGNING_KEYS);
}

/** The personal data's key-encryption keys: ACCREDITATION_DATA_KEYS, or the development key once opted in. */
export function dataKeysOf(config: Pick<AccreditationConfig, 'ACCREDITATION_DATA_KEYS' | 'PODIUM_LOCAL_DEV'>): KeyRing {
  if (config.ACCREDITATION_DATA_KEYS) return config.ACCREDITATION_DATA_KEYS;
  if (!config.PODIUM_LOCAL_DEV) throw new Error('ACCREDITATION_DATA_KEYS is required outside local development');
  return keyRingSchema.parse(DEV_DATA_KEYS);
}

/** Defaults of this service's own choosing; SERVICE_NAME and PORT come from the service list (runService). */
export const ACCREDITATION_DEFAULTS = {} as const;

/**
 * Roles (docs/accreditation.md#roles). oc-admin may do everything.
 * - accreditation-officer: the OC's accreditation staff: reference data excepted, the whole workflow and the cards.
 * - accreditation-security: records vetting results; the only role besides oc-admin that sees them.
 * - noc-official (with its `noc` claim) and ro-officer (with its `org` claim): a Responsible Organisation's
 *   officer, who applies for its people and sees only its own applicants.
 * - gate-scanner: a venue scanner: gate checks, the keys and the revocation list.
 * - data-protection-officer: the GDPR export and erasure of one person's data (with oc-admin); nothing else.
 */
export const ROLE = {
  ocAdmin: 'oc-admin',
  officer: 'accreditation-officer',
  security: 'accreditation-security',
  nocOfficial: 'noc-official',
  roOfficer: 'ro-officer',
  scanner: 'gate-scanner',
  centre: 'accreditation-centre',
  dataProtection: 'data-protection-officer',
} as const;

export const OC_ROLES = [ROLE.ocAdmin, ROLE.officer] as const;
export const SECURITY_ROLES = [ROLE.ocAdmin, ROLE.security] as const;
export const APPLICANT_ROLES = [ROLE.ocAdmin, ROLE.officer, ROLE.nocOfficial, ROLE.roOfficer] as const;
export const SCANNER_ROLES = [ROLE.ocAdmin, ROLE.scanner] as const;
export const REVOCATION_READER_ROLES = [ROLE.ocAdmin, ROLE.officer, ROLE.scanner] as const;
/** The pick-up desk (accreditation-centre) and the OC: read a card and its credential, activate it. */
export const PICK_UP_ROLES = [ROLE.ocAdmin, ROLE.officer, ROLE.centre] as const;
/** The GDPR export and erasure (docs/accreditation.md#personal-data); organisation officers may do neither. */
export const PERSONAL_DATA_ROLES = [ROLE.ocAdmin, ROLE.dataProtection] as const;
