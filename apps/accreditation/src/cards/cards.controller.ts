import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, Roles } from '@podium/auth';
import { GATE_REASONS } from '@podium/accreditation-credential';
import { CARD_STATUSES, cardStateSchema, editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { OC_ROLES, PICK_UP_ROLES, REVOCATION_READER_ROLES, ROLE, SCANNER_ROLES } from '../app/config';
import { CardsService } from './cards.service';
import { GateChecksService } from './gate-checks.service';
import { GateService } from './gate.service';
import { RevocationPruner } from './revocation-pruner';
import { REVOCATION_PAGE_MAX, RevocationsRepository } from './revocations.repository';

const cardNumberSchema = z.string().regex(/^[A-Z0-9-]{1,32}$/, 'must be a card number');
const reasonSchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const venueSchema = z.string().regex(/^[A-Z0-9]{2,8}$/, 'must be a venue code').refine((c) => c !== 'ALL', 'a gate is never ALL');
const zoneSchema = z.string().regex(/^[A-Z0-9-]{1,16}$/, 'must be a zone code').refine((c) => c !== 'ALL', 'a gate is never ALL');
const cursorSchema = z.string().regex(/^\d+$/, 'cursor must be the nextCursor of a previous page').optional();

const cardQuerySchema = z.strictObject({ status: z.enum(CARD_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100), cursor: cursorSchema });
const reissueSchema = z.strictObject({
  venues: z.array(z.union([z.literal('ALL'), venueSchema])).min(1).max(512).optional(),
  zones: z.array(z.union([z.literal('ALL'), zoneSchema])).min(1).max(512).optional(),
  reason: z.string().trim().min(1).max(500),
});
const instantSchema = z.iso.datetime({ offset: true });
const issueSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  validFrom: instantSchema.optional().meta({ description: "A day pass: the card's first valid instant (default: the edition's validFrom)" }),
  validTo: instantSchema.optional().meta({ description: "A day pass: the instant the card stops being valid (default: the edition's validTo)" }),
});
const activateSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
const upgradeSchema = z
  .strictObject({
    venues: z.array(z.union([z.literal('ALL'), venueSchema])).max(512),
    zones: z.array(z.union([z.literal('ALL'), zoneSchema])).max(512),
    validFrom: instantSchema,
    validTo: instantSchema,
    reason: z.string().trim().min(1).max(500),
  })
  .refine((u) => u.venues.length + u.zones.length > 0, { message: 'an upgrade adds at least one venue or zone', path: ['venues'] })
  .refine((u) => [u.venues, u.zones].every((codes) => new Set(codes).size === codes.length && (!codes.includes('ALL') || codes.length === 1)), {
    message: 'codes must be distinct, and ALL the only one when present',
    path: ['venues'],
  });
/** What a scanner recorded offline; the card number and credential id only of a credential whose signature verified. */
const offlineCheckSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be the scanner's id of the check (1-64 characters A-Z a-z 0-9 _ . : -)"),
    at: instantSchema,
    venue: venueSchema,
    zone: zoneSchema,
    gate: z.string().trim().min(1).max(64),
    decision: z.enum(['allow', 'deny']),
    reason: z.enum(GATE_REASONS),
    cardNumber: cardNumberSchema.optional(),
    credentialId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a credential id (jti)').optional(),
  })
  .refine((c) => (c.decision === 'allow') === (c.reason === 'ok'), { message: 'allow goes with reason ok, and only allow', path: ['reason'] })
  .refine((c) => !['malformed', 'unknown-key', 'bad-signature'].includes(c.reason) || (c.cardNumber === undefined && c.credentialId === undefined), {
    message: 'a credential that did not verify names no card nor credential',
    path: ['cardNumber'],
  })
  .refine((c) => ['malformed', 'unknown-key', 'bad-signature'].includes(c.reason) || c.cardNumber !== undefined, { message: 'a verified credential names its card', path: ['cardNumber'] });
const offlineUploadSchema = z.strictObject({ checks: z.array(offlineCheckSchema).min(1).max(1000) });
const gateCheckSchema = z.strictObject({
  credential: z.string().min(1).max(16_384),
  venue: venueSchema,
  zone: zoneSchema,
  gate: z.string().trim().min(1).max(64),
  at: z.iso.datetime({ offset: true }).optional().meta({ description: 'When the person was at the gate (default: now)' }),
});
const revocationQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(REVOCATION_PAGE_MAX).default(REVOCATION_PAGE_MAX),
});
const checksQuerySchema = z.strictObject({
  cursor: cursorSchema,
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  mode: z.enum(['online', 'offline']).optional(),
});

@ApiTags('cards')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller()
export class CardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly gate: GateService,
    private readonly gateChecks: GateChecksService,
    private readonly revocations: RevocationsRepository,
    private readonly pruner: RevocationPruner,
  ) {}

  @Get('v1/keys')
  @Public()
  @ApiOperation({ summary: 'The credential verification keys: a JWK Set (Ed25519, RFC 7517/8037). No token.' })
  keys() {
    return this.gate.jwkSet();
  }

  @Post('v1/editions/:edition/applications/:id/card')
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiOperation({
    summary:
      'Issue (print) the card of an approved application, status issued, no credential until it is activated at pick-up (before vetting clearance: 409 vetting-not-cleared); validFrom/validTo: a day pass',
  })
  @ApiZodResponse(cardStateSchema, { status: 201 })
  issue(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(issueSchema) body: z.infer<typeof issueSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cards.issue(edition, id, { reason: body.reason ?? null, validFrom: body.validFrom, validTo: body.validTo }, principal);
  }

  @Post('v1/cards/:cardNumber/activate')
  @HttpCode(200)
  @Roles(...PICK_UP_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Activate the card at pick-up: its first credential is signed (GET .../credential hands it out from now on)' })
  @ApiZodResponse(cardStateSchema)
  activate(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(activateSchema) body: z.infer<typeof activateSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.activate(cardNumber, body.reason ?? null, principal);
  }

  @Post('v1/cards/:cardNumber/upgrades')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409, 422)
  @ApiOperation({ summary: 'Add venues/zones for a window within the card validity: a new credential carries it, the old one is revoked' })
  @ApiZodResponse(cardStateSchema)
  upgrade(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(upgradeSchema) body: z.infer<typeof upgradeSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.upgrade(cardNumber, body, principal);
  }

  @Post('v1/cards/:cardNumber/upgrades/:upgradeId/withdraw')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({
    summary:
      'Withdraw an upgrade before its window ends, with {"reason"}: a new credential without it, the old one is revoked (unknown upgrade: 404 upgrade-not-found; withdrawn already: 409 upgrade-withdrawn; its window over: 409 upgrade-ended)',
  })
  @ApiZodResponse(cardStateSchema)
  withdrawUpgrade(
    @ZodParam('cardNumber', cardNumberSchema) cardNumber: string,
    @ZodParam('upgradeId', z.uuid()) upgradeId: string,
    @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cards.withdrawUpgrade(cardNumber, upgradeId, body.reason, principal);
  }

  @Get('v1/cards')
  @Roles(...OC_ROLES)
  @ApiOperation({ summary: 'Cards by card number (status=issued|active|suspended|revoked|expired; active: activated and valid); paginated (limit, cursor -> nextCursor)' })
  @ApiZodResponse(z.object({ items: z.array(cardStateSchema), nextCursor: z.string().nullable() }))
  list(@ZodQuery(cardQuerySchema) q: z.infer<typeof cardQuerySchema>) {
    return this.cards.list(q);
  }

  @Get('v1/cards/:cardNumber')
  @Roles(...PICK_UP_ROLES)
  @ApiOperation({ summary: 'One card' })
  @ApiZodResponse(cardStateSchema)
  get(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string) {
    return this.cards.get(cardNumber);
  }

  @Get('v1/cards/:cardNumber/credential')
  @Roles(...PICK_UP_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: "The card's current credential: {\"credential\": \"<compact JWS>\"} (before activation: 409 card-not-activated)" })
  @ApiZodResponse(z.object({ credential: z.string().meta({ description: 'The signed credential (compact JWS) the card carries' }) }))
  credential(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string) {
    return this.cards.credential(cardNumber);
  }

  @Post('v1/cards/:cardNumber/reissue')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'A new credential (venues/zones changed, or a reissue): the old credential is revoked' })
  @ApiZodResponse(cardStateSchema)
  reissue(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reissueSchema) body: z.infer<typeof reissueSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.reissue(cardNumber, body, principal);
  }

  @Post('v1/cards/:cardNumber/suspend')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Suspend the card (gates: suspended) until it is reinstated' })
  @ApiZodResponse(cardStateSchema)
  suspend(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.suspend(cardNumber, body.reason, principal);
  }

  @Post('v1/cards/:cardNumber/reinstate')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Lift a suspension' })
  @ApiZodResponse(cardStateSchema)
  reinstate(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.reinstate(cardNumber, body.reason, principal);
  }

  @Post('v1/cards/:cardNumber/revoke')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Revoke the card for good (gates: revoked), with {"reason"}' })
  @ApiZodResponse(cardStateSchema)
  revoke(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.revoke(cardNumber, body.reason, principal);
  }

  @Post('v1/gate/checks')
  @HttpCode(200)
  @Roles(...SCANNER_ROLES)
  @ApiOperation({ summary: 'Check a credential at a gate: 200 {"decision","reason","cardNumber"?}; every check is recorded' })
  check(@ZodBody(gateCheckSchema) body: z.infer<typeof gateCheckSchema>, @CurrentPrincipal() principal: Principal) {
    return this.gate.check(body, principal);
  }

  @Post('v1/gate/checks/offline')
  @HttpCode(200)
  @Roles(ROLE.scanner)
  @ApiOperation({ summary: "Upload a scanner's offline checks (mode offline), idempotent by the scanner's id of each: {received, recorded, duplicates}" })
  uploadOffline(@ZodBody(offlineUploadSchema) body: z.infer<typeof offlineUploadSchema>, @CurrentPrincipal() principal: Principal) {
    return this.gateChecks.upload(body.checks, principal);
  }

  @Get('v1/gate/checks')
  @Roles(...OC_ROLES)
  @ApiOperation({ summary: 'The recorded gate checks, online and offline (mode=), in the order recorded (export): paginated (limit, cursor -> nextCursor)' })
  checks(@ZodQuery(checksQuerySchema) q: z.infer<typeof checksQuerySchema>) {
    return this.gateChecks.checks(Number(q.cursor ?? '0'), q.limit, q.mode);
  }

  @Get('v1/revocations')
  @Roles(...REVOCATION_READER_ROLES)
  @ApiOperation({ summary: 'The revocation list after a seq: {"items": [...], "lastSeq"} (docs/accreditation-credential.md#revocation-list)' })
  revocationPage(@ZodQuery(revocationQuerySchema) q: z.infer<typeof revocationQuerySchema>) {
    return this.revocations.page(q.after, q.limit);
  }

  @Post('v1/revocations/prune')
  @HttpCode(200)
  @Roles(ROLE.ocAdmin)
  @ApiOperation({ summary: 'Prune the revocation list now (it is also pruned on a timer): {pruned, prunedThrough, prunedBefore}' })
  prune() {
    return this.pruner.prune();
  }
}
