import { Injectable, type OnModuleInit } from '@nestjs/common';
import { cisDocumentFilterSchema } from '@podium/contracts';
import { type HotAnswer, type HotReader, HotReads } from '@podium/platform';
import { z } from 'zod';
import { documentAnswer } from '../common/http-cache';
import type { DocumentEntry } from '../state/document';
import type { DocumentSelector } from '../state/document-store';
import { ResultsState } from '../state/results-state';

export const documentCodeSchema = z.string().regex(/^[A-Z0-9-]{1,34}$/, 'expected an ODF DocumentCode (an RSC for results)');
export const rscSchema = z.string().regex(/^[A-Z0-9-]{34}$/, 'expected a 34-character RSC');
export const documentTypeSchema = cisDocumentFilterSchema.shape.documentType.unwrap();

export const selectorSchema = z.strictObject({
  competitionCode: z.string().min(1).max(40).optional(),
  subcode: z.string().min(1).max(64).optional().meta({ description: 'DocumentSubcode' }),
  subtype: z.string().min(1).max(64).optional().meta({ description: 'DocumentSubtype' }),
  language: z.string().min(1).max(64).optional(),
});
export type SelectorQuery = z.infer<typeof selectorSchema>;

export function selectorOf(q: SelectorQuery): DocumentSelector {
  return {
    ...(q.competitionCode === undefined ? {} : { competitionCode: q.competitionCode }),
    ...(q.subcode === undefined ? {} : { documentSubcode: q.subcode }),
    ...(q.subtype === undefined ? {} : { documentSubtype: q.subtype }),
    ...(q.language === undefined ? {} : { language: q.language }),
  };
}

type Params = Record<string, string | undefined>;

/**
 * Which document each results route serves, for the controller and for the hot reads alike. The requests web and
 * mobile apps repeat (no query string) for a document that is there and not withdrawn are answered from memory
 * before Nest's pipeline (HotReads, with the same bytes and headers); every other request (a selector, a value the
 * route's schema refuses, a missing or withdrawn document) goes on to the controller, which answers it as ever.
 */
@Injectable()
export class ResultsService implements OnModuleInit {
  constructor(
    private readonly state: ResultsState,
    private readonly hotReads: HotReads,
  ) {}

  document(documentCode: string, documentType: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    const store = documentType === 'DT_CURRENT' ? this.state.currents : this.state.documents;
    return store.find(documentCode, documentType, selector);
  }

  unitResults(rsc: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    return this.state.documents.find(rsc, 'DT_RESULT', selector);
  }

  startList(rsc: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    return this.state.documents.findStartList(rsc, selector);
  }

  phaseResults(rsc: string, selector: DocumentSelector = {}): DocumentEntry | undefined {
    return this.state.documents.find(rsc, 'DT_PHASE_RESULT', selector);
  }

  onModuleInit(): void {
    const { hotReads } = this;
    hotReads.serve(
      '/v1/documents/:documentCode/:documentType',
      hot(({ documentCode, documentType }) =>
        valid(documentCodeSchema, documentCode) && valid(documentTypeSchema, documentType)
          ? this.document(documentCode, documentType)
          : undefined,
      ),
    );
    hotReads.serve('/v1/units/:rsc/results', hot(({ rsc }) => (valid(rscSchema, rsc) ? this.unitResults(rsc) : undefined)));
    hotReads.serve('/v1/units/:rsc/start-list', hot(({ rsc }) => (valid(rscSchema, rsc) ? this.startList(rsc) : undefined)));
    hotReads.serve('/v1/phases/:rsc/results', hot(({ rsc }) => (valid(rscSchema, rsc) ? this.phaseResults(rsc) : undefined)));
  }
}

/** A hot reader of a document route: what `find` finds, when the request has no query string and the document is served. */
function hot(find: (params: Params) => DocumentEntry | undefined): HotReader {
  return (request): HotAnswer | undefined => {
    if (request.url.includes('?')) return undefined;
    const entry = find(request.params as Params);
    return entry === undefined || entry.data.withdrawn ? undefined : documentAnswer(entry);
  };
}

function valid(schema: z.ZodType<string>, value: string | undefined): value is string {
  return value !== undefined && schema.safeParse(value).success;
}
