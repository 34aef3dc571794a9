/**
 * The subject catalog: every service adds its subjects and streams in `subjects/<service>.ts`
 * and lists them here. Everything else (typed map, AsyncAPI) is derived from this file.
 */
import { defineRegistry, type StreamDefinition } from './subjects/define';
import { entriesStreams, entriesSubjects } from './subjects/entries';
import { resultsStreams, resultsSubjects } from './subjects/results';
import { schedulesStreams, schedulesSubjects } from './subjects/schedules';
import { accreditationStreams, accreditationSubjects } from './subjects/accreditation';
import { volunteersStreams, volunteersSubjects } from './subjects/volunteers';
import { workforceStreams, workforceSubjects } from './subjects/workforce';

export const subjects = defineRegistry([...schedulesSubjects, ...entriesSubjects, ...resultsSubjects, ...accreditationSubjects, ...volunteersSubjects, ...workforceSubjects]);

export const streams: readonly StreamDefinition[] = [...schedulesStreams, ...entriesStreams, ...resultsStreams, ...accreditationStreams, ...volunteersStreams, ...workforceStreams];

export type Subjects = typeof subjects;
