import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { WRITE_ROLES } from '../app/config';
import { type ItemInput, itemInputSchema, itemStateSchema } from './items.logic';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403, 404)
@Controller('v1/editions/:edition/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Post()
  @Roles(...WRITE_ROLES)
  @ApiProblemResponses(409)
  @ApiOperation({ summary: 'Create a item (published on oms.accreditation.v1.item.{edition}.created)' })
  @ApiZodResponse(itemStateSchema, { status: 201 })
  create(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodBody(itemInputSchema) body: ItemInput,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.items.create(edition, body, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One item' })
  @ApiZodResponse(itemStateSchema)
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('id', z.uuid()) id: string) {
    return this.items.get(edition, id);
  }
}
