/**
 * Pure domain logic of the schedules service: data pack import, the schedule model, conflict detection,
 * the rescheduling planner and the published views. No I/O; zod and @podium/odf only.
 */
export * from './model';
export * from './status';
export * from './conflicts';
export * from './data-pack.schema';
export * from './data-pack';
export * from './changes';
export * from './planner';
export * from './view';
export * from './issues';
export { localLabel, localRangeLabel, logicalSpan } from './time-format';
