import { Injectable } from '@nestjs/common';

/** The time the entry rules are checked at (deadlines): the system clock; tests replace it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
