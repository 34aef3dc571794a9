import { Module } from '@nestjs/common';
import { WidgetController } from './widget.controller';

/** The embeddable widget: GET /widget.js and the demo page /widget.html. */
@Module({
  controllers: [WidgetController],
})
export class WidgetModule {}
