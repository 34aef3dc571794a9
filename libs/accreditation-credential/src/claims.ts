import { z } from 'zod';

/**
 * The grant of every venue (in `ven`) or every zone (in `zon`). When present it is the list's only element, so a
 * venue or zone of the reference data may never be called `ALL`.
 */
export const ALL = 'ALL';

/** A card number: 1-32 characters A-Z 0-9 -. */
export const CARD_NUMBER = /^[A-Z0-9-]{1,32}$/;

/** Venue code as the schedule's data pack defines it (2-8 characters A-Z 0-9), or `ALL`. */
const VENUE_CODE = /^[A-Z0-9]{2,8}$/;
/** Zone code: 1-16 characters A-Z 0-9 `-` (field of play `1`, athlete areas `2`, media `4`, `VIP`, ...). */
const ZONE_CODE = /^[A-Z0-9-]{1,16}$/;
/** Opaque identifiers (a UUID fits): 1-64 characters A-Z a-z 0-9 `_` `-`. */
const OPAQUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** @internal the same rules, for the gate's own venue and zone (verifyCredential's options). */
export const CODE_PATTERNS = { venue: VENUE_CODE, zone: ZONE_CODE } as const;

/** Seconds since the epoch, as JWT NumericDate (RFC 7519 §2), whole seconds only. */
const numericDate = z.int().min(0).max(253_402_300_799); // up to 9999-12-31T23:59:59Z

/** A list of codes: `["ALL"]`, or 1-512 distinct codes that are not `ALL`. */
function grantList(code: RegExp, what: string) {
  return z
    .array(z.string().regex(code, `must be a ${what} code`))
    .min(1)
    .max(512)
    .refine((codes) => new Set(codes).size === codes.length, `${what} codes must be distinct`)
    .refine((codes) => !codes.includes(ALL) || codes.length === 1, `"${ALL}" must be the only ${what} code when present`);
}

/** An upgrade's list of codes: like {@link grantList}, but it may be empty (an upgrade that adds zones only). */
function upgradeList(code: RegExp, what: string) {
  return z
    .array(z.string().regex(code, `must be a ${what} code`))
    .max(512)
    .refine((codes) => new Set(codes).size === codes.length, `${what} codes must be distinct`)
    .refine((codes) => !codes.includes(ALL) || codes.length === 1, `"${ALL}" must be the only ${what} code when present`);
}

/** Most upgrades one credential carries (those whose window has not ended). */
export const MAX_UPGRADES = 16;

/**
 * An upgrade: venues and zones added to the card's from `nbf` until just before `exp` (with the clock tolerance, as
 * the card's own window). During the window the card grants the union of its lists and the upgrade's (zones apply in
 * every granted venue, as without upgrades). At least one list is not empty.
 */
const upgradeSchema = z
  .strictObject({ ven: upgradeList(VENUE_CODE, 'venue'), zon: upgradeList(ZONE_CODE, 'zone'), nbf: numericDate, exp: numericDate })
  .refine((upgrade) => upgrade.exp > upgrade.nbf, { message: 'exp must be after nbf', path: ['exp'] })
  .refine((upgrade) => upgrade.ven.length + upgrade.zon.length > 0, { message: 'an upgrade adds at least one venue or zone', path: ['ven'] });

/**
 * The claims of an accreditation card credential: what a gate needs to decide, and nothing more (no name, no photo,
 * no date of birth, no organisation). Unknown claims are refused on signing and on verification (malformed).
 */
export const credentialClaimsSchema = z.strictObject({
  /** Issuer: the edition's accreditation service, `podium-accreditation/<edition>` (e.g. `podium-accreditation/OG2024`). */
  iss: z.string().regex(/^podium-accreditation\/[A-Z0-9-]{1,32}$/, 'must be podium-accreditation/<edition>'),
  /** Holder id: the accreditation's opaque id (never a name, never a passport number). */
  sub: z.string().regex(OPAQUE_ID, 'must be an opaque id (1-64 characters A-Z a-z 0-9 _ -)'),
  /**
   * Credential id, unique per issued credential: every change of a card (new privileges, new validity, reissue)
   * issues a new credential with a new `jti` and revokes the old one by this id in the revocation list.
   */
  jti: z.string().regex(OPAQUE_ID, 'must be an opaque id (1-64 characters A-Z a-z 0-9 _ -)'),
  /** Issued at (seconds): when this credential was signed. Informational; validity is `nbf`..`exp`. */
  iat: numericDate,
  /** Not before (seconds): the first instant the card is valid (a day pass: the start of its day). */
  nbf: numericDate,
  /** Expires (seconds): the card is not valid from this instant on (RFC 7519: on or after `exp`). */
  exp: numericDate,
  /** Card number: printed on the card, what the gate records and the card-level revocation entries name. */
  card: z.string().regex(CARD_NUMBER, 'must be a card number (1-32 characters A-Z 0-9 -)'),
  /** Category code of the accreditation (e.g. `Aa` athlete, `E` press), for the gate's display and statistics. */
  cat: z.string().regex(/^[A-Za-z0-9]{1,8}$/, 'must be a category code (1-8 characters A-Z a-z 0-9)'),
  /** Venues granted: venue codes, or `["ALL"]`. */
  ven: grantList(VENUE_CODE, 'venue'),
  /**
   * Zones granted: zone codes, or `["ALL"]`. The zones apply in every granted venue, as a Games card prints one row
   * of venue codes and one row of zone numbers: a card that needs different zones in different venues is two cards.
   */
  zon: grantList(ZONE_CODE, 'zone'),
  /**
   * Upgrades (optional, absent when there is none): venues and zones added for a window within `nbf`..`exp`. Added
   * after the first version of this format: a verifier that predates it refuses a credential that carries it
   * (malformed, an unknown claim): it denies, never allows more than the card grants.
   */
  upg: z.array(upgradeSchema).min(1).max(MAX_UPGRADES).optional(),
})
  .refine((claims) => claims.exp > claims.nbf, { message: 'exp must be after nbf', path: ['exp'] })
  .refine((claims) => (claims.upg ?? []).every((upgrade) => upgrade.nbf >= claims.nbf && upgrade.exp <= claims.exp), {
    message: "an upgrade's window must be within the card's nbf..exp",
    path: ['upg'],
  });

/** The claims of an accreditation card credential (see {@link credentialClaimsSchema} for each one). */
export type CredentialClaims = z.infer<typeof credentialClaimsSchema>;
