import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, Roles } from '@podium/auth';
import { CARD_STATUSES, editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { OC_ROLES, REVOCATION_READER_ROLES, SCANNER_ROLES } from '../app/config';
import { CardsService } from './cards.service';
import { GateService } from './gate.service';
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
const issueSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
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
const checksQuerySchema = z.strictObject({ cursor: cursorSchema, limit: z.coerce.number().int().min(1).max(1000).default(500) });

@ApiTags('cards')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller()
export class CardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly gate: GateService,
    private readonly revocations: RevocationsRepository,
  ) {}

  @Get('v1/keys')
  @Public()
  @ApiOperation({ summary: 'The credential verification keys: a JWK Set (Ed25519, RFC 7517/8037). No token.' })
  keys() {
    return this.gate.jwkSet();
  }

  @Post('v1/editions/:edition/applications/:id/card')
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Issue the card of an approved application (before vetting clearance: 409 vetting-not-cleared)' })
  issue(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(issueSchema) body: z.infer<typeof issueSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cards.issue(edition, id, body.reason ?? null, principal);
  }

  @Get('v1/cards')
  @Roles(...OC_ROLES)
  @ApiOperation({ summary: 'Cards by card number (status=active|suspended|revoked); paginated (limit, cursor -> nextCursor)' })
  list(@ZodQuery(cardQuerySchema) q: z.infer<typeof cardQuerySchema>) {
    return this.cards.list(q);
  }

  @Get('v1/cards/:cardNumber')
  @Roles(...OC_ROLES)
  @ApiOperation({ summary: 'One card' })
  get(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string) {
    return this.cards.get(cardNumber);
  }

  @Get('v1/cards/:cardNumber/credential')
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: "The card's current credential: {\"credential\": \"<compact JWS>\"}" })
  credential(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string) {
    return this.cards.credential(cardNumber);
  }

  @Post('v1/cards/:cardNumber/reissue')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'A new credential (venues/zones changed, or a reissue): the old credential is revoked' })
  reissue(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reissueSchema) body: z.infer<typeof reissueSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.reissue(cardNumber, body, principal);
  }

  @Post('v1/cards/:cardNumber/suspend')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Suspend the card (gates: suspended) until it is reinstated' })
  suspend(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.suspend(cardNumber, body.reason, principal);
  }

  @Post('v1/cards/:cardNumber/reinstate')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Lift a suspension' })
  reinstate(@ZodParam('cardNumber', cardNumberSchema) cardNumber: string, @ZodBody(reasonSchema) body: z.infer<typeof reasonSchema>, @CurrentPrincipal() principal: Principal) {
    return this.cards.reinstate(cardNumber, body.reason, principal);
  }

  @Post('v1/cards/:cardNumber/revoke')
  @HttpCode(200)
  @Roles(...OC_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Revoke the card for good (gates: revoked), with {"reason"}' })
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

  @Get('v1/gate/checks')
  @Roles(...OC_ROLES)
  @ApiOperation({ summary: 'The recorded gate checks, oldest first (export): paginated (limit, cursor -> nextCursor)' })
  checks(@ZodQuery(checksQuerySchema) q: z.infer<typeof checksQuerySchema>) {
    return this.gate.checks(Number(q.cursor ?? '0'), q.limit);
  }

  @Get('v1/revocations')
  @Roles(...REVOCATION_READER_ROLES)
  @ApiOperation({ summary: 'The revocation list after a seq: {"items": [...], "lastSeq"} (docs/accreditation-credential.md#revocation-list)' })
  revocationPage(@ZodQuery(revocationQuerySchema) q: z.infer<typeof revocationQuerySchema>) {
    return this.revocations.page(q.after, q.limit);
  }
}
