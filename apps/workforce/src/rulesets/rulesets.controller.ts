import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ZodBody, ZodParam } from '@podium/platform';
import { z } from 'zod';

import { MANAGER_ROLES, SUPERVISOR_ROLES } from '../app/config';
import { ruleSetSchema } from '../rules/rules.logic';
import { MEMBER_TYPES, type MemberType, type RuleSetData } from '../rules/rules.types';
import { RuleSetsService } from './rulesets.service';

@ApiTags('rule sets')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403)
@Controller('v1/editions/:edition/rules')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Get(':memberType')
  @Roles(...SUPERVISOR_ROLES)
  @ApiOperation({ summary: "The rules of a member type: the edition's own (source edition) or the defaults (source default)" })
  get(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('memberType', z.enum(MEMBER_TYPES)) memberType: MemberType) {
    return this.ruleSets.get(edition, memberType);
  }

  @Put(':memberType')
  @Roles(...MANAGER_ROLES)
  @ApiOperation({ summary: 'Replace the rules of a member type in the edition (every field; 400 naming each bad one)' })
  put(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('memberType', z.enum(MEMBER_TYPES)) memberType: MemberType,
    @ZodBody(ruleSetSchema, { description: 'Every field of the rule set (docs/workforce-rules.md)' }) body: RuleSetData,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.ruleSets.put(edition, memberType, body, principal.sub);
  }
}
