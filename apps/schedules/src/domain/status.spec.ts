import { SCHEDULE_STATUSES } from '@podium/odf';
import { canSetLiveStatus, hasStarted, isActiveStatus, LIVE_STATUSES, liveTransitionsFrom } from './status';

describe('schedule status rules', () => {
  it('treats UNSCHEDULED, POSTPONED and CANCELLED as not occupying the venue', () => {
    const inactive = SCHEDULE_STATUSES.filter((s) => !isActiveStatus(s));
    expect(inactive).toEqual(['UNSCHEDULED', 'POSTPONED', 'CANCELLED']);
  });

  it('freezes units that are getting ready, running, on a break, interrupted or finished', () => {
    expect(SCHEDULE_STATUSES.filter(hasStarted)).toEqual([
      'GETTING_READY',
      'RUNNING',
      'SCHEDULED_BREAK',
      'INTERRUPTED',
      'FINISHED',
    ]);
  });

  it.each([
    ['SCHEDULED', 'RUNNING', true],
    ['RESCHEDULED', 'GETTING_READY', true],
    ['GETTING_READY', 'RUNNING', true],
    ['RUNNING', 'SCHEDULED_BREAK', true],
    ['SCHEDULED_BREAK', 'RUNNING', true],
    ['RUNNING', 'INTERRUPTED', true],
    ['INTERRUPTED', 'RUNNING', true],
    ['RUNNING', 'FINISHED', true],
    ['RUNNING', 'RUNNING', true],
    ['FINISHED', 'RUNNING', false],
    ['CANCELLED', 'RUNNING', false],
    ['POSTPONED', 'RUNNING', false],
    ['UNSCHEDULED', 'GETTING_READY', false],
    ['RUNNING', 'GETTING_READY', false],
    ['RUNNING', 'DELAYED', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(canSetLiveStatus(from, to)).toBe(allowed);
  });

  it('offers no live status after FINISHED or CANCELLED', () => {
    expect(liveTransitionsFrom('FINISHED')).toEqual([]);
    expect(liveTransitionsFrom('CANCELLED')).toEqual([]);
    expect(LIVE_STATUSES).not.toContain('CANCELLED');
  });
});
