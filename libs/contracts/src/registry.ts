/**
 * The subject catalog: every service adds its subjects and streams in `subjects/<service>.ts`
 * and lists them here. Everything else (typed map, AsyncAPI) is derived from this file.
 */
import { defineRegistry, type StreamDefinition } from './subjects/define';
import { schedulesStreams, schedulesSubjects } from './subjects/schedules';

export const subjects = defineRegistry([...schedulesSubjects]);

export const streams: readonly StreamDefinition[] = [...schedulesStreams];

export type Subjects = typeof subjects;
