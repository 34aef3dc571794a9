import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { CHECKIN_ROLES, MANAGER_ROLES } from '../app/config';
import { venueCodeSchema } from '../common/codes';
import { isTimeZone } from '../common/local-time';
import { VenuesService } from './venues.service';

const venueInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/Paris'),
});

const venueViewSchema = z.object({ edition: z.string(), code: z.string(), name: z.string(), timeZone: z.string() }).meta({ id: 'WorkforceVenue' });

@ApiTags('venues')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403)
@Controller('v1/editions/:edition/venues')
export class VenuesController {
  constructor(private readonly venues: VenuesService) {}

  @Put(':code')
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: 'Create or replace a venue with its IANA time zone (shifts are given in its local time)' })
  @ApiZodResponse(venueViewSchema)
  put(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('code', venueCodeSchema) code: string,
    @ZodBody(venueInputSchema) body: z.infer<typeof venueInputSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.venues.put(edition, code, body, principal.sub);
  }

  @Get()
  @Roles(...CHECKIN_ROLES)
  @ApiOperation({
    summary: "The edition's venues and their time zones",
    description: "Managers, supervisors and check-in desks; a token with a `venues` claim sees only those venues.",
  })
  @ApiZodResponse(z.object({ items: z.array(venueViewSchema) }))
  async list(@ZodParam('edition', editionCodeSchema) edition: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.venues.list(edition, principal.venues) };
  }
}
