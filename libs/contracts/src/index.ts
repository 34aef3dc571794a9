export * from './errors';
export * from './envelope';
export * from './primitives';
export * from './subjects/define';
export * from './subjects/schedules';
export * from './subjects/results';
export * from './registry';
export * from './subject-map';
