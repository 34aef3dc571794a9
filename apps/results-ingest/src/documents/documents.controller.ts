import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@podium/auth';
import { ApiProblemResponses, ApiZodResponse, type HttpReply, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';

import { OPERATOR_ROLE, READER_ROLES } from '../app/config';
import { problemOf } from '../intake/intake.controller';
import { IngestError } from '../intake/intake.logic';
import {
  type DocumentFilter,
  documentFilterSchema,
  documentKeySchema,
  DocumentsService,
  documentViewSchema,
  resendResultSchema,
  storedVersionSchema,
  versionSummarySchema,
} from './documents.service';

const versionSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const codeSchema = z.string().regex(/^[A-Z0-9-]{1,34}$/, 'must be an ODF DocumentCode (A-Z, 0-9, "-")');
const typeSchema = z.string().regex(/^DT_[A-Z_]+$/, 'must be an ODF DocumentType such as DT_RESULT');
const formatQuerySchema = z.strictObject({ format: z.enum(['json', 'raw']).default('json') });
const filterWithFormatSchema = documentFilterSchema.extend({ format: z.enum(['json', 'raw']).default('json') });

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IngestError) throw problemOf(error);
    throw error;
  }
}

/**
 * Audit and resend: every accepted version of a document (as received), by document key (URL-encoded, '|' as %7C)
 * or by DocumentCode + DocumentType (+ filters when several documents share them).
 */
@ApiTags('documents')
@ApiBearerAuth()
@Roles(...READER_ROLES)
@ApiProblemResponses(400, 401, 403, 404, 409)
@Controller('v1/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':key')
  @ApiOperation({ summary: 'Current state of a document (by key)' })
  @ApiZodResponse(documentViewSchema)
  document(@ZodParam('key', documentKeySchema) key: string) {
    return this.documents.document(key);
  }

  @Get(':key/versions')
  @ApiOperation({ summary: 'Versions of a document (by key), in arrival order' })
  @ApiZodResponse(z.array(versionSummarySchema))
  versions(@ZodParam('key', documentKeySchema) key: string) {
    return this.documents.versions(key);
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: 'One stored version (by key): JSON form, or ?format=raw for the message as received' })
  @ApiZodResponse(storedVersionSchema)
  async version(
    @ZodParam('key', documentKeySchema) key: string,
    @ZodParam('version', versionSchema) version: number,
    @ZodQuery(formatQuerySchema) q: z.infer<typeof formatQuerySchema>,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    return this.answerVersion(key, version, q.format, res);
  }

  @Post(':key/versions/:version/resend')
  @HttpCode(200)
  @Roles(OPERATOR_ROLE)
  @ApiOperation({ summary: 'Publish a stored version again (by key); role ods-operator' })
  @ApiZodResponse(resendResultSchema)
  resend(@ZodParam('key', documentKeySchema) key: string, @ZodParam('version', versionSchema) version: number) {
    return mapped(() => this.documents.resend(key, version));
  }

  @Get(':code/:type/versions')
  @ApiOperation({ summary: 'Versions of a document by DocumentCode and DocumentType' })
  @ApiZodResponse(z.array(versionSummarySchema))
  async versionsByCode(
    @ZodParam('code', codeSchema) code: string,
    @ZodParam('type', typeSchema) type: string,
    @ZodQuery(documentFilterSchema) filter: DocumentFilter,
  ) {
    return this.documents.versions(await this.documents.resolveKey(code, type, filter));
  }

  @Get(':code/:type/versions/:version')
  @ApiOperation({ summary: 'One stored version by DocumentCode, DocumentType and Version' })
  @ApiZodResponse(storedVersionSchema)
  async versionByCode(
    @ZodParam('code', codeSchema) code: string,
    @ZodParam('type', typeSchema) type: string,
    @ZodParam('version', versionSchema) version: number,
    @ZodQuery(filterWithFormatSchema) q: z.infer<typeof filterWithFormatSchema>,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const { format, ...filter } = q;
    return this.answerVersion(await this.documents.resolveKey(code, type, filter), version, format, res);
  }

  @Post(':code/:type/versions/:version/resend')
  @HttpCode(200)
  @Roles(OPERATOR_ROLE)
  @ApiOperation({ summary: 'Publish a stored version again, by DocumentCode, DocumentType and Version; role ods-operator' })
  @ApiZodResponse(resendResultSchema)
  async resendByCode(
    @ZodParam('code', codeSchema) code: string,
    @ZodParam('type', typeSchema) type: string,
    @ZodParam('version', versionSchema) version: number,
    @ZodQuery(documentFilterSchema) filter: DocumentFilter,
  ) {
    const key = await this.documents.resolveKey(code, type, filter);
    return mapped(() => this.documents.resend(key, version));
  }

  private async answerVersion(key: string, version: number, format: 'json' | 'raw', res: HttpReply) {
    const stored = await this.documents.version(key, version);
    const { raw, ...rest } = stored;
    if (format === 'raw') {
      // Sent as stored (the body Nest replies with), under the media type it came in.
      res.type(stored.format === 'xml' ? 'application/xml' : 'application/json');
      return raw;
    }
    return rest;
  }
}
