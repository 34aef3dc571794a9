export * from './rsc';
export * from './codes';
export * from './time';
