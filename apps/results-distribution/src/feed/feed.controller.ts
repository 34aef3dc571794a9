import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { ApiProblemResponses, type HttpReply, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { FeedService } from './feed.service';

const feedQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).meta({ description: 'Last sequence received (0: from the start)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
type FeedQuery = z.infer<typeof feedQuerySchema>;

/** The role a partner's token needs for the feed (oc-admin may read it too). */
export const PARTNER_ROLE = 'partner';

/** The data feed over HTTP, for partners without NATS: the RESULTS stream, paged by sequence. */
@ApiTags('feed')
@ApiBearerAuth()
@Roles(PARTNER_ROLE, 'oc-admin')
@Controller('v1/feed')
export class FeedController {
  constructor(private readonly feedService: FeedService) {}

  @Get()
  @ApiOperation({
    summary: 'Every result message after a sequence, in stream order (the replayable feed over HTTP)',
    description:
      'Poll with `after` = the `last` of the previous page. Items are documents as GET /v1/documents returns them ' +
      '(with `seq`). Recent pages come from memory; older ones are read from the stream. Needs a token with the ' +
      `'${PARTNER_ROLE}' or 'oc-admin' role.`,
  })
  @ApiOkResponse({ description: '{ after, last, head, complete, items: [document…] }' })
  @ApiProblemResponses(400, 401, 403)
  async feed(@ZodQuery(feedQuerySchema) q: FeedQuery, @Res() reply: HttpReply): Promise<void> {
    const body = await this.feedService.page(q.after, q.limit);
    // Fastify answers HEAD with the headers of this GET and no body.
    await reply
      .code(200)
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Cache-Control', 'private, no-store')
      .send(body);
  }
}
