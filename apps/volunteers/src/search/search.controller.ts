import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { editionCodeSchema } from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, ZodParam, ZodQuery } from '@podium/platform';

import { RECRUITER_ROLES } from '../app/config';
import { type SearchQuery, searchPageSchema, searchQuerySchema } from './search.logic';
import { SearchService } from './search.service';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblemResponses(400, 401, 403)
@Controller('v1/editions/:edition/applications')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @Roles(...RECRUITER_ROLES)
  @ApiOperation({
    summary:
      'Search the applications (recruiters): by stage, language (and level), skill, date available, field of activity, name; sorted; paginated by cursor',
    description:
      "Every filter is optional and they combine (AND). `q`: each word a prefix of a word of the family or given name, case and Latin accents ignored. Pages: `limit` (1-500, 100) and `cursor` (the previous page's `nextCursor`, null on the last page; a cursor of another sort is 400 invalid-cursor). Items are the recruiter's view: no contact details, no date of birth; erased applications are not listed.",
  })
  @ApiZodResponse(searchPageSchema)
  list(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(searchQuerySchema) query: SearchQuery,
  ) {
    return this.search.search(edition, query);
  }
}
