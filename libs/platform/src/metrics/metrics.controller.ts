import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpReply } from '../http/fastify';
import { Public } from '../http/public.decorator';
import { MetricsService } from './metrics.service';

/** GET /metrics in Prometheus text format (public: restrict it at the network level). */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() reply: HttpReply): Promise<void> {
    const body = await this.metrics.render();
    await reply.code(200).header('Content-Type', this.metrics.contentType).header('Cache-Control', 'no-store').send(body);
  }
}
